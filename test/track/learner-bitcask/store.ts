/**
 * store.ts: a learner's Bitcask, written from the track's pages alone (lessons/build/bitcask/):
 * an append-only log of records in numbered data files, a keydir in memory, merge with hint
 * files, sync() and the durability rule. The step checks and the grader test it (learner.test.ts).
 */
import { KVError, MAX_KEY_BYTES, MAX_VALUE_BYTES, compareBytes, isKVError, toHex } from '../../../engines/index.js';
import type {
  BatchOp,
  DirLock,
  EngineName,
  EngineSnapshot,
  FileHandle,
  FileSystem,
  Key,
  KVStore,
  Limits,
  Range,
  StoreOptions,
  StoreStats,
  Value,
} from '../../../engines/index.js';
import { toKey, toValue } from '../../../engines/kv.js';
import { wholeOption } from '../../../engines/options.js';
import { aboveLower, belowUpper, inBounds, toBounds, type Bounds } from '../../../engines/range.js';
import { CONTINUES, TOMBSTONE, decodeHint, encodeHint, encodeRecord, readRecord, type HintEntry } from './format.js';

export const NAME = 'learner-bitcask';

/** Where a key's newest record is. */
interface Entry {
  key: Uint8Array;
  file: number;
  offset: number;
  size: number;
}

/** A data file's name from its id: zero-padded, so sorted names are id order. */
const dataName = (id: number) => `${String(id).padStart(6, '0')}.data`;
const hintName = (id: number) => `${String(id).padStart(6, '0')}.hint`;

export class Store implements KVStore {
  readonly engine = NAME as EngineName;
  readonly limits: Limits = { maxKeyBytes: MAX_KEY_BYTES, maxValueBytes: MAX_VALUE_BYTES };
  private readonly fs: FileSystem;
  private readonly dir: string;
  private readonly maxFileBytes: number;
  private readonly syncEveryWrite: boolean;
  private readonly lock: DirLock;
  private keydir = new Map<string, Entry>();
  /** The keydir's keys in bytewise order, until a key is added or removed (entries are looked up at scan time: they move on overwrite). */
  private sorted: string[] | undefined;
  private handles = new Map<number, FileHandle>();
  private active: { id: number; handle: FileHandle } | undefined;
  private maxId = 0;
  private dirDirty = false;
  private failed = false;
  private closed = false;
  private counters = { bytesWritten: 0, bytesRead: 0, syncs: 0, userBytesWritten: 0 };

  constructor(options: StoreOptions & { fs: FileSystem }) {
    this.fs = options.fs;
    this.dir = options.dir;
    // Checked before the lock is taken, so a bad option leaves the directory free.
    this.maxFileBytes = wholeOption('maxFileBytes', options.maxFileBytes, 1, 64 * 1024 * 1024);
    this.syncEveryWrite = options.syncEveryWrite ?? false;
    this.fs.mkdir(this.dir);
    this.lock = this.fs.lock(this.dir);
    try {
      this.recover();
    } catch (e) {
      this.lock.release();
      throw e;
    }
  }

  /** Rebuilds the keydir: each data file in id order, from its hint when the hint is whole. */
  private recover(): void {
    const ids = this.fs
      .list(this.dir)
      .filter((n) => n.endsWith('.data'))
      .map((n) => Number(n.slice(0, 6)))
      .sort((a, b) => a - b);
    for (const id of ids) {
      this.maxId = Math.max(this.maxId, id);
      const h = this.handle(id);
      const size = h.size();
      const hintPath = `${this.dir}/${hintName(id)}`;
      if (this.fs.exists(hintPath)) {
        const bytes = this.readWhole(hintPath);
        const entries = decodeHint(bytes, size);
        if (entries) {
          for (const e of entries) this.set({ ...e, file: id });
          continue;
        }
      }
      this.scanFile(id, h, size);
    }
  }

  /** Replays one data file's records; cuts a torn tail (and an unclosed batch) off. */
  private scanFile(id: number, h: FileHandle, size: number): void {
    const bytes = h.read(0, size);
    this.counters.bytesRead += bytes.length;
    let pos = 0;
    let good = 0;
    let pending: { flags: number; entry: Entry }[] = [];
    for (;;) {
      const r = readRecord(bytes, pos, dataName(id));
      if (r.kind !== 'record') break;
      const { record } = r;
      pending.push({
        flags: record.flags,
        entry: { key: record.key, file: id, offset: record.offset, size: record.size },
      });
      pos = record.offset + record.size;
      if (record.flags & CONTINUES) continue;
      for (const p of pending) {
        if (p.flags & TOMBSTONE) this.remove(p.entry.key);
        else this.set(p.entry);
      }
      pending = [];
      good = pos;
    }
    if (good < size) {
      h.truncate(good);
      h.sync();
    }
  }

  private readWhole(path: string): Uint8Array {
    const f = this.fs.open(path);
    try {
      const b = f.read(0, f.size());
      this.counters.bytesRead += b.length;
      return b;
    } finally {
      f.close();
    }
  }

