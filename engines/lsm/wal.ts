/**
 * wal.ts: the write-ahead log (LevelDB's log_writer.cc / log_reader.cc, without the 32 KiB
 * block padding: one frame per record, see codec/frame.ts).
 *
 * Every put, delete and batch is appended to the log as one frame before it goes into the
 * memtable, so a batch is all-or-nothing: its frame is whole or it is dropped. sync() fsyncs
 * the log; until then the records may be lost, but only from the end (the log is append-only,
 * so what survives a power loss is a prefix, possibly with a torn last frame).
 *
 * Reading back: whole frames are replayed in order. The end of a file may hold a torn frame
 * (it runs past the end) or, on a real disk, a last frame whose checksum fails because its
 * sector was half written: both are the tail of an interrupted append and are dropped. A bad
 * frame with more bytes after it is real corruption: KV_CORRUPT.
 */
import { corrupt } from '../errors.js';
import { decodeFrame, encodeFrame } from '../codec/frame.js';
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

/** Reads every whole frame of `bytes` (the contents of `file`), dropping a torn tail. */
export function readFrames(bytes: Uint8Array, file: string): LogContents {
  const out: LogContents = { records: [] };
  let o = 0;
  while (o < bytes.length) {
    const r = decodeFrame(bytes, o);
    if (r.kind === 'ok') {
      out.records.push({ payload: r.payload, offset: o });
      o = r.next;
      continue;
    }
    if (r.kind === 'corrupt' && !lastFrame(bytes, o)) throw corrupt(file, o, r.reason);
    // The tail of an interrupted append: drop it.
    out.tornAt = o;
    out.reason = r.reason;
    break;
  }
  return out;
}

/** True when the frame at `o` claims to end exactly at (or past) the end of the bytes. */
function lastFrame(bytes: Uint8Array, o: number): boolean {
  if (o + 8 > bytes.length) return true;
  const len = new DataView(bytes.buffer, bytes.byteOffset + o, 4).getUint32(0, true);
  return o + 8 + len >= bytes.length;
}
