/**
 * table-layout.ts: an SSTable as named spans (engines/layout.ts), for `kv dump`, the site's
 * hex view and the tests. The byte table is in format.ts.
 *
 * The walk is the table reader's: the footer (decodeFooter) says where the filter and the
 * index are; the index's entries (block handles) say where each data block is; every block
 * is read with block.ts's one entry reader (readEntry), so each entry's shared, unshared and
 * value-length varints, its key bytes (the user key's new bytes and, for a data block, the
 * 8-byte seq/kind trailer) and its value are spans; then the restart array and the block's
 * checksum. A bad footer makes the whole file one malformed span; a block that fails its
 * checksum or does not parse is one malformed span, and the walk goes on with the next block
 * the index names; blocks that do not tile the file leave the rest malformed. Never throws.
 */
import { crc32c, mask } from '../codec/crc32c.js';
import { KVError } from '../errors.js';
import {
  ByteReader,
  crcNote,
  fieldGroup,
  malformed,
  parentGroup,
  span,
  type Group,
  type Span,
  shown,
} from '../layout.js';
import { readEntry } from './block.js';
import {
  BLOCK_TRAILER,
  FOOTER,
  KIND_PUT,
  RESTART_BYTES,
  TABLE_MAGIC,
  TRAILER,
  decodeFooter,
  decodeHandle,
  type BlockHandle,
} from './format.js';

/** What a decoder's error says, without the "file is corrupt at byte offset N:" part. */
function reasonOf(e: unknown): string {
  return e instanceof KVError ? e.message.replace(/^.* at byte offset \d+: /, '') : String(e);
}

/** A block's trailer group: the masked CRC-32C of the block's bytes. */
function trailerGroup(r: ByteReader, h: BlockHandle): Group {
  const at = h.offset + h.size;
  const stored = r.u32(at)!;
  const computed = mask(crc32c(r.bytes, h.offset, at));
  const note = crcNote(stored, computed);
  return fieldGroup('trailer', `block CRC-32C (masked) ${stored.toString(16).padStart(8, '0')} (${note})`, [
    span(at, BLOCK_TRAILER, 'blockCrc', 'crc', { value: stored, computed, note }),
  ]);
}

/** A block entry as the index or a data block holds it. */
interface BlockEntry {
  key: Uint8Array;
  value: Uint8Array;
  spans: Span[];
  offset: number;
  length: number;
}

/**
 * The entries, restart array and count of the block at `h` (checksum already checked): the
 * entries as readEntry finds them, or a malformed group where one does not decode.
 * `internal` splits a data block's key bytes into the user key's part and the trailer.
 */
function blockParts(r: ByteReader, h: BlockHandle, internal: boolean): { entries: BlockEntry[]; tail: Group[] } {
  const data = r.bytes.subarray(h.offset, h.offset + h.size);
  const n = h.size >= RESTART_BYTES ? r.u32(h.offset + h.size - RESTART_BYTES)! : 0;
  const end = h.size - RESTART_BYTES * (n + 1);
  if (h.size < RESTART_BYTES || n === 0 || end < 0)
    return { entries: [], tail: [malformed(h.offset, h.offset + h.size, `a block that claims ${n} restart points`)] };
  const entries: BlockEntry[] = [];
  const tail: Group[] = [];
  let prev = new Uint8Array(0);
  for (let o = 0; o < end;) {
    const e = readEntry(data, o, end);
    if (!e || e.shared > prev.length) {
      tail.push(
        malformed(
          h.offset + o,
          h.offset + end,
          e ? `an entry shares ${e.shared} bytes with a ${prev.length}-byte key` : 'an entry with a bad length field',
        ),
      );
      break;
    }
    const key = new Uint8Array(e.shared + e.unshared);
    key.set(prev.subarray(0, e.shared), 0);
    key.set(data.subarray(e.keyAt, e.valueAt), e.shared);
    const at = (x: number): number => h.offset + x;
    const spans: Span[] = [
      span(at(o), e.unsharedAt - o, 'shared', 'length', {
        value: e.shared,
        note: `key bytes shared with the entry before`,
      }),
      span(at(e.unsharedAt), e.valueLengthAt - e.unsharedAt, 'unshared', 'length', { value: e.unshared }),
      span(at(e.valueLengthAt), e.keyAt - e.valueLengthAt, 'valueLength', 'length', { value: e.valueLength }),
    ];
    if (internal && e.unshared >= TRAILER) {
      // The internal key's last 8 bytes: seq * 256 + kind.
      const t = e.valueAt - TRAILER;
      const low = r.u32(at(t))!;
      const seq = r.u32(at(t) + 4)! * 0x100_0000 + (low >>> 8);
      spans.push(span(at(e.keyAt), t - e.keyAt, 'keyDelta', 'key', { value: data.subarray(e.keyAt, t) }));
      spans.push(
        span(at(t), TRAILER, 'trailer', 'seq', { value: seq, note: (low & 0xff) === KIND_PUT ? 'put' : 'delete' }),
      );
    } else {
      spans.push(span(at(e.keyAt), e.unshared, 'keyDelta', 'key', { value: data.subarray(e.keyAt, e.valueAt) }));
    }
    entries.push({ key, value: data.subarray(e.valueAt, e.next), spans, offset: at(o), length: e.next - o });
    prev = key;
    o = e.next;
  }
  if (!tail.length && entries.length === 0) tail.push(malformed(h.offset, h.offset + end, 'a block with no entries'));
  // The restart array: where each restart entry starts, then how many there are.
  const restarts: Span[] = [];
  for (let i = 0; i < n; i++) {
    const x = r.u32(h.offset + end + RESTART_BYTES * i)!;
    restarts.push(
      span(h.offset + end + RESTART_BYTES * i, RESTART_BYTES, 'restart', 'pointer', {
        value: x,
        ...(x < end ? { target: { offset: h.offset + x } } : { note: 'past the entries' }),
      }),
    );
  }
  restarts.push(span(h.offset + h.size - RESTART_BYTES, RESTART_BYTES, 'restartCount', 'length', { value: n }));
  tail.push(fieldGroup('restarts', `${n} restart point${n === 1 ? '' : 's'}`, restarts));
  return { entries, tail };
}

