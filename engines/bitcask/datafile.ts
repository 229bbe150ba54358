/**
 * datafile.ts: one data file as the engine tracks it: its size, how many of its bytes are
 * live, whether a merge wrote it (and a hint beside it), and its open handle.
 *
 * Invariants:
 *   - `size` is the file's length as the engine wrote it (recovery first cuts a torn tail);
 *   - `liveBytes` is the total size of the records the keydir points into this file, so
 *     `size - liveBytes` is dead: overwritten values, deleted values and tombstones;
 *   - only the active file is appended to; every other file is sealed: immutable, fully
 *     synced, and listed in the MANIFEST with its exact size.
 */
import { corrupt } from '../errors.js';
import { equalBytes } from '../bytes.js';
import type { FileHandle, FileSystem } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { FLAG_TOMBSTONE, RECORD_HEADER, dataName, decodeRecord, hintName } from './format.js';
import type { KeydirEntry } from './keydir.js';
import type { ReadCache } from './read-cache.js';

/** A data file. */
export class DataFile {
  readonly name: string;
  readonly path: string;
  readonly hintPath: string;
  /** Bytes of records the keydir points at. */
  liveBytes = 0;
  /** True when a merge wrote this file (it has a hint file and is never appended to). */
  merged = false;
  /** True when the MANIFEST says a merge wrote a hint file beside it (a sealed file only). */
  hint = false;
  /** True when bytes were appended since the last sync. */
  dirty = false;
  private handle: FileHandle | undefined;

  constructor(
    readonly id: number,
    dir: string,
    /** The file's length in bytes. */
    public size: number,
  ) {
    this.name = dataName(id);
    this.path = join(dir, this.name);
    this.hintPath = join(dir, hintName(id));
  }

  /** Bytes no live key needs: what a merge reclaims. */
  get deadBytes(): number {
    return this.size - this.liveBytes;
  }

  /** The open handle, opening the file on first use (never creating it). */
  file(fs: FileSystem): FileHandle {
    if (!this.handle) this.handle = fs.open(this.path);
    return this.handle;
  }

  /** Creates the file (empty) and keeps its handle. */
  create(fs: FileSystem): FileHandle {
    this.handle = fs.open(this.path, { create: true, truncate: true });
    return this.handle;
  }

  /** Adopts a handle opened elsewhere (a merge's output writer). */
  adopt(handle: FileHandle): void {
    this.handle = handle;
  }

  /** Appends `bytes` and returns the offset they start at. */
  append(fs: FileSystem, bytes: Uint8Array): number {
    const at = this.file(fs).append(bytes);
    this.size = at + bytes.length;
    this.dirty = true;
    return at;
  }

  /** Makes every append durable. */
  sync(fs: FileSystem): void {
    if (!this.dirty) return;
    this.file(fs).sync();
    this.dirty = false;
  }

  /**
   * Reads the value `entry` points at, for `key`: the whole record, from the block cache or
   * in one read, so the CRC and the key can be checked. A mismatch is KV_CORRUPT naming the
   * file and offset: never a silently wrong value. The value returned is the caller's own copy.
   */
  readValue(fs: FileSystem, key: Uint8Array, entry: KeydirEntry, cache: ReadCache): Uint8Array {
    const at = entry.valueOffset - RECORD_HEADER - key.length;
    const size = RECORD_HEADER + key.length + entry.valueSize;
    const bytes = cache.read(this.id, this.file(fs), this.size, at, size);
    if (bytes.length < size)
      throw corrupt(this.path, at, `the file ends ${size - bytes.length} bytes into the record the keydir points at`);
    const r = decodeRecord(bytes, 0, size, at);
    if (r.kind !== 'ok')
      throw corrupt(
        this.path,
        at,
        r.kind === 'torn' ? `the record is not where the keydir says (${r.reason})` : r.reason,
      );
    const rec = r.record;
    if (rec.size !== size || rec.seq !== entry.seq || rec.flags & FLAG_TOMBSTONE || !equalBytes(rec.key, key)) {
      throw corrupt(this.path, at, 'the record there is not the one the keydir points at');
    }
    return rec.value.slice();
  }

  /** Releases the handle (writes nothing). */
  close(): void {
    this.handle?.close();
    this.handle = undefined;
  }
}
