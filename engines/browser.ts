/**
 * browser.ts: the public entry for the browser: no node: module anywhere below it.
 * `options.fs` is required (usually a MemoryFileSystem).
 */
import { KVError } from './errors.js';
import type { EngineName, KVStore, StoreOptions } from './kv.js';
import type { FileSystem } from './storage/fs.js';
import { openWith } from './registry.js';

export * from './common.js';

/** Opens a store of `engine` on the file system given in `options.fs`. */
export function openStore(engine: EngineName, options: StoreOptions & { fs: FileSystem }): KVStore {
  if (!options?.fs)
    throw new KVError('KV_BAD_OPTION', 'in the browser, openStore needs options.fs (for example a MemoryFileSystem)');
  return openWith(engine, options);
}
