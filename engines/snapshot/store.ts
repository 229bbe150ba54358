/**
 * store.ts: the snapshot engine, pickle-style: the whole map lives in memory, and a save
 * writes all of it to one file.
 *
 * Save (at sync(), close(), compact(), and every `autosaveEvery` writes):
 *   1. write every pair, sorted, to snapshot.db.tmp;
 *   2. fsync it;
 *   3. rename it over snapshot.db (atomic);
 *   4. fsync the directory, so the rename itself survives a crash.
 * A crash before step 4 completes leaves the old snapshot (or the new one) whole; never a mix.
 * Open reads snapshot.db back, verifying its checksum, and removes a stray temp file.
 *
 * The cost, which the lesson says plainly: every save rewrites every pair, however few
 * changed, and every write since the last save is lost in a crash.
 */
import { wholeOption } from '../options.js';
import { display } from '../bytes.js';
import { SortedKeys } from '../sorted-keys.js';
import { BaseStore, type ByteOp, type EngineStats } from '../store.js';
import type { Bounds } from '../range.js';
import { aboveLower, belowUpper } from '../range.js';
import type { StoreOptions } from '../kv.js';
import { join } from '../storage/path.js';
import { readWhole } from '../storage/fs.js';
import { LIVE_FILE, TEMP_FILE, decodeSnapshot, encodeSnapshot } from './format.js';
import type { SaveReason } from './events.js';
import type { SnapshotInspect } from './inspect.js';

/** Bytes of bookkeeping we count per entry when estimating memory (Map slot, two arrays). */
const ENTRY_OVERHEAD = 96;

/**
 * A Map key for bytes: one UTF-16 code unit per byte (exact and reversible). Comparing two
 * such strings code unit by code unit is comparing the bytes, so a native string sort gives
 * bytewise (memcmp) order without a JavaScript comparator.
 */