  private handle(id: number): FileHandle {
    let h = this.handles.get(id);
    if (!h) {
      h = this.fs.open(`${this.dir}/${dataName(id)}`);
      this.handles.set(id, h);
    }
    return h;
  }

  private set(e: Entry): void {
    const k = toHex(e.key);
    if (!this.keydir.has(k)) this.sorted = undefined;
    this.keydir.set(k, e);
  }

  private remove(key: Uint8Array): void {
    if (this.keydir.delete(toHex(key))) this.sorted = undefined;
  }

  private check(): void {
    if (this.closed) throw new KVError('KV_CLOSED', `${NAME}: the store is closed`);
  }

  private checkWritable(): void {
    this.check();
    if (this.failed) throw new KVError('KV_IO', `${NAME}: a write or fsync failed earlier; reopen the store`);
  }

  /** Runs a file-system step; a failure leaves the store failed. */
  private io<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (isKVError(e, 'KV_IO')) this.failed = true;
      throw e;
    }
  }

  /** Appends records as one write to the active file, rolling over first when they would not fit. */
  private append(bytes: Uint8Array): { file: number; offset: number } {
    return this.io(() => {
      if (this.active && this.active.handle.size() > 0 && this.active.handle.size() + bytes.length > this.maxFileBytes)
        this.seal();
      if (!this.active) {
        const id = ++this.maxId;
        const handle = this.fs.open(`${this.dir}/${dataName(id)}`, { create: true });
        this.handles.set(id, handle);
        this.active = { id, handle };
        this.dirDirty = true;
        this.fs.syncDir(this.dir);
        this.dirDirty = false;
        this.counters.syncs++;
      }
      const offset = this.active.handle.append(bytes);
      this.counters.bytesWritten += bytes.length;
      return { file: this.active.id, offset };
    });
  }

  /** Syncs the active file and stops appending to it. */
  private seal(): void {
    if (!this.active) return;
    this.active.handle.sync();
    this.counters.syncs++;
    this.active = undefined;
  }

  private write(ops: { key: Uint8Array; value: Uint8Array | undefined }[]): void {
    if (ops.length === 0) return;
    const records = ops.map((o, i) =>
      encodeRecord(
        (o.value === undefined ? TOMBSTONE : 0) | (i < ops.length - 1 ? CONTINUES : 0),
        o.key,
        o.value ?? new Uint8Array(0),
      ),
    );
    const blob = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
    let p = 0;
    for (const r of records) {
      blob.set(r, p);
      p += r.length;
    }
    const at = this.append(blob);
    let offset = at.offset;
    ops.forEach((o, i) => {
      if (o.value === undefined) this.remove(o.key);
      else this.set({ key: o.key.slice(), file: at.file, offset, size: records[i]!.length });
      offset += records[i]!.length;
      this.counters.userBytesWritten += o.key.length + (o.value?.length ?? 0);
    });
    if (this.syncEveryWrite) this.sync();
  }

  get(key: Key): Uint8Array | undefined {
    this.check();
    const k = toKey(key, this.limits);
    const e = this.keydir.get(toHex(k));
    return e && this.readValue(e);
  }

  /** Reads an entry's record and checks it is the key's. */
  private readValue(e: Entry): Uint8Array {
    const bytes = this.handle(e.file).read(e.offset, e.size);
    this.counters.bytesRead += bytes.length;
    const r = readRecord(bytes, 0, dataName(e.file));
    if (r.kind !== 'record' || r.record.size !== e.size || compareBytes(r.record.key, e.key) !== 0) {
      throw new KVError('KV_CORRUPT', `${dataName(e.file)}: no good record of this key at offset ${e.offset}`, {
        file: dataName(e.file),
        offset: e.offset,
      });
    }
    return r.record.value;
  }

  put(key: Key, value: Value): void {
    this.checkWritable();
    this.write([{ key: toKey(key, this.limits), value: toValue(value, this.limits) }]);
  }

  delete(key: Key): void {
    this.checkWritable();
    const k = toKey(key, this.limits);
    if (this.keydir.has(toHex(k))) this.write([{ key: k, value: undefined }]);
  }

  batch(ops: BatchOp[]): void {
    this.checkWritable();
    if (!Array.isArray(ops)) throw new KVError('KV_BAD_BATCH', 'a batch is an array of ops');
    const checked = ops.map((o) => {
      if (!o || (o.type !== 'put' && o.type !== 'delete'))
        throw new KVError('KV_BAD_BATCH', 'each op is { type: "put", key, value } or { type: "delete", key }');
      return { key: toKey(o.key, this.limits), value: o.type === 'put' ? toValue(o.value, this.limits) : undefined };
    });
    this.write(checked);
  }

  /** Checks the range now (a bad one throws at the call), then walks the keys lazily. */
  scan(range?: Range): IterableIterator<[Uint8Array, Uint8Array]> {
    this.check();
    return this.cursor(toBounds(range, this.limits));
  }

  /** The keydir's keys in bytewise order (re-sorted after a key is added or removed). */
  private sortedKeys(): Uint8Array[] {
    if (!this.sorted)
      this.sorted = [...this.keydir.values()].sort((x, y) => compareBytes(x.key, y.key)).map((e) => toHex(e.key));
    return this.sorted.map((k) => this.keydir.get(k)!.key);
  }

  /**
   * A live cursor: each step finds the next key after the last one returned in the keys as
   * they are now, so writes during a scan are seen past the cursor and deleted keys are not.
   */
  private *cursor(b: Bounds): IterableIterator<[Uint8Array, Uint8Array]> {
    let last: Uint8Array | undefined;
    for (let n = 0; n < b.limit; n++) {
      this.check();
      const keys = this.sortedKeys();
      // Binary search: the first key after `last` (forward) or the last key before it (reverse).
      let lo = 0;
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const c = last === undefined ? (b.reverse ? -1 : 1) : compareBytes(keys[mid]!, last);
        if (b.reverse ? c < 0 : c <= 0) lo = mid + 1;
        else hi = mid;
      }
      let i = b.reverse ? lo - 1 : lo;
      if (last === undefined) i = b.reverse ? keys.length - 1 : 0;
      // Skip to the range's edge on the first step, then stop at its other edge.
      while (
        i >= 0 &&
        i < keys.length &&
        !inBounds(keys[i]!, b) &&
        (b.reverse ? !belowUpper(keys[i]!, b) : !aboveLower(keys[i]!, b))
      )
        i += b.reverse ? -1 : 1;
      if (i < 0 || i >= keys.length || !inBounds(keys[i]!, b)) return;
      const e = this.keydir.get(toHex(keys[i]!))!;
      last = e.key;
      yield [e.key.slice(), this.readValue(e)];
    }
  }

  sync(): void {
    this.checkWritable();
    this.io(() => {
      if (this.active) {
        this.active.handle.sync();
        this.counters.syncs++;
      }
      if (this.dirDirty) {
        this.fs.syncDir(this.dir);
        this.dirDirty = false;
      }
    });
  }

  /** Merge: copy the live records into new files above every id, hint each, then remove the old files oldest first. */
  compact(): void {
    this.checkWritable();
    this.io(() => {
      // Step 1: seal the active file, so everything to merge is immutable.
      this.seal();
      const old = [...this.handles.keys()].sort((a, b) => a - b);
      // Step 2: write every live record into new files, each synced with its hint.
      const live = [...this.keydir.values()].sort((x, y) => compareBytes(x.key, y.key));
      let out: { id: number; h: FileHandle; hint: HintEntry[] } | undefined;
      const moved: Entry[] = [];
      const finish = () => {
        if (!out) return;
        out.h.sync();
        const hint = this.fs.open(`${this.dir}/${hintName(out.id)}`, { create: true, truncate: true });
        const bytes = encodeHint(out.h.size(), out.hint);
        hint.write(0, bytes);
        hint.sync();
        hint.close();
        this.counters.bytesWritten += bytes.length;
        this.counters.syncs += 2;
        out = undefined;
      };
      for (const e of live) {
        const value = this.readValue(e);
        const rec = encodeRecord(0, e.key, value);
        if (out && out.h.size() > 0 && out.h.size() + rec.length > this.maxFileBytes) finish();
        if (!out) {
          const id = ++this.maxId;
          const h = this.fs.open(`${this.dir}/${dataName(id)}`, { create: true });
          this.handles.set(id, h);
          out = { id, h, hint: [] };
        }
        const offset = out.h.append(rec);
        this.counters.bytesWritten += rec.length;
        out.hint.push({ key: e.key, offset, size: rec.length });
        moved.push({ key: e.key, file: out.id, offset, size: rec.length });
      }
      finish();
      this.fs.syncDir(this.dir);
      for (const e of moved) this.set(e);
      // Step 3: remove the old files oldest first, syncing the directory after each, so the
      // survivors of a crash are always the newest old files and no tombstone is lost before its put.
      for (const id of old) {
        this.handles.get(id)?.close();
        this.handles.delete(id);
        this.fs.remove(`${this.dir}/${dataName(id)}`);
        this.fs.remove(`${this.dir}/${hintName(id)}`);
        this.fs.syncDir(this.dir);
      }
    });
  }

  close(): void {
    if (this.closed) return;
    try {
      if (!this.failed) this.sync();
    } finally {
      this.closed = true;
      for (const h of this.handles.values()) h.close();
      this.handles.clear();
      this.lock.release();
    }
  }

  stats(): StoreStats {
    this.check();
    const names = this.fs.list(this.dir);
    let liveBytes = 0;
    for (const e of this.keydir.values()) liveBytes += e.size;
    return {
      engine: this.engine,
      ...this.counters,
      files: names.length,
      diskBytes: names.reduce((n, f) => n + this.fs.fileSize(`${this.dir}/${f}`), 0),
      liveKeys: this.keydir.size,
      liveBytes,
      memoryBytes: this.keydir.size * 64,
      engineStats: { dataFiles: this.handles.size },
    };
  }

  inspect(): EngineSnapshot {
    this.check();
    return {
      engine: this.engine,
      keys: this.keydir.size,
      active: this.active?.id ?? null,
      files: [...this.handles.keys()].map(dataName),
    } as unknown as EngineSnapshot;
  }
}
