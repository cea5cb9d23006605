/** The kcp and core resources tmcctl addresses (the TMC ones come from apis/tmc). */
import type { GroupVersionResource } from '../client/resource-path.js';

export const WORKSPACES: GroupVersionResource = { group: 'tenancy.kcp.io', version: 'v1alpha1', resource: 'workspaces' };
export const API_BINDINGS: GroupVersionResource = { group: 'apis.kcp.io', version: 'v1alpha1', resource: 'apibindings' };
export const API_EXPORTS: GroupVersionResource = { group: 'apis.kcp.io', version: 'v1alpha1', resource: 'apiexports' };
export const SECRETS: GroupVersionResource = { group: '', version: 'v1', resource: 'secrets' };
