/**
 * manifest-format.ts: the bitcask MANIFEST's bytes (the byte table is in format.ts): the
 * largest id used, the active file, how far hints go, and every sealed data file at its
 * exact size. encodeManifest and decodeManifest are what the store writes and trusts;
 * describeManifestFile is the same walk as named spans, for `kv dump`, inspect() and the site.
 */
import { crc32c, mask } from '../codec/crc32c.js';
import { getU64, setU64 } from '../codec/u64.js';
import { dataView as view } from '../bytes.js';
import { corrupt } from '../errors.js';
import { ByteReader, crcNote, fieldGroup, hex8, malformed, span, type Group } from '../layout.js';
import { dataName } from './names.js';
import { FIELD_KINDS, type Field } from './record-format.js';

export const MANIFEST_MAGIC = 'BCMANI01';
export const MANIFEST_HEADER = 8 + 4 + 4 + 4 + 4;
export const MANIFEST_ENTRY = 4 + 8;
export const MANIFEST_TRAILER = 4;

/** One sealed data file as the MANIFEST lists it. */
export interface SealedFile {
  id: number;
  /** Its exact size in bytes. */
  size: number;
  /** True when a merge wrote a hint file beside it (stored as "hinted through" in the header). */
  hint: boolean;
}

/** The decoded MANIFEST. */
export interface Manifest {
  /** The largest data file id ever used: new files take ids above it. */
  lastId: number;
  /** The active (unsealed) data file's id, or 0 when every file is sealed. */
  active: number;
  /** Every sealed data file, by increasing id. */
  sealed: SealedFile[];
}

/**
 * Encodes a MANIFEST (its sealed files are written in increasing id order). The files with
 * hints must be the lowest ids (a merge's outputs): the format stores only the last of them.
 */
export function encodeManifest(m: Manifest): Uint8Array {
  const sealed = [...m.sealed].sort((a, b) => a.id - b.id);
  let hintedThrough = 0;
  for (const f of sealed) if (f.hint) hintedThrough = f.id;
  const out = new Uint8Array(MANIFEST_HEADER + sealed.length * MANIFEST_ENTRY + MANIFEST_TRAILER);
  const dv = view(out);
  for (let i = 0; i < 8; i++) out[i] = MANIFEST_MAGIC.charCodeAt(i);
  dv.setUint32(8, m.lastId, true);
  dv.setUint32(12, m.active, true);
  dv.setUint32(16, hintedThrough, true);
  dv.setUint32(20, sealed.length, true);
  let o = MANIFEST_HEADER;
  for (const f of sealed) {
    dv.setUint32(o, f.id, true);
    setU64(dv, o + 4, f.size);
    o += MANIFEST_ENTRY;
  }
  // The trailer covers every byte before it.
  dv.setUint32(o, mask(crc32c(out, 0, o)), true);
  return out;
}

/**
 * Decodes and checks a MANIFEST read from `path`. Any flaw is KV_CORRUPT naming the path
 * and the offset of the bad field: a store whose file list cannot be trusted is not opened.
 */
export function decodeManifest(bytes: Uint8Array, path: string): Manifest {
  if (bytes.length < MANIFEST_HEADER + MANIFEST_TRAILER)
    throw corrupt(path, bytes.length, `${bytes.length} bytes is shorter than a MANIFEST header and trailer`);
  for (let i = 0; i < 8; i++)
    if (bytes[i] !== MANIFEST_MAGIC.charCodeAt(i))
      throw corrupt(path, 0, `the magic number is not "${MANIFEST_MAGIC}"`);
  const dv = view(bytes);
  const end = bytes.length - MANIFEST_TRAILER;
  const stored = dv.getUint32(end, true);
  const actual = mask(crc32c(bytes, 0, end));
  if (stored !== actual)
    throw corrupt(path, end, `checksum mismatch (stored ${hex8(stored)}, computed ${hex8(actual)})`);
  const lastId = dv.getUint32(8, true);
  const active = dv.getUint32(12, true);
  const hintedThrough = dv.getUint32(16, true);
  const count = dv.getUint32(20, true);
  if (MANIFEST_HEADER + count * MANIFEST_ENTRY !== end)
    throw corrupt(path, 20, `${count} sealed files do not fill the ${end - MANIFEST_HEADER} bytes of entries`);
  if (active > lastId) throw corrupt(path, 12, `active file ${active} is above the last id ${lastId}`);
  if (hintedThrough > lastId)
    throw corrupt(path, 16, `hinted-through id ${hintedThrough} is above the last id ${lastId}`);
  const sealed: SealedFile[] = [];
  let prev = 0;
  for (let i = 0, o = MANIFEST_HEADER; i < count; i++, o += MANIFEST_ENTRY) {
    const id = dv.getUint32(o, true);
    const size = getU64(dv, o + 4);
    if (id <= prev || id > lastId || id === active)
      throw corrupt(path, o, `sealed file id ${id} is out of order, repeated, the active file or above the last id`);
    if (!Number.isSafeInteger(size)) throw corrupt(path, o + 4, 'a file size over 2^53');
    sealed.push({ id, size, hint: id <= hintedThrough });
    prev = id;
  }
  return { lastId, active, sealed };
}

