/**
 * The workspace tree below the workspace the user signed in to. The top level is watched live;
 * deeper levels are listed when opened (each open level would otherwise hold a connection).
 * Only what the user may list appears: a level RBAC refuses shows as "no access".
 */
import { useEffect, useState } from 'preact/hooks';
import { resourcePath, WORKSPACES } from '../../model/api-paths.js';
import type { ApiError } from '../api.js';
import type { KubeObject } from '../collection.js';
import { Badge, ErrorNote, Loading } from '../components.js';
import { href, useCollection, useSession } from '../hooks.js';

type Workspace = KubeObject & { status?: { phase?: string } };

export function WorkspacesView({ ws, root }: { ws: string; root: string }) {
  const children = useCollection<Workspace>(root, WORKSPACES);
  return (
    <section aria-labelledby="ws-h">
      <h2 id="ws-h">Workspaces</h2>
      <ul class="tree" role="tree" aria-label="workspaces">
        <li role="treeitem" aria-expanded="true" aria-selected={ws === root}>
          <WorkspaceLink path={root} current={ws} />
          {children.state === 'error' && children.error ? <NoAccess error={children.error} />
            : children.state === 'loading' ? <Loading what="workspaces" />
              : <Level parent={root} items={children.items} current={ws} />}
        </li>
      </ul>
    </section>
  );
}

function NoAccess({ error }: { error: ApiError }) {
  return error.forbidden ? <p class="muted small">(no access to the workspaces below)</p> : <ErrorNote error={error} what="workspaces" />;
}

function WorkspaceLink({ path, current, phase }: { path: string; current: string; phase?: string }) {
  return (
    <span class="ws-node">
      <a href={href(`/ws/${path}/clusters`)} aria-current={path === current ? 'page' : undefined}>{path.slice(path.lastIndexOf(':') + 1)}</a>
      {' '}<span class="muted small">{path}</span>
      {phase && phase !== 'Ready' && <> <Badge tone="warn">{phase}</Badge></>}
    </span>
  );
}

function Level({ parent, items, current }: { parent: string; items: Workspace[]; current: string }) {
  if (items.length === 0) return null;
  const sorted = [...items].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  return (
    <ul role="group">
      {sorted.map((w) => <Node key={w.metadata.name} path={`${parent}:${w.metadata.name}`} phase={w.status?.phase} current={current} />)}
    </ul>
  );
}

function Node({ path, phase, current }: { path: string; phase?: string; current: string }) {
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  const [children, setChildren] = useState<{ items?: Workspace[]; error?: ApiError } | undefined>(undefined);
  useEffect(() => {
    if (!open || children) return;
    api.get<{ items: Workspace[] }>(resourcePath(path, WORKSPACES)).then((l) => setChildren({ items: l.items }), (error: ApiError) => setChildren({ error }));
  }, [open]);
  return (
    <li role="treeitem" aria-expanded={open} aria-selected={path === current}>
      <button type="button" class="twisty" aria-label={`${open ? 'Collapse' : 'Expand'} ${path}`} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'}</button>
      <WorkspaceLink path={path} current={current} phase={phase} />
      {open && (children?.error ? <NoAccess error={children.error} /> : children?.items ? <Level parent={path} items={children.items} current={current} /> : <Loading what="workspaces" />)}
    </li>
  );
}
