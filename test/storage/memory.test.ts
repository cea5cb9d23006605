import t from 'tap';
import { MemoryStore } from '../../src/storage/memory.js';
import { storeSuite } from './store-suite.js';

storeSuite(t, async (opts) => new MemoryStore(opts));
