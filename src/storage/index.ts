/**
 * The storage entry point: `createStore` picks a backend from the server's flags
 * (`--storage sqlite|memory|etcd`, `--data-dir`, `--etcd-servers`). Callers import the Store
 * contract from `types.js` and this factory, nothing else.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { badRequest } from '../errors/status.js';
import type { Logger } from '../observability/logger.js';
import { MemoryStore } from './memory.js';
import { SqliteStore, type SqliteSynchronous } from './sqlite.js';
import type { Store } from './types.js';

export type { Store } from './types.js';
export { MemoryStore } from './memory.js';
export { SqliteStore } from './sqlite.js';
export { WatchCache, DEFAULT_HISTORY_SIZE } from './watch-cache.js';
export { groupResourceOf } from './keys.js';

export type StorageBackend = 'sqlite' | 'memory' | 'etcd';

/** The sqlite file inside the data dir. */
export const SQLITE_FILE = 'storage.sqlite';

export interface CreateStoreOptions {
  backend: StorageBackend;
  /** sqlite: the directory holding `storage.sqlite` (created if missing). Default `.tmc`. */
  dataDir?: string;
  /** etcd: client URLs, e.g. `http://127.0.0.1:2379`. */
  etcdServers?: string[];
  /** etcd: bound on one call (default 5 s); past it the call fails with 503. */
  etcdRequestTimeoutMs?: number;
  /** Events kept for resuming watches (default 10 000). */
  historySize?: number;
  /** sqlite: FULL fsyncs every commit (survives power loss); NORMAL (default) survives process crashes. */
  sqliteSynchronous?: SqliteSynchronous;
  logger?: Logger;
}

export async function createStore(opts: CreateStoreOptions): Promise<Store> {
  const logger = opts.logger?.child({ component: 'storage', backend: opts.backend });
  switch (opts.backend) {
    case 'memory':
      return new MemoryStore({ historySize: opts.historySize, logger });
    case 'sqlite': {
      const dir = opts.dataDir ?? '.tmc';
      mkdirSync(dir, { recursive: true });
      return new SqliteStore({ path: join(dir, SQLITE_FILE), synchronous: opts.sqliteSynchronous, historySize: opts.historySize, logger });
    }
    case 'etcd': {
      // Loaded on demand: the etcd client pulls in gRPC, which the embedded default never needs.
      const { EtcdStore } = await import('./etcd.js');
      return EtcdStore.open({ servers: opts.etcdServers ?? [], requestTimeoutMs: opts.etcdRequestTimeoutMs, historySize: opts.historySize, logger });
    }
    default:
      throw badRequest(`unknown storage backend ${JSON.stringify(opts.backend)}: use sqlite, memory or etcd`);
  }
}
