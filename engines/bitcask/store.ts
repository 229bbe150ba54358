/**
 * store.ts: the bitcask engine (Sheehy and Smith, 2010): an append-only log on disk plus an
 * in-memory hash index, the keydir, from every live key to where its newest value is.
 *
 *   put/delete  append one record (a tombstone for a delete) to the active file, then point
 *               the keydir at it (or remove the key). One write; nothing is read.
 *   get         look the key up in the keydir; if present, one read of its record. A missing
 *               key reads nothing.
 *   batch       all its records in one append; recovery applies them only if the last one,
 *               which closes the batch, is there.
 *   sync        fsync the active file (older files were synced when they were sealed).
 *   rollover    when the next append would take the active file past maxFileBytes, sync it,
 *               seal it (immutable from now on), create the next file and write a MANIFEST
 *               listing the sealed file at its size and the new one as active (manifest.ts).
 *   close       seal the active file the same way: a closed store has no unsealed file.
 *   merge       compact(), or automatically (see maybeMerge): merge.ts.
 *   open        recovery.ts.
 *
 * The cost, which the lesson says plainly: every key lives in memory (the keydir), and a
 * scan must sort the keys first, since a hash keeps no order.
 */
import { wholeOption } from '../options.js';
import { KVError } from '../errors.js';
import { display } from '../bytes.js';
import { BaseStore, type ByteOp, type EngineStats } from '../store.js';
import { aboveLower, belowUpper, type Bounds } from '../range.js';
import type { StoreOptions } from '../kv.js';
import { readWhole } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { DataFile } from './datafile.js';
import {
  FLAG_BATCH_CONTINUES,
  FLAG_TOMBSTONE,
  RECORD_HEADER,
  dataName,
  decodeHint,
  decodeRecord,
  encodeRecord,
  encodeRecordInto,
  hintName,
  parseMergeMarker,
  parseName,
  recordSize,
} from './format.js';
import { binKey, keyBytes } from './keydir.js';
import { readManifest } from './manifest.js';
import { merge } from './merge.js';
import { recover } from './recovery.js';
import { BitcaskState, type BitcaskTuning } from './state.js';
import type { BitcaskInspect, DataFileStrip, HintFileStrip, RecordStrip } from './inspect.js';

/** Defaults for the tuning options (kv.ts documents them). */
export const DEFAULTS: BitcaskTuning = {
  maxFileBytes: 64 * 1024 * 1024,
  syncEveryWrite: false,
  mergeDeadRatio: 0.5,
  mergeMinDeadBytes: 1024 * 1024,
  readCacheBytes: 8 * 1024 * 1024,
};

/** The bitcask engine. */
export class BitcaskStore extends BaseStore {
  /** inspect()'s decoded records of each data file, by id (see stripOf). */
  private readonly strips = new Map<
    number,
    {
      name: string;
      end: number;
      count: number;
      records: { offset: number; size: number; seq: number; flags: number; bin: string; key: string; value: string }[];
    }
  >();
  private readonly s: BitcaskState;

  /** Opens (or creates) a bitcask store in options.dir, recovering what is there. */
  constructor(options: StoreOptions) {
    // Check the tuning before BaseStore takes the directory lock, so a bad option leaks nothing.
    const tuning = options && typeof options === 'object' ? checkTuning(options) : DEFAULTS;
    super('bitcask', options);
    this.s = new BitcaskState(this.fs, this.dir, this.trace, tuning);
    this.opening(() => recover(this.s));
  }

  // ---- the write path -------------------------------------------------------------------

  /** Appends `bytes` to the active file, rolling over first if they would not fit; returns where they went. */
  private append(bytes: Uint8Array): { file: DataFile; offset: number } {
    const s = this.s;
    const a = s.active;
    // Rollover: a non-empty active file that would pass maxFileBytes is sealed. A record
    // bigger than maxFileBytes still goes whole into a file of its own.
    if (a && a.size > 0 && a.size + bytes.length > s.tuning.maxFileBytes) s.sealActive();
    if (!s.active) {
      // Create the next file, then list it in the MANIFEST (with the file just sealed, if
      // any, at its final size). The MANIFEST's directory fsync makes both names durable
      // before a byte is written, so a later sync() never lands in a file a power loss
      // forgets; a crash before the MANIFEST leaves an empty unlisted file that open removes.
      const f = new DataFile(s.lastId + 1, this.dir, 0);
      f.create(this.fs);
      s.files.set(f.id, f);
      s.lastId = f.id;
      s.active = f;
      s.recordFiles('rollover');
      this.trace?.({ type: 'bitcask.rollover', ...(a ? { from: a.name } : {}), to: f.name, size: a?.size ?? 0 });
    }
    const file = s.active!;
    return { file, offset: file.append(this.fs, bytes) };
  }

