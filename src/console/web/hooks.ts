/** Preact glue: the signed-in session in context, live collections, a clock for ages, the route. */
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Api } from './api.js';
import type { Collections, KubeObject, Snapshot } from './collection.js';
import type { ListOptions, Resource } from '../model/api-paths.js';

export interface Session {
  api: Api;
  collections: Collections;
  /** The workspace signed in to: the root of the workspace tree. */
  workspace: string;
  /** Who the server says the token is. */
  user?: string;
  signOut(): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in console');
  return s;
}

const EMPTY: Snapshot<never> = { state: 'loading', items: [], version: 0 };

/** A live list: the objects of `resource` in `ws`, kept current by a watch while the view is shown. */
export function useCollection<T extends KubeObject>(ws: string | undefined, resource: Resource, opts: ListOptions & { namespace?: string } = {}): Snapshot<T> {
  const { collections } = useSession();
  const deps = [ws, resource.group, resource.resource, opts.namespace, opts.labelSelector, opts.fieldSelector];
  const [snapshot, setSnapshot] = useState<Snapshot<T>>(EMPTY);
  useEffect(() => {
    if (!ws) { setSnapshot(EMPTY); return; }
    const h = collections.acquire<T>(ws, resource, opts);
    setSnapshot(h.collection.current());
    const unsubscribe = h.collection.subscribe(() => setSnapshot(h.collection.current()));
    return () => { unsubscribe(); h.release(); };
  }, deps);
  return snapshot;
}

/** The current time, re-read every `ms` (for ages shown on screen; asks the server nothing). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

function currentHash(): string { return decodeURI(location.hash.replace(/^#/, '')) || '/'; }

/** The hash route, e.g. `/ws/root:demo/clusters`. */
export function useRoute(): string {
  const [route, setRoute] = useState(currentHash());
  useEffect(() => {
    const on = () => setRoute(currentHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export const href = (path: string): string => `#${encodeURI(path)}`;
