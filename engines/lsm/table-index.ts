/**
 * table-index.ts: an SSTable's index block as an open table keeps it in memory: the block's
 * own bytes plus, per data block, where its index key lies in those bytes and its handle,
 * in typed arrays. Every index entry is a restart point (format.ts), so each key lies whole
 * in the block and a seek is a binary search on the raw bytes: no key is copied, nothing is
 * allocated per lookup, and the memory held is the block plus 20 bytes per data block.
 *
 * Checked once, when parsed: the block (restart array, every entry's lengths, by Block), each
 * entry a whole key (shared = 0), each handle inside the data area, and the keys strictly
 * increasing; any failure is KV_CORRUPT naming the file and offset.
 */
import { compareBytes, compareBytesAt } from '../bytes.js';
import { corrupt } from '../errors.js';
import { Block, readEntry } from './block.js';
import { RESTART_BYTES, decodeHandle } from './format.js';

/** Bytes held per data block besides the index block itself: key start, key end, offset, size. */
const PER_BLOCK = 4 + 4 + 8 + 4;

/** A parsed index block. */
export class TableIndex {
  private readonly raw: Uint8Array;
  private readonly keyStart: Uint32Array;
  private readonly keyEnd: Uint32Array;
  private readonly offsets: Float64Array;
  private readonly sizes: Uint32Array;
  /** The number of data blocks. */
  readonly length: number;

  /** Parses the verified index block found at `at` in `file`; `dataEnd` is where the data blocks end (the filter's offset). */
  constructor(ib: Uint8Array, file: string, at: number, dataEnd: number) {
    // Step 1: the block's structure (restart array, entry lengths) via Block.
    const block = new Block(ib, file, at);
    const n = block.length;
    this.raw = ib;
    this.length = n;
    this.keyStart = new Uint32Array(n);
    this.keyEnd = new Uint32Array(n);
    this.offsets = new Float64Array(n);
    this.sizes = new Uint32Array(n);
    // Step 2: each entry: a whole key and a handle inside the data area.
    const end =
      ib.length -
      RESTART_BYTES *
        (new DataView(ib.buffer, ib.byteOffset, ib.byteLength).getUint32(ib.length - RESTART_BYTES, true) + 1);
    let o = 0;
    for (let i = 0; i < n; i++) {
      const h = readEntry(ib, o, end);
      if (!h) throw corrupt(file, at + o, 'an index entry has a bad length field');
      if (h.shared !== 0) throw corrupt(file, at + o, 'an index entry shares bytes with the key before it');
      this.keyStart[i] = h.keyAt;
      this.keyEnd[i] = h.valueAt;
      const handle = decodeHandle(ib.subarray(h.valueAt, h.next), dataEnd, file, at + h.valueAt);
      this.offsets[i] = handle.offset;
      this.sizes[i] = handle.size;
      if (
        i > 0 &&
        compareBytes(ib.subarray(this.keyStart[i - 1]!, this.keyEnd[i - 1]!), ib.subarray(h.keyAt, h.valueAt)) >= 0
      ) {
        throw corrupt(file, at, 'the index keys are out of order');
      }
      o = h.next;
    }
  }

  /** The index of the first data block whose last key is >= `key` (length if none). */
  seek(key: Uint8Array): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytesAt(this.raw, this.keyStart[mid]!, this.keyEnd[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Compares data block i's index key (its last key) with `key`, as compareBytes(indexKey, key). */
  compareKey(i: number, key: Uint8Array): number {
    return compareBytesAt(this.raw, this.keyStart[i]!, this.keyEnd[i]!, key);
  }

  /** Where data block i is: its offset and size (without the trailer). */
  offset(i: number): number {
    return this.offsets[i]!;
  }

  size(i: number): number {
    return this.sizes[i]!;
  }

  /** Bytes held: the index block and the per-block arrays. */
  get memory(): number {
    return this.raw.length + this.length * PER_BLOCK;
  }
}
