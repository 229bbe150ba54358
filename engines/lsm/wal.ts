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
import { FRAME_HEADER, decodeFrame, encodeFrame } from '../codec/frame.js';
import type { FileHandle } from '../storage/fs.js';

/** Appends framed records to one log file. */
export class LogWriter {
  /** Bytes in the file (where the next record goes). */
  size: number;

  constructor(
    private readonly handle: FileHandle,
    readonly number: number,
  ) {
    this.size = handle.size();
  }

  /** Appends one record; returns its offset and framed length. */
  append(payload: Uint8Array): { offset: number; bytes: number } {
    const frame = encodeFrame(payload);
    const offset = this.handle.append(frame);
    this.size = offset + frame.length;
    return { offset, bytes: frame.length };
  }

  /** Makes every appended record durable. */
  sync(): void {
    this.handle.sync();
  }

  /** Closes the file. */
  close(): void {
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
