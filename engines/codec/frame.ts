/**
 * frame.ts: a checksummed record frame that log-shaped files reuse.
 *
 *   offset  size  field
 *   0       4     payload length, uint32 little-endian
 *   4       4     masked CRC-32C of the length bytes and the payload, uint32 little-endian
 *   8       n     payload
 *
 * FRAME_HEADER = 4 + 4. The CRC covers the length, so a torn or flipped length is caught
 * before it is trusted. Reading a frame yields one of three answers: a payload; `torn`
 * (the file ends inside the frame: the tail of an interrupted append); or `corrupt` (the
 * bytes are all there but the checksum fails).
 */
import { crc32cUpdate, mask } from './crc32c.js';

/** Bytes before the payload: length (4) + checksum (4). */
export const FRAME_HEADER = 4 + 4;

/** The largest payload a frame may carry (1 GiB); a bigger length is corruption. */
export const MAX_FRAME_PAYLOAD = 1 << 30;

/** The masked checksum of a frame: CRC-32C over the 4 length bytes, then the payload. */
function frameCrc(lenBytes: Uint8Array, payload: Uint8Array, start: number, end: number): number {
  return mask(crc32cUpdate(crc32cUpdate(0, lenBytes), payload, start, end));
}

/** The checksum the bytes of the frame at `offset` with a `len`-byte payload give: what its header should hold. */
export function frameChecksum(buf: Uint8Array, offset: number, len: number): number {
  return frameCrc(buf.subarray(offset, offset + 4), buf, offset + FRAME_HEADER, offset + FRAME_HEADER + len);
}

/** Frames a payload: header then payload, as one array. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, payload.length, true);
  dv.setUint32(4, frameCrc(out.subarray(0, 4), payload, 0, payload.length), true);
  out.set(payload, FRAME_HEADER);
  return out;
}

/**
 * Frames a payload already written at `buf[offset + FRAME_HEADER]` (`len` bytes) in place:
 * writes the length and checksum in front of it (so an encoder needs no copy of its own).
 */
export function sealFrame(buf: Uint8Array, offset: number, len: number): void {
  const dv = new DataView(buf.buffer, buf.byteOffset + offset, FRAME_HEADER);
  dv.setUint32(0, len, true);
  dv.setUint32(
    4,
    mask(
      crc32cUpdate(crc32cUpdate(0, buf, offset, offset + 4), buf, offset + FRAME_HEADER, offset + FRAME_HEADER + len),
    ),
    true,
  );
}

/** The outcome of reading one frame. */
export type FrameResult =
  | { kind: 'ok'; payload: Uint8Array; next: number }
  | { kind: 'torn'; reason: string }
  | { kind: 'corrupt'; reason: string };

/** Reads the frame at `buf[offset]`, never past `end`. */
export function decodeFrame(buf: Uint8Array, offset: number, end = buf.length): FrameResult {
  if (offset + FRAME_HEADER > end)
    return { kind: 'torn', reason: `only ${end - offset} bytes of an ${FRAME_HEADER}-byte frame header` };
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = dv.getUint32(offset, true);
  const stored = dv.getUint32(offset + 4, true);
  const start = offset + FRAME_HEADER;
  if (len > MAX_FRAME_PAYLOAD) return { kind: 'corrupt', reason: `frame length ${len} is over the limit` };
  if (start + len > end) {
    return { kind: 'torn', reason: `frame of ${len} bytes runs past the end of the file` };
  }
  const crc = frameCrc(buf.subarray(offset, offset + 4), buf, start, start + len);
  if (crc !== stored)
    return { kind: 'corrupt', reason: `frame checksum mismatch (stored ${hex8(stored)}, computed ${hex8(crc)})` };
  return { kind: 'ok', payload: buf.subarray(start, start + len), next: start + len };
}

/** A uint32 as 8 hex digits. */
function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
