/**
 * registry.ts: engine names to constructors and to file describers, shared by the Node and
 * browser entries. The names and the unions of the engines' events and pictures are in
 * registry-types.ts.
 */
import { KVError } from './errors.js';
import type { KVStore, StoreOptions } from './kv.js';
import { ENGINES, type EngineName } from './registry-types.js';
import type { FileSystem } from './storage/fs.js';
import { SnapshotStore } from './snapshot/store.js';
import { LsmStore } from './lsm/store.js';
import { BitcaskStore } from './bitcask/store.js';
import { BtreeStore } from './btree/store.js';
import type { Group } from './layout.js';
import { describeSnapshotFile } from './snapshot/format.js';
import { describeBitcaskFile } from './bitcask/format.js';
import { describeBtreeFile } from './btree/layout.js';
import { describeLsmFile } from './lsm/layout.js';

/** How to open each engine. An engine's constructor opens (and recovers) its directory. */
const OPENERS: Partial<Record<EngineName, (options: StoreOptions) => KVStore>> = {
  snapshot: (o) => new SnapshotStore(o),
  lsm: (o) => new LsmStore(o),
  bitcask: (o) => new BitcaskStore(o),
  btree: (o) => new BtreeStore(o),
};

/** An engine added at run time (a learner's, see yours/README.md): how to open it, and optionally how to name its bytes. */
export interface RegisteredEngine {
  open: (options: StoreOptions & { fs: FileSystem }) => KVStore;
  describe?: (name: string, bytes: Uint8Array) => Group[] | undefined;
}

/** Engines registered at run time, by name; never one of ENGINES. */
const REGISTERED = new Map<string, RegisteredEngine>();

/**
 * Registers an engine that is not one of the four under `name`, so openStore(), describeFile()
 * and every tool that takes an engine name find it. Registering a name again replaces it.
 */
export function registerEngine(name: string, engine: RegisteredEngine): void {
  if ((ENGINES as readonly string[]).includes(name))
    throw new KVError('KV_BAD_OPTION', `${JSON.stringify(name)} is a reference engine's name; choose another`);
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(name))
    throw new KVError(
      'KV_BAD_OPTION',
      `an engine name is lowercase letters, digits and dashes, starting with a letter; not ${JSON.stringify(name)}`,
    );
  REGISTERED.set(name, engine);
}

/** The names of the engines registered at run time, in the order they were registered. */
export function registeredEngines(): string[] {
  return [...REGISTERED.keys()];
}

/** Opens `engine` on `options.dir` using `options.fs`, which must be set. */
export function openWith(engine: EngineName, options: StoreOptions & { fs: FileSystem }): KVStore {
  const registered = REGISTERED.get(engine);
  if (registered) return registered.open(options);
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new KVError(
      'KV_UNKNOWN_ENGINE',
      `unknown engine ${JSON.stringify(engine)}; choose one of ${ENGINES.join(', ')}`,
    );
  }
  const open = OPENERS[engine];
  if (!open) throw new KVError('KV_UNKNOWN_ENGINE', `the ${engine} engine is not built yet`);
  return open(options);
}

/** Each engine's file describer: a file of its store, by name, as named spans (layout.ts). */
const DESCRIBERS: Record<EngineName, (name: string, bytes: Uint8Array) => Group[] | undefined> = {
  snapshot: describeSnapshotFile,
  bitcask: describeBitcaskFile,
  btree: describeBtreeFile,
  lsm: describeLsmFile,
};

/**
 * The file `name` of an `engine` store as the engine's own describer names its bytes (every
 * byte in one span; see layout.ts), or undefined when the engine does not use that name.
 * Never throws on bad bytes: what does not decode is a malformed span.
 */
export function describeFile(engine: EngineName, name: string, bytes: Uint8Array): Group[] | undefined {
  const registered = REGISTERED.get(engine);
  if (registered) return registered.describe?.(name, bytes);
  const describe = DESCRIBERS[engine];
  if (!describe)
    throw new KVError(
      'KV_UNKNOWN_ENGINE',
      `unknown engine ${JSON.stringify(engine)}; choose one of ${ENGINES.join(', ')}`,
    );
  return describe(name, bytes);
}
