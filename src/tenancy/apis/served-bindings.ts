/**
 * What every workspace serves through its APIBindings, and what each binding is bound to: written
 * by the binding controller's decisions, read by the catalog (a DefSource), the virtual workspaces
 * and tooling. `generation()` moves whenever what is served changes, so the catalog recomputes.
 */
import { deepEqual } from '../../machinery/objects.js';
import type { ResourceDef } from '../../registry/types.js';
import type { BoundExport, PermissionClaim } from './apibinding-reconcile.js';

interface Entry { defs: ResourceDef[]; bound: BoundExport }

export class ServedBindings {
  /** cluster → binding name → what it serves */
  private readonly byCluster = new Map<string, Map<string, Entry>>();
  private gen = 0;
  private readonly listeners = new Set<() => void>();

  /** Returns true when what the binding serves changed. */
  serve(cluster: string, binding: string, defs: ResourceDef[], bound: BoundExport): boolean {
    let m = this.byCluster.get(cluster);
    if (!m) { m = new Map(); this.byCluster.set(cluster, m); }
    const prev = m.get(binding);
    m.set(binding, { defs, bound });
    if (prev && deepEqual(prev.defs, defs) && deepEqual(prev.bound, bound)) return false;
    this.changed();
    return true;
  }

  /** Returns true when the binding was serving something. */
  unserve(cluster: string, binding: string): boolean {
    const m = this.byCluster.get(cluster);
    if (!m?.delete(binding)) return false;
    if (m.size === 0) this.byCluster.delete(cluster);
    this.changed();
    return true;
  }

  defsFor(cluster: string): ResourceDef[] {
    const m = this.byCluster.get(cluster);
    return m ? [...m.values()].flatMap((e) => e.defs) : [];
  }

  /** What the workspace's other bindings serve. */
  othersDefs(cluster: string, binding: string): ResourceDef[] {
    const m = this.byCluster.get(cluster);
    return m ? [...m.entries()].filter(([n]) => n !== binding).flatMap(([, e]) => e.defs) : [];
  }

  generation(): number { return this.gen; }

  /**
   * Calls `fn` after every change of what is served (synchronously, after the change); returns
   * the unsubscribe. Views that must tell open watches about workspaces entering or leaving them
   * (the APIExport virtual workspace) listen here, since no stored object changes then.
   */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  private changed(): void {
    this.gen++;
    for (const fn of this.listeners) fn();
  }

  /** The workspaces bound to an export, with the claims each accepted. */
  bindingsOf(exportCluster: string, exportName: string): Array<{ cluster: string; claims: PermissionClaim[] }> {
    const out: Array<{ cluster: string; claims: PermissionClaim[] }> = [];
    for (const [cluster, m] of this.byCluster) {
      for (const { bound } of m.values()) if (bound.cluster === exportCluster && bound.name === exportName) out.push({ cluster, claims: bound.claims });
    }
    return out;
  }

  table(): Array<{ cluster: string; binding: string; exportCluster: string; exportName: string }> {
    const out: Array<{ cluster: string; binding: string; exportCluster: string; exportName: string }> = [];
    for (const [cluster, m] of this.byCluster) for (const [binding, { bound }] of m) out.push({ cluster, binding, exportCluster: bound.cluster, exportName: bound.name });
    return out;
  }
}
