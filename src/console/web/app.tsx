/** The console shell: sign-in, header and navigation, and the hash router over the views. */
import { useMemo, useState } from 'preact/hooks';
import { isWorkspacePath } from '../model/api-paths.js';
import { Api, toApiError } from './api.js';
import { Collections } from './collection.js';
import { href, SessionContext, useRoute, type Session } from './hooks.js';
import { ClustersView } from './views/clusters.js';
import { FleetView } from './views/fleet.js';
import { PlacementsView } from './views/placements.js';
import { WorkloadView } from './views/workload.js';
import { WorkspacesView } from './views/workspaces.js';

const STORAGE_KEY = 'tmc-console';

interface Credentials { token: string; workspace: string; user?: string }

function storedCredentials(): Credentials | undefined {
  try {
    const c = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Credentials | null;
    return c?.token && c.workspace ? c : undefined;
  } catch { return undefined; }
}

export function App() {
  const [creds, setCreds] = useState<Credentials | undefined>(storedCredentials);
  const signOut = () => {
    sessionStorage.removeItem(STORAGE_KEY);
    // a reload drops every open watch with the old token
    location.hash = '';
    location.reload();
  };
  const session = useMemo<Session | undefined>(() => {
    if (!creds) return undefined;
    const api = new Api(creds.token, signOut);
    return { api, collections: new Collections(api), workspace: creds.workspace, user: creds.user, signOut };
  }, [creds]);
  if (!session) {
    return <Login onSignedIn={(c) => {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(c));
      location.hash = href(`/ws/${c.workspace}/clusters`);
      setCreds(c);
    }} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} />
    </SessionContext.Provider>
  );
}

function Login({ onSignedIn }: { onSignedIn(c: Credentials): void }) {
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const token = String(form.get('token') ?? '').trim();
    const workspace = String(form.get('workspace') ?? '').trim() || 'root';
    if (!token) { setError('Paste a bearer token (for example a service account token).'); return; }
    if (!isWorkspacePath(workspace)) { setError(`"${workspace}" is not a workspace path: lowercase names joined by ':', e.g. root:team-a.`); return; }
    setBusy(true);
    setError(undefined);
    try {
      // /version answers any authenticated user: it checks the token, not the user's rights
      const res = await fetch(`/clusters/${workspace}/version`, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store', credentials: 'omit' });
      if (res.status === 401) { setError('The server did not accept this token (401 Unauthorized). Check that it is complete and not revoked.'); return; }
      if (!res.ok) { setError((await toApiError(res)).message); return; }
      onSignedIn({ token, workspace, user: await whoAmI(token, workspace) });
    } catch (err) {
      setError(`Cannot reach the server: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <h1>TMC console</h1>
      <p>Sign in with a bearer token. The console calls the Kubernetes API with it, so you see and change exactly what RBAC allows that token.</p>
      <form onSubmit={(e) => void submit(e)} aria-describedby={error ? 'login-error' : undefined}>
        <label for="workspace">Workspace</label>
        <input id="workspace" name="workspace" defaultValue="root" autoComplete="off" spellcheck={false} aria-describedby="workspace-help" />
        <p id="workspace-help" class="muted small">The workspace to start in, e.g. <code>root:team-a</code>. A service account token works only in the workspace that issued it.</p>
        <label for="token">Bearer token</label>
        <input id="token" name="token" type="password" autoComplete="off" spellcheck={false} required />
        {error && <p id="login-error" class="error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  );
}

/** The user name the server sees (SelfSubjectReview); undefined when the server cannot say. */
async function whoAmI(token: string, workspace: string): Promise<string | undefined> {
  try {
    const review = await new Api(token).post<{ status?: { userInfo?: { username?: string } } }>(`/clusters/${workspace}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' });
    return review.status?.userInfo?.username;
  } catch { return undefined; }
}

const VIEWS = [
  { id: 'clusters', label: 'Clusters' },
  { id: 'placements', label: 'Placements' },
  { id: 'fleet', label: 'Fleet map' },
  { id: 'workspaces', label: 'Workspaces' },
] as const;

interface Route { ws: string; view: string; rest: string[] }

function parseRoute(route: string, fallback: string): Route {
  const parts = route.split('/').filter(Boolean);
  if (parts[0] !== 'ws' || !parts[1]) return { ws: fallback, view: 'clusters', rest: [] };
  return { ws: parts[1], view: parts[2] ?? 'clusters', rest: parts.slice(3) };
}

function Shell({ session }: { session: Session }) {
  const route = parseRoute(useRoute(), session.workspace);
  const { ws, view, rest } = route;
  let content;
  if (!isWorkspacePath(ws)) content = <p class="error" role="alert">"{ws}" is not a workspace path.</p>;
  else if (view === 'clusters') content = <ClustersView ws={ws} />;
  else if (view === 'placements') content = <PlacementsView ws={ws} />;
  else if (view === 'fleet') content = <FleetView ws={ws} />;
  else if (view === 'workspaces') content = <WorkspacesView ws={ws} root={session.workspace} />;
  else if (view === 'workload' && rest.length === 4) {
    const [namespace, group, kind, name] = rest;
    content = <WorkloadView key={rest.join('/')} ws={ws} workload={{ namespace, group: group === 'core' ? '' : group, kind, name }} />;
  } else content = <p class="error" role="alert">No such page. <a href={href(`/ws/${ws}/clusters`)}>Clusters of {ws}</a></p>;
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="top">
        <h1><a href={href(`/ws/${ws}/clusters`)}>TMC console</a></h1>
        <p class="where">Workspace <strong data-testid="workspace">{ws}</strong>
          {ws !== session.workspace && <span class="signed-in"> (signed in to {session.workspace})</span>}</p>
        {session.user && <p class="user" data-testid="user">{session.user}</p>}
        <button type="button" onClick={session.signOut}>Sign out</button>
      </header>
      <nav aria-label="views">
        <ul>
          {VIEWS.map((v) => (
            <li key={v.id}><a href={href(`/ws/${ws}/${v.id}`)} aria-current={view === v.id ? 'page' : undefined}>{v.label}</a></li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>{content}</main>
    </>
  );
}
