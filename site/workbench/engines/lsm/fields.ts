/**
 * fields.ts: the LSM's files split into fields with the layouts of the engine's format.ts:
 * the write-ahead log as frames of log records, SSTables as data blocks (entries with shared
 * and unshared key lengths), filter, index and footer, the manifest as frames of version
 * edits, and CURRENT, each field with its value as text for the hex legend.
 */
import { BLOCK_TRAILER, CURRENT, FOOTER, LOG_HEADER, TRAILER, decodeFooter, parseName } from '../../../../engines/lsm/format.js';
import { FRAME_HEADER } from '../../../../engines/codec/frame.js';
import { decodeVarint } from '../../../../engines/codec/varint.js';
import { bytesText, readUintLE, type FieldSpan } from '../../adapter.js';


/** A field list builder with bounds checks. */
class Fields {
  readonly out: FieldSpan[] = [];
  constructor(private readonly b: Uint8Array) {}
  /** Adds a field if it lies inside the file. */
  add(offset: number, length: number, name: string, record?: number, text?: string): boolean {
    if (offset < 0 || length < 0 || offset + length > this.b.length) return false;
    const f: FieldSpan = { offset, length, name };
    if (record !== undefined) f.record = record;
    if (text !== undefined) f.text = text;
    this.out.push(f);
    return true;
  }
  /** Adds a varint field; returns its value and end, or undefined when malformed. */
  varint(offset: number, end: number, name: string, record?: number): { value: number; next: number } | undefined {
    const d = decodeVarint(this.b, offset, end);
    if (!d) return undefined;
    this.add(offset, d.next - offset, name, record, String(d.value));
    return d;
  }
}

/** A uint32 as hex, for checksums. */
function crcText(b: Uint8Array, o: number): string {
  return '0x' + readUintLE(b, o, 4).toString(16).padStart(8, '0') + ' (masked CRC-32C)';
}

/** Fields of a log file: frames of log records (sequence, count, ops). */
export function logFields(b: Uint8Array): FieldSpan[] {
  const F = new Fields(b);
  let at = 0;
  for (let rec = 0; at + FRAME_HEADER <= b.length; rec++) {
    const len = readUintLE(b, at, 4);
    const end = at + FRAME_HEADER + len;
    if (len < LOG_HEADER || end > b.length) break;
    F.add(at, 4, 'payloadLength', rec, String(len));
    F.add(at + 4, 4, 'crc', rec, crcText(b, at + 4));
    const p = at + FRAME_HEADER;
    F.add(p, 8, 'sequence', rec, String(readUintLE(b, p, 6)));
    const n = readUintLE(b, p + 8, 4);
    F.add(p + 8, 4, 'count', rec, String(n));
    let o = p + LOG_HEADER;
    for (let i = 0; i < n && o < end; i++) {
      const kind = b[o]!;
      F.add(o, 1, 'opKind', rec, kind === 1 ? '1 (put)' : '0 (delete)');
      const kl = F.varint(o + 1, end, 'keyLength', rec);
      if (!kl || kl.next + kl.value > end) break;
      F.add(kl.next, kl.value, 'key', rec, bytesText(b.subarray(kl.next, kl.next + kl.value)));
      o = kl.next + kl.value;
      if (kind === 1) {
        const vl = F.varint(o, end, 'valueLength', rec);
        if (!vl || vl.next + vl.value > end) break;
        F.add(vl.next, vl.value, 'value', rec, bytesText(b.subarray(vl.next, vl.next + vl.value)));
        o = vl.next + vl.value;
      }
    }
    at = end;
  }
  return F.out;
}

/** Adds the entries of one block (data or index) at [offset, offset + size), then its restarts and trailer. */
function blockFields(F: Fields, b: Uint8Array, offset: number, size: number, rec: number, index: boolean): void {
  const end = offset + size;
  if (size < 4 || end + BLOCK_TRAILER > b.length) return;
  const r = readUintLE(b, end - 4, 4);
  const restarts = end - 4 - 4 * r;
  if (restarts < offset) return;
  let o = offset;
  let prev = new Uint8Array(0);
  while (o < restarts) {
    const sh = F.varint(o, restarts, 'sharedLength', rec); // bytes reused from the previous key
    const un = sh && F.varint(sh.next, restarts, 'unsharedLength', rec);
    const vl = un && F.varint(un.next, restarts, 'valueLength', rec);
    if (!sh || !un || !vl || vl.next + un.value + vl.value > restarts || sh.value > prev.length) break;
    const key = new Uint8Array(sh.value + un.value);
    key.set(prev.subarray(0, sh.value));
    key.set(b.subarray(vl.next, vl.next + un.value), sh.value);
    prev = key;
    if (index || un.value < TRAILER) F.add(vl.next, un.value, 'key', rec, bytesText(index ? key : key.subarray(0, Math.max(0, key.length - TRAILER))));
    else {
      // The stored (unshared) bytes end with the internal key's 8-byte trailer: seq * 256 + kind.
      const user = key.subarray(0, key.length - TRAILER);
      const t = readUintLE(key, key.length - TRAILER, 6);
      F.add(vl.next, un.value - TRAILER, 'key', rec, bytesText(user));
      F.add(vl.next + un.value - TRAILER, TRAILER, 'sequenceAndKind', rec, `seq ${Math.floor(t / 256)}, ${t % 256 === 1 ? 'put' : 'delete'}`);
    }
    const vs = vl.next + un.value;
    F.add(vs, vl.value, index ? 'blockHandle' : 'value', rec, index ? handleText(b, vs, vl.value) : bytesText(b.subarray(vs, vs + vl.value)));
    o = vs + vl.value;
  }
  for (let i = 0; i < r; i++) F.add(restarts + 4 * i, 4, 'restartOffset', rec, String(readUintLE(b, restarts + 4 * i, 4)));
  F.add(end - 4, 4, 'restartCount', rec, String(r));
  F.add(end, BLOCK_TRAILER, 'blockCrc', rec, crcText(b, end));
}