  /** After a write: sync if asked to, then merge if the immutable files are dead enough. */
  private afterWrite(): void {
    if (this.s.tuning.syncEveryWrite) this.s.active?.sync(this.fs);
    this.maybeMerge();
  }

  /**
   * The automatic merge threshold: dead bytes in the immutable files are at least
   * mergeMinDeadBytes and at least mergeDeadRatio of those files' total size.
   */
  private maybeMerge(): void {
    const { dead, total } = this.s.immutableBytes();
    const t = this.s.tuning;
    if (dead > 0 && dead >= t.mergeMinDeadBytes && dead >= t.mergeDeadRatio * total) merge(this.s, 'auto');
  }

  protected doPut(key: Uint8Array, value: Uint8Array): void {
    const seq = this.s.nextSeq++;
    const { file, offset } = this.append(encodeRecord(seq, 0, key, value));
    this.trace?.({
      type: 'bitcask.append',
      file: file.name,
      offset,
      bytes: recordSize(key.length, value.length),
      seq,
      kind: 'put',
      key: display(key),
      value: display(value),
    });
    this.s.applyPut(binKey(key), file, offset, value.length, seq);
    this.afterWrite();
  }

  /** Appends a tombstone, unless the key is not there (then there is nothing to delete). */
  protected doDelete(key: Uint8Array): void {
    const k = binKey(key);
    if (!this.s.keydir.get(k)) return;
    const seq = this.s.nextSeq++;
    const { file, offset } = this.append(encodeRecord(seq, FLAG_TOMBSTONE, key, new Uint8Array(0)));
    this.trace?.({
      type: 'bitcask.append',
      file: file.name,
      offset,
      bytes: recordSize(key.length, 0),
      seq,
      kind: 'delete',
      key: display(key),
    });
    this.s.applyDelete(k, seq);
    this.afterWrite();
  }

  /** One append for the whole batch; every record but the last says "the batch continues". */
  protected doBatch(ops: ByteOp[]): void {
    let n = 0;
    for (const op of ops) n += recordSize(op.key.length, op.type === 'put' ? op.value.length : 0);
    const bytes = new Uint8Array(n);
    const firstSeq = this.s.nextSeq;
    let o = 0;
    ops.forEach((op, i) => {
      const flags = (op.type === 'delete' ? FLAG_TOMBSTONE : 0) | (i < ops.length - 1 ? FLAG_BATCH_CONTINUES : 0);
      o = encodeRecordInto(bytes, o, firstSeq + i, flags, op.key, op.type === 'put' ? op.value : new Uint8Array(0));
    });
    this.s.nextSeq += ops.length;
    const { file, offset } = this.append(bytes);
    this.trace?.({ type: 'bitcask.batch', file: file.name, offset, bytes: n, ops: ops.length, firstSeq });
    // Only now, with the batch on its way to disk whole, does the keydir change.
    o = offset;
    ops.forEach((op, i) => {
      if (op.type === 'put') this.s.applyPut(binKey(op.key), file, o, op.value.length, firstSeq + i);
      else this.s.applyDelete(binKey(op.key), firstSeq + i);
      o += recordSize(op.key.length, op.type === 'put' ? op.value.length : 0);
    });
    this.afterWrite();
  }

  // ---- reads ----------------------------------------------------------------------------

  /** A keydir lookup, then (if found) exactly one read. */
  protected doGet(key: Uint8Array): Uint8Array | undefined {
    const e = this.s.keydir.get(binKey(key));
    if (!e) {
      this.trace?.({ type: 'bitcask.lookup', key: display(key), found: false });
      return undefined;
    }
    const f = this.s.fileOf(e.file);
    this.trace?.({
      type: 'bitcask.lookup',
      key: display(key),
      found: true,
      file: f.name,
      offset: e.valueOffset - RECORD_HEADER - key.length,
      bytes: recordSize(key.length, e.valueSize),
    });
    return f.readValue(this.fs, key, e, this.s.cache);
  }

