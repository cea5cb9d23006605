/** Small building blocks shared by the views. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { sortRows, type SortDirection } from '../model/sort.js';
import type { ApiError } from './api.js';
import type { Usage } from '../model/clusters.js';

export function Loading({ what }: { what: string }) {
  return <p class="muted" role="status">Loading {what}…</p>;
}

/** A server refusal, in the server's words. */
export function ErrorNote({ error, what }: { error: ApiError; what: string }) {
  const title = error.forbidden ? `No access to ${what}` : error.status === 404 ? `${what} not found` : `Could not load ${what}`;
  return (
    <div class="error" role="alert">
      <strong>{title}</strong>
      <p>{error.message}</p>
    </div>
  );
}

export function Badge({ tone, children, label }: { tone: 'ok' | 'bad' | 'warn' | 'neutral'; children: ComponentChildren; label?: string }) {
  return <span class={`badge ${tone}`} aria-label={label}>{children}</span>;
}

export function CapacityBar({ usage }: { usage: Usage }) {
  const tone = usage.percent >= 90 ? 'bad' : usage.percent >= 70 ? 'warn' : 'ok';
  return (
    <div class="capacity">
      <span class="capacity-label">{usage.resource}</span>
      <div class={`bar ${tone}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={usage.percent}
        aria-label={`${usage.resource}: ${usage.text} allocated (${usage.percent}%)`}>
        <div class="fill" style={{ width: `${usage.percent}%` }} />
      </div>
      <span class="capacity-text">{usage.text}</span>
    </div>
  );
}

export interface Column<T> {
  key: string;
  label: string;
  /** The value sorted on (and shown, unless `render` is given). */
  value: (row: T) => string | number | undefined;
  render?: (row: T) => ComponentChildren;
  numeric?: boolean;
  /** Long text: give it room instead of a narrow wrapped column. */
  wide?: boolean;
}

/** A table whose column headers sort it (click or Enter/Space on the header button); aria-sort says how. */
export function SortableTable<T>({ name, caption, columns, rows, rowKey, initial, rowClass }: {
  /** Names the table for tests and styles (data-table). */
  name: string; caption: string; columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string;
  initial?: { key: string; direction: SortDirection }; rowClass?: (row: T) => string;
}) {
  const [sort, setSort] = useState<{ key: string; direction: SortDirection } | undefined>(initial);
  const col = columns.find((c) => c.key === sort?.key);
  const shown = col && sort ? sortRows(rows, col.value, sort.direction) : rows;
  const toggle = (key: string) => setSort((s) => ({ key, direction: s?.key === key && s.direction === 'ascending' ? 'descending' : 'ascending' }));
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption} data-table={name}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c.key} class={c.numeric ? 'num' : undefined} aria-sort={sort?.key === c.key ? sort.direction : 'none'}>
                <button type="button" class="sort" onClick={() => toggle(c.key)}>
                  {c.label}<span aria-hidden="true" class="arrow">{sort?.key === c.key ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => (
            <tr key={rowKey(r)} data-key={rowKey(r)} class={rowClass?.(r)}>
              {columns.map((c, i) => {
                const content = c.render ? c.render(r) : c.value(r) ?? '-';
                return i === 0
                  ? <th scope="row" key={c.key}>{content}</th>
                  : <td key={c.key} class={c.numeric ? 'num' : c.wide ? 'wide' : undefined}>{content}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A modal confirmation (native <dialog>: focus is trapped, Escape cancels). */
export function ConfirmDialog({ open, title, children, confirmLabel, onConfirm, onCancel, busy }: {
  open: boolean; title: string; children: ComponentChildren; confirmLabel: string;
  onConfirm(): void; onCancel(): void; busy?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      <h2 id="confirm-title">{title}</h2>
      <div>{children}</div>
      <div class="actions">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="button" class="primary" onClick={onConfirm} disabled={busy}>{confirmLabel}</button>
      </div>
    </dialog>
  );
}