/** A block handle's text: offset and size. */
function handleText(b: Uint8Array, o: number, n: number): string {
  const off = decodeVarint(b, o, o + n);
  const size = off && decodeVarint(b, off.next, o + n);
  return off && size ? `offset ${off.value}, size ${size.value}` : '?';
}

/** Fields of an SSTable: data blocks (one record each), filter, index, footer. */
export function tableFields(b: Uint8Array): FieldSpan[] {
  const F = new Fields(b);
  let footer;
  try {
    footer = decodeFooter(b.subarray(b.length - FOOTER), b.length, 'table');
  } catch {
    return [];
  }
  // The index names the data blocks.
  const idx = footer.index;
  const handles: { offset: number; size: number }[] = [];
  {
    const end = idx.offset + idx.size;
    const r = readUintLE(b, end - 4, 4);
    const restarts = end - 4 - 4 * r;
    let o = idx.offset;
    let prev = 0;
    while (o < restarts && restarts <= end) {
      const sh = decodeVarint(b, o, restarts);
      const un = sh && decodeVarint(b, sh.next, restarts);
      const vl = un && decodeVarint(b, un.next, restarts);
      if (!sh || !un || !vl) break;
      const vs = vl.next + un.value;
      const off = decodeVarint(b, vs, vs + vl.value);
      const size = off && decodeVarint(b, off.next, vs + vl.value);
      if (!off || !size) break;
      handles.push({ offset: off.value, size: size.value });
      o = vs + vl.value;
      prev++;
    }
    void prev;
  }
  handles.forEach((h, i) => blockFields(F, b, h.offset, h.size, i, false));
  const n = handles.length;
  // The filter: bit array, probe count, trailer.
  const fl = footer.filter;
  if (fl.size >= 1) {
    F.add(fl.offset, fl.size - 1, 'bloomBits', n, `${(fl.size - 1) * 8} bits`);
    F.add(fl.offset + fl.size - 1, 1, 'probeCount', n, String(b[fl.offset + fl.size - 1]));
    F.add(fl.offset + fl.size, BLOCK_TRAILER, 'filterCrc', n, crcText(b, fl.offset + fl.size));
  }
  blockFields(F, b, idx.offset, idx.size, n + 1, true);
  const at = b.length - FOOTER;
  const u = (o: number, len: number): string => String(readUintLE(b, at + o, len));
  F.add(at, 8, 'indexOffset', n + 2, u(0, 6));
  F.add(at + 8, 4, 'indexSize', n + 2, u(8, 4));
  F.add(at + 12, 8, 'filterOffset', n + 2, u(12, 6));
  F.add(at + 20, 4, 'filterSize', n + 2, u(20, 4));
  F.add(at + 24, 4, 'footerCrc', n + 2, crcText(b, at + 24));
  F.add(at + 28, 8, 'magic', n + 2, bytesText(b.subarray(at + 28, at + 36)));
  return F.out.sort((x, y) => x.offset - y.offset);
}

/** Fields of a manifest: frames, each payload one version edit. */
export function manifestFields(b: Uint8Array): FieldSpan[] {
  const F = new Fields(b);
  let at = 0;
  for (let rec = 0; at + FRAME_HEADER <= b.length; rec++) {
    const len = readUintLE(b, at, 4);
    const end = at + FRAME_HEADER + len;
    if (end > b.length) break;
    F.add(at, 4, 'payloadLength', rec, String(len));
    F.add(at + 4, 4, 'crc', rec, crcText(b, at + 4));
    F.add(at + FRAME_HEADER, len, 'versionEdit', rec, `${len} B of tagged fields`);
    at = end;
  }
  return F.out;
}

/** The fields of one of the store's files. */
export function lsmFileFields(name: string, bytes: Uint8Array): FieldSpan[] {
  const kind = parseName(name)?.kind;
  if (kind === 'log') return logFields(bytes);
  if (kind === 'table') return tableFields(bytes);
  if (kind === 'manifest') return manifestFields(bytes);
  if (kind === 'current' || kind === 'temp') return bytes.length ? [{ offset: 0, length: bytes.length, name: 'manifestName', text: bytesText(bytes, 40) }] : [];
  return [];
}

/** What the engine calls a file. */
export function lsmFileRole(name: string): string {
  const kind = parseName(name)?.kind;
  return kind === 'log'
    ? 'write-ahead log'
    : kind === 'table'
      ? 'SSTable (sorted, immutable)'
      : kind === 'manifest'
        ? 'manifest (version edits)'
        : name === CURRENT
          ? 'names the live manifest'
          : kind === 'temp'
            ? 'CURRENT being replaced'
            : 'other';
}
