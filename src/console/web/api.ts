/**
 * The console's only way to the server: same-origin HTTPS with the user's bearer token on every
 * request, so the server's RBAC decides what the console may see and do. Errors come back as the
 * server's metav1.Status message (what kubectl would print).
 */
export class ApiError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string) {
    super(message);
  }
  get forbidden(): boolean { return this.status === 403; }
  get unauthorized(): boolean { return this.status === 401; }
}

export async function toApiError(res: Response): Promise<ApiError> {
  let reason = res.statusText;
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = await res.json() as { reason?: string; message?: string };
    if (body.reason) reason = body.reason;
    if (body.message) message = body.message;
  } catch { /* not a Status body */ }
  return new ApiError(res.status, reason, message);
}

export type PatchType = 'merge' | 'json';

export class Api {
  constructor(readonly token: string, private readonly onUnauthorized: () => void = () => {}) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...extra };
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(path, { ...init, headers: this.headers(init.headers as Record<string, string> | undefined), cache: 'no-store', credentials: 'omit' });
    if (res.status === 401) this.onUnauthorized();
    return res;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const res = await this.fetch(path, init);
    if (!res.ok) throw await toApiError(res);
    return await res.json() as T;
  }

  get<T>(path: string): Promise<T> { return this.json<T>(path); }

  patch<T>(path: string, body: unknown, type: PatchType = 'merge', query = ''): Promise<T> {
    const contentType = type === 'merge' ? 'application/merge-patch+json' : 'application/json-patch+json';
    return this.json<T>(path + query, { method: 'PATCH', body: JSON.stringify(body), headers: { 'Content-Type': contentType } });
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  }
}