function mapKey(b: Uint8Array): string {
  // One call for the whole key (keys are at most 1024 bytes, well within an argument list):
  // a flat string at once, where appending a char at a time builds a rope to flatten.
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

/** The pickle-style engine. */
export class SnapshotStore extends BaseStore {
  /** The dict: map key to [key bytes, value bytes]. */
  private dict = new Map<string, [Uint8Array, Uint8Array]>();
  /** The dict's keys in bytewise order, kept up to date lazily. */
  private readonly order = new SortedKeys((k) => this.dict.has(k));
  private unsaved = 0;
  private saves = 0;
  private liveBytes = 0;
  private readonly autosaveEvery: number;

  /** Opens (or creates) a snapshot store in options.dir. */
  constructor(options: StoreOptions) {
    super('snapshot', options);
    this.autosaveEvery = wholeOption('autosaveEvery', options.autosaveEvery, 0, 0);
    this.opening(() => this.load());
  }

  /** Reads the live snapshot into the dict and removes a stray temp file. */
  private load(): void {
    const tmp = join(this.dir, TEMP_FILE);
    if (this.fs.exists(tmp)) {
      // A save was interrupted before its rename: the temp file is garbage. No directory
      // sync: if this removal is lost in a crash, the next open simply removes it again.
      this.fs.remove(tmp);
      this.trace?.({ type: 'snapshot.clean', file: TEMP_FILE });
    }
    const live = join(this.dir, LIVE_FILE);
    if (!this.fs.exists(live)) return;
    const bytes = readWhole(this.fs, live);
    for (const [k, v] of decodeSnapshot(bytes, live)) {
      this.dict.set(mapKey(k), [k, v]);
      this.order.add(mapKey(k));
      this.liveBytes += k.length + v.length;
    }
    this.trace?.({ type: 'snapshot.load', file: LIVE_FILE, keys: this.dict.size, bytes: bytes.length });
  }

  /** Writes the whole dict to a temp file, fsyncs it, renames it over the live file, fsyncs the directory. */
  private save(reason: SaveReason): void {
    const pairs = this.sortedKeys().map((k) => this.dict.get(k)!);
    const bytes = encodeSnapshot(pairs);
    const tmp = join(this.dir, TEMP_FILE);
    const keys = pairs.length;
    // Step 1: the whole map to the temp file.
    const f = this.fs.open(tmp, { create: true, truncate: true });
    try {
      f.write(0, bytes);
      this.trace?.({ type: 'snapshot.save', step: 'write', reason, file: TEMP_FILE, keys, bytes: bytes.length });
      // Step 2: make its bytes durable before it can replace the old snapshot.
      f.sync();
      this.trace?.({ type: 'snapshot.save', step: 'sync', reason, file: TEMP_FILE, keys, bytes: bytes.length });
    } finally {
      f.close();
    }
    // Step 3: the atomic switch.
    this.fs.rename(tmp, join(this.dir, LIVE_FILE));
    this.trace?.({ type: 'snapshot.save', step: 'rename', reason, file: LIVE_FILE, keys, bytes: bytes.length });
    // Step 4: make the rename durable.
    this.fs.syncDir(this.dir);
    this.unsaved = 0;
    this.saves++;
    this.trace?.({ type: 'snapshot.save', step: 'done', reason, file: LIVE_FILE, keys, bytes: bytes.length });
  }

  /** The dict's keys in bytewise order (see sorted-keys.ts). */
  private sortedKeys(): string[] {
    return this.order.list();
  }

  /** Sets one key in the dict. */
  private set(key: Uint8Array, value: Uint8Array): void {
    const mk = mapKey(key);
    const old = this.dict.get(mk);
    // Copy: the caller may reuse its arrays after put() returns.
    const v = value.slice();
    if (old) {
      this.liveBytes += v.length - old[1].length;
      old[1] = v;
    } else {
      this.dict.set(mk, [key.slice(), v]);
      this.liveBytes += key.length + v.length;
      this.order.add(mk);
    }
    this.unsaved++;
    this.trace?.({
      type: 'snapshot.set',
      key: display(key),
      value: display(value),
      keys: this.dict.size,
      unsaved: this.unsaved,
    });
  }

  /** Removes one key from the dict. */
  private remove(key: Uint8Array): void {
    const mk = mapKey(key);
    const old = this.dict.get(mk);
    if (old) {
      this.dict.delete(mk);
      this.liveBytes -= old[0].length + old[1].length;
      this.order.remove();
    }
    this.unsaved++;
    this.trace?.({
      type: 'snapshot.delete',
      key: display(key),
      existed: old !== undefined,
      keys: this.dict.size,
      unsaved: this.unsaved,
    });
  }

  /** Saves if autosave is on and enough writes have piled up. */
  private maybeAutosave(): void {
    if (this.autosaveEvery > 0 && this.unsaved >= this.autosaveEvery) this.save('autosave');
  }

  protected doGet(key: Uint8Array): Uint8Array | undefined {
    const e = this.dict.get(mapKey(key));
    return e ? e[1].slice() : undefined;
  }

  protected doPut(key: Uint8Array, value: Uint8Array): void {
    this.set(key, value);
    this.maybeAutosave();
  }

  protected doDelete(key: Uint8Array): void {
    this.remove(key);
    this.maybeAutosave();
  }

  /** A batch changes only memory, so it is atomic; a save then writes it whole or not at all. */
  protected doBatch(ops: ByteOp[]): void {
    for (const op of ops) {
      if (op.type === 'put') this.set(op.key, op.value);
      else this.remove(op.key);
    }
    this.maybeAutosave();
  }

  /** Walks the ordered keys from the start bound. */
  protected *doScan(b: Bounds): Iterator<[Uint8Array, Uint8Array]> {
    const from = b.reverse ? b.upper : b.lower;
    for (const k of this.order.walk(from && mapKey(from.key), from?.inclusive ?? true, b.reverse)) {
      const e = this.dict.get(k)!;
      if (b.reverse ? !aboveLower(e[0], b) : !belowUpper(e[0], b)) return;
      yield [e[0].slice(), e[1].slice()];
    }
  }

  /** Saves if anything changed since the last save. */
  protected doSync(): void {
    if (this.unsaved > 0 || !this.fs.exists(join(this.dir, LIVE_FILE))) this.save('sync');
  }

  /** Rewrites the file (the snapshot engine's only form of compaction). */
  protected doCompact(): void {
    this.save('compact');
  }

  protected doClose(): void {
    if (this.unsaved > 0) this.save('close');
  }

  protected abandon(): void {
    // No file stays open between calls.
  }

  protected doStats(): EngineStats {
    return {
      liveKeys: this.dict.size,
      liveBytes: this.liveBytes,
      memoryBytes: this.liveBytes + this.dict.size * ENTRY_OVERHEAD,
      engineStats: { unsaved: this.unsaved, saves: this.saves },
    };
  }

  protected doInspect(): SnapshotInspect {
    const shown = 500;
    const dict = this.sortedKeys()
      .slice(0, shown)
      .map((k) => {
        const [kb, v] = this.dict.get(k)!;
        return { key: display(kb), value: display(v), keyBytes: kb.length, valueBytes: v.length };
      });
    const files = this.fs
      .list(this.dir)
      .filter((n) => n === LIVE_FILE || n === TEMP_FILE)
      .map((name) => ({
        name,
        size: this.fs.fileSize(join(this.dir, name)),
        role: name === LIVE_FILE ? 'snapshot' : 'temporary',
      }));
    // The file's byte layout is describeSnapshot's (format.ts), not a picture of memory.
    return { engine: 'snapshot', dict, keys: this.dict.size, unsaved: this.unsaved, saves: this.saves, files };
  }
}
