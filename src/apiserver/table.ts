/**
 * meta.k8s.io Table output for `kubectl get`: a Name column, then the resource's printer columns
 * (CRD additionalPrinterColumns or a built-in's computed cells), or Age when it has none.
 */
import { evalJsonPath } from '../machinery/jsonpath.js';
import type { KubeObject } from '../storage/types.js';
import type { PrinterColumn, ResourceDef } from '../registry/types.js';
import { stringifyJSON } from '../machinery/json-text.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

interface ColumnDefinition { name: string; type: string; format: string; description: string; priority: number }

const NAME_COLUMN: ColumnDefinition = {
  name: 'Name', type: 'string', format: 'name', priority: 0,
  description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
};

const AGE_COLUMN: PrinterColumn = {
  name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', priority: 0,
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

export function columnsFor(def: ResourceDef): PrinterColumn[] {
  return def.printerColumns.length ? def.printerColumns : [AGE_COLUMN];
}

export function columnDefinitions(def: ResourceDef): ColumnDefinition[] {
  return [NAME_COLUMN, ...columnsFor(def).map((c) => ({
    name: c.name, type: c.type === 'date' ? 'string' : c.type, format: c.type === 'date' ? 'date' : c.format ?? '',
    description: c.description ?? '', priority: c.priority ?? 0,
  }))];
}

function cell(col: PrinterColumn, obj: KubeObject, now: number): unknown {
  let v: unknown;
  if (col.compute) v = col.compute(obj);
  else if (col.jsonPath) {
    const vals = evalJsonPath(obj, col.jsonPath);
    if (vals.length === 0) return null;
    v = vals.length === 1 ? vals[0] : vals.map((x) => (typeof x === 'object' ? stringifyJSON(x) : String(x))).join(',');
  }
  if (v === undefined || v === null) return null;
  switch (col.type) {
    case 'date': return typeof v === 'string' ? humanAge(v, now) : null;
    case 'integer': return typeof v === 'number' ? Math.trunc(v) : v;
    case 'number': return typeof v === 'number' ? v : v;
    case 'boolean': return typeof v === 'boolean' ? v : v;
    default: return typeof v === 'object' ? stringifyJSON(v) : String(v);
  }
}

/** kube's duration.HumanDuration: 45s, 5m12s, 3h4m, 2d5h, 100d. */
export function humanAge(ts: string, now: number): string {
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return '<invalid>';
  const secs = Math.max(0, Math.floor((now - t) / 1000));
  if (secs < 120) return `${secs}s`;
  const mins = Math.floor(secs / 60);
  if (mins < 10) return `${mins}m${secs % 60 ? `${secs % 60}s` : ''}`;
  if (mins < 180) return `${mins}m`;
  const hours = Math.floor(mins / 60);
  if (hours < 8) return `${hours}h${mins % 60 ? `${mins % 60}m` : ''}`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return `${days}d${hours % 24 ? `${hours % 24}h` : ''}`;
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y${days % 365 ? `${days % 365}d` : ''}`;
}

function rowObject(obj: KubeObject, include: IncludeObject, tableVersion: string): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${tableVersion}`, metadata: obj.metadata };
}

export function toTable(def: ResourceDef, objs: KubeObject[], opts: {
  include: IncludeObject; tableVersion: string; resourceVersion?: string; continue?: string;
  remainingItemCount?: number; noHeaders?: boolean;
}): Record<string, unknown> {
  const now = Date.now();
  const cols = columnsFor(def);
  const rows = objs.map((o) => {
    const row: Record<string, unknown> = { cells: [o.metadata.name, ...cols.map((c) => cell(c, o, now))] };
    const ro = rowObject(o, opts.include, opts.tableVersion);
    if (ro !== undefined) row.object = ro;
    return row;
  });
  const metadata: Record<string, unknown> = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const table: Record<string, unknown> = { kind: 'Table', apiVersion: `meta.k8s.io/${opts.tableVersion}`, metadata };
  if (!opts.noHeaders) table.columnDefinitions = columnDefinitions(def);
  table.rows = rows;
  return table;
}
