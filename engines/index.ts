/**
 * index.ts: the public entry for Node. openStore() defaults to the real file system.
 *
 *   import { openStore } from './engines/index.js';
 *   const db = openStore('bitcask', { dir: './data' });
 *
 * The browser imports browser.ts instead, which shares everything but the Node backend.
 *
 * What a script expects at exit: a store on real files that is still open when the process
 * exits normally (its work is done, or it called process.exit()) is closed then, by a
 * synchronous 'exit' handler, so a script that forgets close() keeps its writes on every
 * engine (closing syncs). A crash closes nothing: an uncaught exception, a signal such as
 * SIGKILL, a power loss. Then the durability rule of DESIGN.md is all there is (every write
 * acknowledged before the last completed sync() survives, and some prefix of the rest).
 * Stores on another file system (a MemoryFileSystem) are not tracked: their files end with
 * the process anyway.
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
  const fs = options?.fs ?? nodeFs;
  const db = openWith(engine, { ...options, fs });
  if (fs instanceof NodeFileSystem) closeAtExit(db);
  return db;
}

// ---- closing at exit ------------------------------------------------------------------

/** The stores on real files that are open: added by openStore, removed by their close(). */
const openStores = new Set<KVStore>();
/** Set when an uncaught exception is about to end the process: a crash, so nothing is closed. */
let crashing = false;
let hooked = false;

/** How many stores the exit handler would close now (for tests). */
export function storesOpenAtExit(): number {
  return openStores.size;
}

/** Tracks `db` until its close() runs, and installs the exit handler once. */
function closeAtExit(db: KVStore): void {
  openStores.add(db);
  const close = db.close;
  // close() removes the store from the registry, whether it succeeds or throws (either way the store is closed).
  Object.defineProperty(db, 'close', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function closeAndForget(this: KVStore): void {
      try {
        close.call(db);
      } finally {
        openStores.delete(db);
      }
    },
  });
  if (hooked) return;
  hooked = true;
  process.on('uncaughtExceptionMonitor', noteCrash);
  process.on('exit', closeOpenStores);
}

/** Notes an uncaught exception that no handler will catch: the process is crashing. */
function noteCrash(): void {
  if (process.listenerCount('uncaughtException') === 0) crashing = true;
}

/** The 'exit' handler: closes every store still open, each on its own (one that throws does not stop the others). */
function closeOpenStores(): void {
  if (crashing) return;
  for (const db of [...openStores]) {
    try {
      db.close();
    } catch (e) {
      process.stderr.write(
        `storage-engine-workbench: closing a ${db.engine} store at exit failed: ${e instanceof Error ? e.message : String(e)}\n`,
      );
    }
  }
}
