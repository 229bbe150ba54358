/**
 * wal.ts: the write-ahead log (LevelDB's log_writer.cc / log_reader.cc, without the 32 KiB
 * block padding: one frame per record, see codec/frame.ts).
 *
 * Every put, delete and batch is appended to the log as one frame before it goes into the
 * memtable, so a batch is all-or-nothing: its frame is whole or it is dropped. sync() fsyncs
 * the log; until then the records may be lost, but only from the end (the log is append-only,
 * so what survives a power loss is a prefix, possibly with a torn last frame).
 *
 * Reading back: whole frames are replayed in order, up to the first bad frame, which is
 * dropped with everything after it when it can only be an interrupted, unsynced append:
 *   - it runs past the end of the file (torn), unless its length differs by one bit from a
 *     length that makes its checksum match (a flipped bit, not a torn write);
 *   - its claimed length ends exactly at the end of the file (a last write half landed);
 *   - every byte from it to the end is zero (the file grew, the data never came);
 *   - some 512-byte sector's share of it is all zeros (a disk that reorders writes lost that
 *     sector of an unsynced append, yet kept a later one).
 * Everything after an unsynced byte of an append-only file is unsynced too, so dropping it
 * keeps the durability rule. Any other bad frame (a flipped bit, garbage) is KV_CORRUPT.
 */
import { corrupt } from '../errors.js';
import { FRAME_HEADER, decodeFrame, sealFrame } from '../codec/frame.js';
import type { FileHandle } from '../storage/fs.js';

/**
 * Appends framed records to one log file, through a buffer of `bufferBytes` (LevelDB hands
 * each record to the OS with a write(); this keeps records in process memory until sync(),
 * or until the buffer fills, then writes them in one call). A put is then an in-memory
 * append, and sync() is one write and one fsync. The file stays append-only, so a crash
 * keeps a prefix of the records, as before. bufferBytes 0 writes every record at once.
 */
export class LogWriter {
  /** Bytes in the log, written or buffered (where the next record goes). */
  size: number;
  /** Records not yet written to the file; `used` bytes of it are filled. */
  private buf: Uint8Array;
  private used = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly number: number,
    private readonly bufferBytes = 0,
  ) {
    this.size = handle.size();
    this.buf = new Uint8Array(Math.max(256, Math.min(bufferBytes, 64 * 1024)));
  }

  /**
   * Appends one record whose payload `encode` writes into `out` at `at` (exactly `length`
   * bytes, returning the end); returns the record's offset and framed length.
   */
  appendWith(length: number, encode: (out: Uint8Array, at: number) => number): { offset: number; bytes: number } {
    const framed = FRAME_HEADER + length;
    // Step 1: room in the buffer (written out first if this record would overflow it).
    if (this.used > 0 && this.used + framed > Math.max(this.bufferBytes, this.buf.length)) this.flush();
    if (this.used + framed > this.buf.length) this.grow(this.used + framed);
    // Step 2: the payload straight into the buffer, then its frame header around it.
    const at = this.used;
    const end = encode(this.buf, at + FRAME_HEADER);
    if (end !== at + framed)
      throw new Error(`log record encoder wrote ${end - at - FRAME_HEADER} bytes, not ${length}`);
    sealFrame(this.buf, at, length);
    this.used += framed;
    const offset = this.size;
    this.size += framed;
    // Step 3: unbuffered, the record goes to the file now.
    if (this.used > this.bufferBytes) this.flush();
    return { offset, bytes: framed };
  }

  /** Appends one record; returns its offset and framed length. */
  append(payload: Uint8Array): { offset: number; bytes: number } {
    return this.appendWith(payload.length, (out, at) => {
      out.set(payload, at);
      return at + payload.length;
    });
  }

  /** Writes the buffered records to the file (one write; no fsync). */
  flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.handle.append(this.buf.subarray(0, n));
    this.used = 0;
  }

  /** A buffer of at least `n` bytes, keeping what is in it. */
  private grow(n: number): void {
    let cap = this.buf.length;
    while (cap < n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.used));
    this.buf = next;
  }

  /** Makes every appended record durable: one write of the buffer, one fsync. */
  sync(): void {
    this.flush();
    this.handle.sync();
  }

  /** Writes what is buffered, then closes the file. */
  close(): void {
    this.flush();
    this.handle.close();
  }

  /** Closes the file, dropping what is buffered (after a failure: nothing more is written). */
  abandon(): void {
    this.used = 0;
    this.handle.close();
  }
}

