/**
 * lsm-table.ts: reads a whole LSM SSTable for `dump` and `check`, with the engine's own
 * format code (engines/lsm/format.ts, block.ts, table-reader.ts, bloom.ts), keeping the
 * offset of every block and entry so the dump can annotate the bytes.
 *
 * verifyTable() checks, in this order, and throws KV_CORRUPT at the first flaw: the footer
 * (magic, checksum, handles); the filter and index blocks (checksums, structure, index keys
 * strictly increasing); each data block (checksum, structure, internal keys, keys strictly
 * increasing, ending exactly at its index key, starting after the previous block's); and
 * that the bloom filter says "maybe" for every key the table holds (a filter must never
 * say "no" to a key that is there).
 */
import { compareBytes } from '../../engines/bytes.js';
import { corrupt } from '../../engines/errors.js';
import { decodeVarint } from '../../engines/codec/varint.js';
import { Block } from '../../engines/lsm/block.js';
import { BloomFilter } from '../../engines/lsm/bloom.js';
import { DataBlock } from '../../engines/lsm/table-reader.js';
import { BLOCK_TRAILER, FOOTER, RESTART_BYTES, TRAILER, decodeFooter, decodeHandle, verifyBlock, type BlockHandle, type Entry, type Footer } from '../../engines/lsm/format.js';

/** Where one entry of a block lies, field by field (absolute file offsets). */
export interface EntrySpan {
  offset: number;
  length: number;
  /** [offset, length] of: shared varint, unshared varint, value length varint, key bytes, value. */
  shared: [number, number];
  unshared: [number, number];
  valueLength: [number, number];
  keyDelta: [number, number];
  value: [number, number];
  sharedBytes: number;
}

/** A verified data block. */
export interface TableBlock {
  handle: BlockHandle;
  entries: Entry[];
  spans: EntrySpan[];
  /** Offset of the restart array and the number of restart points. */
  restartsAt: number;
  restarts: number;
}

/** A whole verified table. */
export interface Table {
  footer: Footer;
  filter: { bits: number; probes: number };
  /** Index entries: the last key of each data block and where the block is. */
  index: { key: Uint8Array; handle: BlockHandle }[];
  indexSpans: EntrySpan[];
  indexRestartsAt: number;
  blocks: TableBlock[];
}

/** The spans of the entries of a block (already checked by `new Block`) at file offset `base`. */
export function entrySpans(data: Uint8Array, base: number): { spans: EntrySpan[]; restartsAt: number; restarts: number } {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const restarts = dv.getUint32(data.length - RESTART_BYTES, true);
  const restartsAt = data.length - RESTART_BYTES * (restarts + 1);
  const spans: EntrySpan[] = [];
  for (let o = 0; o < restartsAt; ) {
    const s = decodeVarint(data, o, restartsAt)!;
    const u = decodeVarint(data, s.next, restartsAt)!;
    const v = decodeVarint(data, u.next, restartsAt)!;
    const end = v.next + u.value + v.value;
    spans.push({
      offset: base + o,
      length: end - o,
      shared: [base + o, s.next - o],
      unshared: [base + s.next, u.next - s.next],
      valueLength: [base + u.next, v.next - u.next],
      keyDelta: [base + v.next, u.value],
      value: [base + v.next + u.value, v.value],
      sharedBytes: s.value,
    });
    o = end;
  }
  return { spans, restartsAt: base + restartsAt, restarts };
}

/** Reads and verifies a whole table file; throws KV_CORRUPT (naming `name`) at the first flaw. */
export function verifyTable(bytes: Uint8Array, name: string): Table {
  const size = bytes.length;
  if (size < FOOTER) throw corrupt(name, 0, `the table is ${size} bytes, too short for a ${FOOTER}-byte footer`);
  // Step 1: the footer, which says where the filter and index blocks are.
  const footer = decodeFooter(bytes.subarray(size - FOOTER), size, name);
  const slice = (h: BlockHandle) => bytes.subarray(h.offset, h.offset + h.size + BLOCK_TRAILER);
  // Step 2: the filter and the index.
  const fb = verifyBlock(slice(footer.filter), name, footer.filter.offset, 'filter');
  const bloom = new BloomFilter(fb, name, footer.filter.offset);
  const ib = verifyBlock(slice(footer.index), name, footer.index.offset, 'index');
  const indexBlock = new Block(ib, name, footer.index.offset);
  const ispans = entrySpans(ib, footer.index.offset);
  const index = indexBlock.keys.map((key, i) => ({ key, handle: decodeHandle(indexBlock.values[i]!, footer.filter.offset, name, ispans.spans[i]!.offset) }));
  for (let i = 1; i < index.length; i++) {
    if (compareBytes(index[i - 1]!.key, index[i]!.key) >= 0) throw corrupt(name, ispans.spans[i]!.offset, 'the index keys are out of order');
  }
  // Step 3: every data block, in order, against its index entry.
  const blocks: TableBlock[] = [];
  let expect = 0;
  index.forEach(({ key, handle }, i) => {
    if (handle.offset !== expect) throw corrupt(name, ispans.spans[i]!.offset, `index entry ${i} points at offset ${handle.offset}, but the data block before it ends at ${expect}`);
    const raw = verifyBlock(slice(handle), name, handle.offset, 'data');
    const db = new DataBlock(new Block(raw, name, handle.offset), name, handle.offset);
    const last = db.entries[db.entries.length - 1];
    if (!last || compareBytes(last.key, key) !== 0) throw corrupt(name, handle.offset, `data block ${i} does not end at its index key`);
    if (i > 0 && compareBytes(db.entries[0]!.key, index[i - 1]!.key) <= 0) throw corrupt(name, handle.offset, `data block ${i} overlaps the block before it`);
    const sp = entrySpans(raw, handle.offset);
    blocks.push({ handle, entries: db.entries, spans: sp.spans, restartsAt: sp.restartsAt, restarts: sp.restarts });
    expect = handle.offset + handle.size + BLOCK_TRAILER;
  });
  // The blocks tile the file: data blocks, filter, index, footer, with no gap.
  if (expect !== footer.filter.offset) throw corrupt(name, expect, `${footer.filter.offset - expect} bytes between the last data block and the filter block`);
  const afterFilter = footer.filter.offset + footer.filter.size + BLOCK_TRAILER;
  if (afterFilter !== footer.index.offset) throw corrupt(name, afterFilter, 'the index block does not follow the filter block');
  if (footer.index.offset + footer.index.size + BLOCK_TRAILER !== size - FOOTER) throw corrupt(name, size - FOOTER, 'the footer does not follow the index block');
  // Step 4: the filter must answer "maybe" for every key the table holds.
  for (const b of blocks) {
    b.entries.forEach((e, j) => {
      if (!bloom.mayContain(e.key)) throw corrupt(name, b.spans[j]!.offset, 'the bloom filter says "no" to a key the table holds');
    });
  }
  return { footer, filter: { bits: bloom.bits, probes: bloom.probes }, index, indexSpans: ispans.spans, indexRestartsAt: ispans.restartsAt, blocks };
}

/** The number of trailer bytes at the end of an internal key (for splitting the key field). */
export const INTERNAL_TRAILER = TRAILER;
