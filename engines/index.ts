/**
 * index.ts: the public entry for Node. openStore() defaults to the real file system.
 *
 *   import { openStore } from './engines/index.js';
 *   const db = openStore('bitcask', { dir: './data' });
 *
 * The browser imports browser.ts instead, which shares everything but the Node backend.
 */
import type { EngineName, KVStore, StoreOptions } from './kv.js';
import { NodeFileSystem } from './storage/node.js';
import { openWith } from './registry.js';

export * from './common.js';
export { NodeFileSystem } from './storage/node.js';

/** One Node file system serves every store that is not given its own. */
const nodeFs = new NodeFileSystem();

/** Opens (creating if needed, recovering if needed) a store of `engine` in `options.dir`. */
export function openStore(engine: EngineName, options: StoreOptions): KVStore {
  return openWith(engine, { ...options, fs: options?.fs ?? nodeFs });
}