/** What reading a log (or a manifest, which uses the same frames) found. */
export interface LogContents {
  /** Each whole record's payload and the offset of its frame. */
  records: { payload: Uint8Array; offset: number }[];
  /** Where a dropped torn tail began, if there was one. */
  tornAt?: number;
  /** Why the tail was dropped. */
  reason?: string;
}

/**
 * Reads every whole frame of `bytes` (the contents of `file`), dropping a torn tail. With
 * `syncedEach` (the manifest, whose every append is fsynced at once) a whole-length last frame
 * with a bad checksum is corruption, not a half-landed write: only a frame that runs past the
 * end or lost a sector can be the one unsynced append.
 */
export function readFrames(bytes: Uint8Array, file: string, syncedEach = false): LogContents {
  const out: LogContents = { records: [] };
  let o = 0;
  while (o < bytes.length) {
    const r = decodeFrame(bytes, o);
    if (r.kind === 'ok') {
      out.records.push({ payload: r.payload, offset: o });
      o = r.next;
      continue;
    }
    if (lengthBitFlipped(bytes, o)) throw corrupt(file, o, 'a frame length has a flipped bit');
    if (r.kind === 'corrupt' && !lastFrame(bytes, o, syncedEach)) throw corrupt(file, o, r.reason);
    // The tail of an interrupted append: drop it.
    out.tornAt = o;
    out.reason = r.reason;
    break;
  }
  return out;
}

/** The sector size a reordering disk loses writes in. */
const SECTOR = 512;

/** True when the bad frame at `o` can only be the tail of an interrupted, unsynced append. */
function lastFrame(bytes: Uint8Array, o: number, syncedEach: boolean): boolean {
  const n = bytes.length;
  if (o + 8 > n) return true;
  const len = new DataView(bytes.buffer, bytes.byteOffset + o, 4).getUint32(0, true);
  if (o + 8 + len >= n && !syncedEach) return true;
  // A lost sector: the frame's part of some 512-byte sector is all zeros.
  const end = Math.min(n, o + 8 + len);
  for (let s = o - (o % SECTOR); s < end; s += SECTOR) {
    const a = Math.max(o, s);
    const b = Math.min(end, s + SECTOR);
    let zero = true;
    for (let i = a; i < b && zero; i++) zero = bytes[i] === 0;
    if (zero) return true;
  }
  // Zeros to the end of the file (checked after: a zeroed header makes len 0).
  for (let i = o; i < n; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * True when the frame at `o`, which claims to run past the end, is whole and checks out with
 * one bit of its length flipped back: damage to a written frame, not a torn append.
 */
function lengthBitFlipped(bytes: Uint8Array, o: number): boolean {
  if (o + FRAME_HEADER > bytes.length) return false;
  const len = new DataView(bytes.buffer, bytes.byteOffset + o, 4).getUint32(0, true);
  for (let b = 0; b < 32; b++) {
    const alt = (len ^ (1 << b)) >>> 0;
    if (o + FRAME_HEADER + alt > bytes.length) continue;
    const copy = bytes.slice(o, o + FRAME_HEADER + alt);
    new DataView(copy.buffer).setUint32(0, alt, true);
    if (decodeFrame(copy, 0).kind === 'ok') return true;
  }
  return false;
}