/** A checksum failure of the block at `h`, if any. */
function blockCrcProblem(r: ByteReader, h: BlockHandle): string | undefined {
  const stored = r.u32(h.offset + h.size);
  if (stored === undefined) return 'the block runs past the end of the file';
  return stored === mask(crc32c(r.bytes, h.offset, h.offset + h.size))
    ? undefined
    : "the block's checksum does not match";
}

/** The index block: one entry per data block, its value a block handle (a pointer). */
function indexGroup(
  r: ByteReader,
  h: BlockHandle,
  filterAt: number,
): { group: Group; handles: BlockHandle[]; keys: Uint8Array[] } {
  const bad = blockCrcProblem(r, h);
  if (bad)
    return {
      group: parentGroup('index', `index block: ${bad}`, [
        malformed(h.offset, h.offset + h.size, bad),
        trailerGroup(r, h),
      ]),
      handles: [],
      keys: [],
    };
  const { entries, tail } = blockParts(r, h, false);
  const handles: BlockHandle[] = [];
  const keys: Uint8Array[] = [];
  const children: Group[] = [];
  for (const e of entries) {
    // The value is a block handle: offset and size varints, pointing before the filter block.
    const valueAt = e.offset + e.length - e.value.length;
    let handle: BlockHandle;
    try {
      handle = decodeHandle(e.value, filterAt, 'table', valueAt);
    } catch (err) {
      children.push(
        parentGroup('index', 'an index entry whose block handle is malformed', [
          fieldGroup('entry', 'its fields', e.spans),
          malformed(valueAt, valueAt + e.value.length, reasonOf(err)),
        ]),
      );
      continue;
    }
    handles.push(handle);
    keys.push(e.key);
    e.spans.push(
      span(valueAt, e.value.length, 'blockHandle', 'pointer', {
        value: handle.offset,
        note: `offset ${handle.offset}, size ${handle.size}`,
        target: { offset: handle.offset },
      }),
    );
    children.push(
      fieldGroup('index', `last key ${shown(e.key)} → data block at ${handle.offset} (${handle.size} bytes)`, e.spans),
    );
  }
  children.push(...tail, trailerGroup(r, h));
  return {
    group: parentGroup('index', `index block: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`, children),
    handles,
    keys,
  };
}

/** Data block `i`: its entries (user key, seq, kind, value), restart array and checksum. */
function dataGroup(r: ByteReader, h: BlockHandle, i: number): Group {
  const bad = blockCrcProblem(r, h);
  if (bad)
    return parentGroup('block', `data block ${i}: ${bad}`, [
      malformed(h.offset, h.offset + h.size, bad),
      trailerGroup(r, h),
    ]);
  const { entries, tail } = blockParts(r, h, true);
  const children: Group[] = entries.map((e) => {
    const uk = e.key.length >= TRAILER ? e.key.subarray(0, e.key.length - TRAILER) : e.key;
    const t = e.spans.find((s) => s.name === 'trailer');
    const what = t?.note === 'delete' ? 'delete' : `put value=${shown(e.value)}`;
    return fieldGroup('entry', `key=${shown(uk)} seq ${String(t?.value ?? '?')} ${what}`, [
      ...e.spans,
      span(e.offset + e.length - e.value.length, e.value.length, 'value', 'value', { value: e.value }),
    ]);
  });
  children.push(...tail, trailerGroup(r, h));
  const keys = entries.map((e) => (e.key.length >= TRAILER ? e.key.subarray(0, e.key.length - TRAILER) : e.key));
  const range = keys.length ? `, keys ${shown(keys[0]!)} .. ${shown(keys[keys.length - 1]!)}` : '';
  return parentGroup(
    'block',
    `data block ${i}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}${range}`,
    children,
  );
}

