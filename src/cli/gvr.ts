/** The kcp and core resources tmcctl addresses (the TMC ones come from apis/tmc). */
export { API_BINDINGS, API_EXPORTS, SECRETS, WORKSPACES } from '../apis/gvr.js';