  /** Walks the keydir's keys in order from the start bound, reading each value (one read per key). */
  protected *doScan(b: Bounds): Iterator<[Uint8Array, Uint8Array]> {
    const from = b.reverse ? b.upper : b.lower;
    for (const k of this.s.keydir.keysFrom(from && binKey(from.key), from?.inclusive ?? true, b.reverse)) {
      const key = keyBytes(k);
      if (b.reverse ? !aboveLower(key, b) : !belowUpper(key, b)) return;
      const e = this.s.keydir.get(k)!;
      yield [key, this.s.fileOf(e.file).readValue(this.fs, key, e, this.s.cache)];
    }
  }

  // ---- the rest of the contract -----------------------------------------------------------

  /** Syncs the active file: the only one that can hold unsynced appends. */
  protected doSync(): void {
    this.s.active?.sync(this.fs);
  }

  /** Merges every file, the active one included. */
  protected doCompact(): void {
    merge(this.s, 'compact');
  }

  /**
   * Seals the active file: sync it, then a MANIFEST that lists it at its final size and names
   * no active file. A cleanly closed store thus has no unsealed file: any damage to any file
   * is corruption, never a torn tail, and the next open starts a fresh active file.
   */
  protected doClose(): void {
    const s = this.s;
    if (s.active || s.manifestActive) {
      s.sealActive();
      s.recordFiles('close');
    }
    s.closeAll();
  }

  protected abandon(): void {
    this.s.closeAll();
  }

  protected doStats(): EngineStats {
    const s = this.s;
    const imm = s.immutableBytes();
    let dead = 0;
    let hints = 0;
    for (const f of s.files.values()) {
      dead += f.deadBytes;
      if (f.merged) hints++;
    }
    const memory = s.keydir.memoryBytes();
    return {
      liveKeys: s.keydir.size,
      liveBytes: s.liveUserBytes,
      memoryBytes: memory + s.cache.bytes,
      engineStats: {
        dataFiles: s.files.size,
        hintFiles: hints,
        deadBytes: dead,
        immutableDeadBytes: imm.dead,
        immutableBytes: imm.total,
        activeFileBytes: s.active?.size ?? 0,
        keydirBytes: memory,
        keydirBytesPerKey: s.keydir.size > 0 ? Math.round(memory / s.keydir.size) : 0,
        cacheBytes: s.cache.bytes,
        cacheHits: s.cache.hits,
        cacheMisses: s.cache.misses,
        merges: s.merges,
        nextSeq: s.nextSeq,
      },
    };
  }

  /** The keydir and every file as a strip of records, read around the I/O counters. */
  protected doInspect(): BitcaskInspect {
    const s = this.s;
    const shown = 500;
    const keydir = s.keydir
      .sortedKeys()
      .slice(0, shown)
      .map((k) => {
        const e = s.keydir.get(k)!;
        return {
          key: display(keyBytes(k)),
          file: s.fileOf(e.file).name,
          valueOffset: e.valueOffset,
          valueSize: e.valueSize,
          seq: e.seq,
        };
      });
    const dataFiles: DataFileStrip[] = s.ids().map((id) => this.stripOf(s.fileOf(id), shown));
    // Forget the strips of files a merge removed.
    const ids = new Set(s.ids());
    for (const id of this.strips.keys()) if (!ids.has(id)) this.strips.delete(id);
    const hintFiles: HintFileStrip[] = [];
    for (const name of this.rawFs.list(this.dir)) {
      const p = parseName(name);
      if (p?.kind !== 'hint') continue;
      const bytes = readWhole(this.rawFs, join(this.dir, name));
      const h = decodeHint(bytes, p.id, s.files.get(p.id)?.size ?? -1);
      const entries = 'entries' in h ? h.entries.slice(0, shown) : [];
      hintFiles.push({
        name,
        size: bytes.length,
        data: name.replace(/\.hint$/, '.data'),
        entries: entries.map((e) => ({
          key: display(e.key),
          seq: e.seq,
          recordOffset: e.recordOffset,
          valueSize: e.valueLength,
        })),
      });
    }
    const imm = s.immutableBytes();
    const marker = this.rawFs.list(this.dir).find((n) => parseMergeMarker(n));
    const m = readManifest(this.rawFs, this.dir);
    const manifest = m && {
      lastId: m.lastId,
      ...(m.active ? { active: dataName(m.active) } : {}),
      sealed: m.sealed.map((f) => ({ file: dataName(f.id), size: f.size, hint: f.hint })),
    };
    return {
      engine: 'bitcask',
      keydir,
      keys: s.keydir.size,
      ...(s.active ? { active: s.active.name } : {}),
      dataFiles,
      hintFiles,
      ...(manifest ? { manifest } : {}),
      ...(marker ? { mergeMarker: marker } : {}),
      nextSeq: s.nextSeq,
      maxFileBytes: s.tuning.maxFileBytes,
      merge: {
        deadRatio: s.tuning.mergeDeadRatio,
        minDeadBytes: s.tuning.mergeMinDeadBytes,
        immutableDeadBytes: imm.dead,
        immutableBytes: imm.total,
        merges: s.merges,
      },
      shown,
    };
  }