/** The filter block: the bloom filter's bits, its probe count, its checksum. */
function filterGroup(r: ByteReader, h: BlockHandle): Group {
  const bad = blockCrcProblem(r, h);
  if (bad || h.size < 2)
    return parentGroup('filter', `filter block: ${bad ?? 'too short'}`, [
      malformed(h.offset, h.offset + h.size, bad ?? 'a bloom filter too short'),
      trailerGroup(r, h),
    ]);
  const bits = (h.size - 1) * 8;
  const probes = r.u8(h.offset + h.size - 1)!;
  return parentGroup('filter', `bloom filter: ${bits} bits, ${probes} probes per key`, [
    fieldGroup('filter', `${bits} filter bits, ${probes} probes`, [
      span(h.offset, h.size - 1, 'filterBits', 'filter', { value: bits, note: 'bits' }),
      span(h.offset + h.size - 1, 1, 'probes', 'header', { value: probes }),
    ]),
    trailerGroup(r, h),
  ]);
}

/** The footer: where the index and the filter are, its checksum, the magic. */
function footerGroup(r: ByteReader, at: number): Group {
  const index = { offset: r.u64(at)!, size: r.u32(at + 8)! };
  const filter = { offset: r.u64(at + 12)!, size: r.u32(at + 20)! };
  const stored = r.u32(at + 24)!;
  const computed = mask(crc32c(r.bytes, at, at + 24));
  return fieldGroup(
    'footer',
    `index at ${index.offset} (${index.size} bytes), filter at ${filter.offset} (${filter.size} bytes), magic ok`,
    [
      span(at, 8, 'indexOffset', 'pointer', { value: index.offset, target: { offset: index.offset } }),
      span(at + 8, 4, 'indexSize', 'length', { value: index.size }),
      span(at + 12, 8, 'filterOffset', 'pointer', { value: filter.offset, target: { offset: filter.offset } }),
      span(at + 20, 4, 'filterSize', 'length', { value: filter.size }),
      span(at + 24, 4, 'footerCrc', 'crc', { value: stored, computed, note: crcNote(stored, computed) }),
      span(at + 28, 8, 'magic', 'header', { value: TABLE_MAGIC }),
    ],
  );
}

/** A block's group spanning its bytes and trailer. */
function withTrailer(h: BlockHandle): { from: number; to: number } {
  return { from: h.offset, to: h.offset + h.size + BLOCK_TRAILER };
}

/**
 * An SSTable (NNNNNN.sst) as spans: its data blocks (entries, restarts, checksum), the filter
 * block, the index block (block handles as pointers) and the footer. Never throws.
 */
export function describeTableFile(bytes: Uint8Array): Group[] {
  if (bytes.length === 0) return [];
  const r = new ByteReader(bytes);
  // Step 1: the footer.
  const at = bytes.length - FOOTER;
  let footer;
  try {
    footer = decodeFooter(bytes.subarray(Math.max(0, at)), bytes.length, 'table');
  } catch (e) {
    return [malformed(0, bytes.length, `the footer does not decode: ${reasonOf(e)}`)];
  }
  // Step 2: the index says where the data blocks are.
  const ix = indexGroup(r, footer.index, footer.filter.offset);
  const out: Group[] = [];
  let expect = 0;
  const place = (g: Group, where: { from: number; to: number }, what: string): boolean => {
    if (where.from !== expect) {
      out.push(malformed(expect, at, `${what} is not where the part before it ends (${expect})`));
      return false;
    }
    out.push(g);
    expect = where.to;
    return true;
  };
  // An index that does not decode hides where the data blocks are.
  if (ix.handles.length === 0 && footer.filter.offset > 0) {
    out.push(malformed(0, footer.filter.offset, 'the index does not decode, so the data blocks cannot be found'));
    expect = footer.filter.offset;
  }
  // Step 3: data blocks, filter, index, footer, tiling the file.
  let tiled = true;
  for (let i = 0; i < ix.handles.length && tiled; i++)
    tiled = place(dataGroup(r, ix.handles[i]!, i), withTrailer(ix.handles[i]!), `data block ${i}`);
  if (tiled) tiled = place(filterGroup(r, footer.filter), withTrailer(footer.filter), 'the filter block');
  if (tiled) tiled = place(ix.group, withTrailer(footer.index), 'the index block');
  if (tiled && expect !== at) out.push(malformed(expect, at, 'bytes between the index block and the footer'));
  out.push(footerGroup(r, at));
  return out;
}