/** A span of field `name` at `offset`, of the kind the bitcask table gives it. */
function at(offset: number, length: number, name: Field['name'], extra: Parameters<typeof span>[4] = {}) {
  return span(offset, length, name, FIELD_KINDS[name], extra);
}

/** A pointer's target: the data file with id `id`, none for id 0. */
function fileTarget(id: number): { target?: { file: string } } {
  return id ? { target: { file: dataName(id) } } : {};
}

/**
 * The MANIFEST (or MANIFEST.tmp) as spans: the header, one group per sealed file (its id a
 * pointer to the data file), the trailer. A wrong magic, or entries that do not fill the
 * bytes before the trailer as the count says, become one malformed group. Never throws.
 */
export function describeManifestFile(bytes: Uint8Array): Group[] {
  const r = new ByteReader(bytes);
  if (bytes.length === 0) return [];
  if (bytes.length < MANIFEST_HEADER)
    return [
      malformed(0, bytes.length, `${bytes.length} bytes, shorter than the ${MANIFEST_HEADER}-byte MANIFEST header`),
    ];
  // Step 1: the header.
  const magic = r.ascii(0, 8)!;
  const lastId = r.u32(8)!;
  const active = r.u32(12)!;
  const hinted = r.u32(16)!;
  const count = r.u32(20)!;
  const out: Group[] = [
    fieldGroup(
      'header',
      `last id ${lastId}, active ${active ? dataName(active) : 'none'}, ${count} sealed file${count === 1 ? '' : 's'}`,
      [
        at(0, 8, 'magic', {
          value: magic,
          ...(magic === MANIFEST_MAGIC ? {} : { note: `not "${MANIFEST_MAGIC}": not a MANIFEST` }),
        }),
        at(8, 4, 'lastId', { value: lastId }),
        at(12, 4, 'activeId', { value: active, ...fileTarget(active), note: active ? dataName(active) : 'none' }),
        at(16, 4, 'hintedThrough', {
          value: hinted,
          ...fileTarget(hinted),
          note: hinted ? `files up to ${dataName(hinted)} have hints` : 'no hints',
        }),
        at(20, 4, 'count', { value: count }),
      ],
    ),
  ];
  if (magic !== MANIFEST_MAGIC) return [...out, malformed(MANIFEST_HEADER, bytes.length, 'this is not a MANIFEST')];
  if (bytes.length < MANIFEST_HEADER + MANIFEST_TRAILER)
    return [...out, malformed(MANIFEST_HEADER, bytes.length, 'no room for the trailer')];
  // Step 2: the sealed files, as many as the count says, filling the bytes before the trailer.
  const end = bytes.length - MANIFEST_TRAILER;
  if (MANIFEST_HEADER + count * MANIFEST_ENTRY !== end) {
    out.push(
      malformed(
        MANIFEST_HEADER,
        end,
        `${count} sealed files do not fill the ${end - MANIFEST_HEADER} bytes of entries`,
      ),
    );
  } else {
    for (let o = MANIFEST_HEADER; o < end; o += MANIFEST_ENTRY) {
      const id = r.u32(o)!;
      const size = r.u64(o + 4)!;
      const hint = id <= hinted ? ', with a hint file' : '';
      out.push(
        fieldGroup('sealed', `${dataName(id)}: ${size} byte${size === 1 ? '' : 's'}${hint}`, [
          at(o, 4, 'fileId', { value: id, ...fileTarget(id) }),
          at(o + 4, 8, 'dataSize', { value: size }),
        ]),
      );
    }
  }
  // Step 3: the trailer covers every byte before it.
  const stored = r.u32(end)!;
  const computed = mask(crc32c(bytes, 0, end));
  const note = crcNote(stored, computed);
  out.push(
    fieldGroup('trailer', `CRC-32C (masked) ${hex8(stored)} (${note})`, [
      at(end, MANIFEST_TRAILER, 'crc', { value: stored, computed, note }),
    ]),
  );
  return out;
}

/**
 * The fields of a MANIFEST for inspect() and the site: the header, then one group per sealed
 * file (fileId, dataSize), then the trailer (crc).
 */
export function manifestFields(bytes: Uint8Array): Field[][] {
  return describeManifestFile(bytes)
    .filter((g) => g.unit !== 'malformed')
    .map((g) => g.spans.map((s) => ({ offset: s.offset, length: s.length, name: s.name as Field['name'] })));
}
