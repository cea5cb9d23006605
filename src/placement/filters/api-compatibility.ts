/**
 * The workload's resource must be one the cluster syncs (status.syncedResources), when the
 * cluster reports that list. Core resources are matched with or without a trailing dot.
 */
import { Reason } from '../reasons.js';
import { memoized } from '../snapshot.js';
import { fail, type FilterPlugin, PASS } from './types.js';

export const apiCompatibilityFilter: FilterPlugin = {
  name: 'APICompatibility',
  enabled: (ctx) => ctx.workload.resource !== undefined,
  filter: (c, ctx) => memoized(c.facts, ctx.apiSlot, () => {
    const synced = c.syncedResources;
    const res = ctx.workload.resource!;
    if (!synced || synced.includes(res) || (!res.includes('.') && synced.includes(`${res}.`))) return PASS;
    return fail(Reason.APINotSynced, `cluster does not sync ${res}`);
  }),
};
