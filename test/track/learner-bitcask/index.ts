/**
 * index.ts: the learner Bitcask's entry, as `npm run new-engine` lays one out: open().
 */
import type { FileSystem, KVStore, StoreOptions } from '../../../engines/index.js';
import { Store } from './store.js';

/** Opens a store: the registry calls this for openStore('learner-bitcask', ...). */
export function open(options: StoreOptions & { fs: FileSystem }): KVStore {
  return new Store(options);
}