  /**
   * One data file as a strip of records (their byte fields are the describers',
   * record-format.ts). Records are only ever appended, so the decoded records of each file are
   * kept and only its new tail is read; whether the keydir points at each is worked out anew.
   */
  private stripOf(f: DataFile, shown: number): DataFileStrip {
    let known = this.strips.get(f.id);
    // A file cut shorter (recovery) or replaced under its id is read again from the start.
    if (!known || known.name !== f.name || known.end > f.size) known = { name: f.name, end: 0, count: 0, records: [] };
    if (known.end < f.size) {
      const bytes = readWhole(this.rawFs, f.path).subarray(0, f.size);
      let o = known.end;
      while (o < bytes.length) {
        const r = decodeRecord(bytes, o);
        if (r.kind !== 'ok') break;
        const rec = r.record;
        // Only the records a strip shows are kept; the rest are counted.
        if (known.records.length < shown)
          known.records.push({
            offset: o,
            size: rec.size,
            seq: rec.seq,
            flags: rec.flags,
            bin: binKey(rec.key),
            key: display(rec.key),
            value: display(rec.value),
          });
        known.count++;
        o += rec.size;
      }
      known.end = o;
    }
    this.strips.set(f.id, known);
    const strip: RecordStrip[] = known.records.map((rec) => {
      const e = this.s.keydir.get(rec.bin);
      const tomb = (rec.flags & FLAG_TOMBSTONE) !== 0;
      return {
        offset: rec.offset,
        size: rec.size,
        seq: rec.seq,
        kind: tomb ? 'delete' : 'put',
        batchContinues: (rec.flags & FLAG_BATCH_CONTINUES) !== 0,
        key: rec.key,
        ...(tomb ? {} : { value: rec.value }),
        live: !tomb && e !== undefined && e.file === f.id && e.seq === rec.seq,
      };
    });
    const records = known.count;
    return {
      name: f.name,
      id: f.id,
      size: f.size,
      role: f === this.s.active ? 'active' : f.merged ? 'merged' : 'immutable',
      liveBytes: f.liveBytes,
      deadBytes: f.deadBytes,
      ...(f.merged ? { hint: hintName(f.id) } : {}),
      strip,
      records,
      tailBytes: f.size - known.end,
    };
  }
}

/** Checks the bitcask tuning options and fills in defaults. */
function checkTuning(o: StoreOptions): BitcaskTuning {
  const t = {
    maxFileBytes: wholeOption('maxFileBytes', o.maxFileBytes, 1, DEFAULTS.maxFileBytes),
    syncEveryWrite: o.syncEveryWrite ?? DEFAULTS.syncEveryWrite,
    mergeDeadRatio: o.mergeDeadRatio ?? DEFAULTS.mergeDeadRatio,
    mergeMinDeadBytes: wholeOption('mergeMinDeadBytes', o.mergeMinDeadBytes, 0, DEFAULTS.mergeMinDeadBytes),
    readCacheBytes: wholeOption('readCacheBytes', o.readCacheBytes, 0, DEFAULTS.readCacheBytes),
  };
  if (typeof t.syncEveryWrite !== 'boolean') throw new KVError('KV_BAD_OPTION', 'syncEveryWrite must be true or false');
  if (typeof t.mergeDeadRatio !== 'number' || !(t.mergeDeadRatio >= 0 && t.mergeDeadRatio <= 1)) {
    throw new KVError('KV_BAD_OPTION', `mergeDeadRatio must be a number from 0 to 1, not ${String(t.mergeDeadRatio)}`);
  }
  return t;
}
