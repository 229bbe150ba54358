/**
 * registry.ts: engine names to constructors, shared by the Node and browser entries. The
 * names and the unions of the engines' events and pictures are in registry-types.ts.
 */
import { KVError } from './errors.js';
import type { KVStore, StoreOptions } from './kv.js';
import { ENGINES, type EngineName } from './registry-types.js';
import type { FileSystem } from './storage/fs.js';
import { SnapshotStore } from './snapshot/store.js';
import { LsmStore } from './lsm/store.js';
import { BitcaskStore } from './bitcask/store.js';
import { BtreeStore } from './btree/store.js';

/** How to open each engine. An engine's constructor opens (and recovers) its directory. */
const OPENERS: Partial<Record<EngineName, (options: StoreOptions) => KVStore>> = {
  snapshot: (o) => new SnapshotStore(o),
  lsm: (o) => new LsmStore(o),
  bitcask: (o) => new BitcaskStore(o),
  btree: (o) => new BtreeStore(o),
};

/** Opens `engine` on `options.dir` using `options.fs`, which must be set. */
export function openWith(engine: EngineName, options: StoreOptions & { fs: FileSystem }): KVStore {
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new KVError('KV_UNKNOWN_ENGINE', `unknown engine ${JSON.stringify(engine)}; choose one of ${ENGINES.join(', ')}`);
  }
  const open = OPENERS[engine];
  if (!open) throw new KVError('KV_UNKNOWN_ENGINE', `the ${engine} engine is not built yet`);
  return open(options);
}
