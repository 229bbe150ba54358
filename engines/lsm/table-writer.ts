/**
 * table-writer.ts: writes one SSTable from entries given in key order (LevelDB's
 * table_builder.cc). Layout in format.ts.
 *
 * Data blocks are cut when they reach about `blockBytes`; each is appended with its checksum
 * as soon as it is full, so memory holds one block at a time plus, for the index and filter,
 * one short entry and one hash per key. finish() writes the filter block, the index block and
 * the footer, then fsyncs the file: a table is only ever referenced by the manifest after
 * its bytes are durable.
 */
import { display } from '../bytes.js';
import type { FileHandle } from '../storage/fs.js';
import type { TraceListener } from '../registry-types.js';
import { BlockBuilder } from './block.js';
import { bloomHash, buildFilter } from './bloom.js';
import {
  EMPTY,
  KIND_PUT,
  TRAILER,
  blockTrailer,
  encodeFooter,
  encodeHandle,
  setTrailer,
  type BlockHandle,
  type Entry,
  type FileMeta,
  type Footer,
} from './format.js';

/** Entries between restart points in a data block (LevelDB's default). */
export const RESTART_INTERVAL = 16;

/** Settings a table writer needs. */
export interface TableOptions {
  blockBytes: number;
  bloomBitsPerKey: number;
}

/** Writes one table. */
export class TableWriter {
  private offset = 0;
  private data = new BlockBuilder(RESTART_INTERVAL);
  private readonly index = new BlockBuilder(1);
  private readonly hashes: number[] = [];
  /** The trailer of the entry being added (reused). */
  private readonly trailer = new Uint8Array(TRAILER);
  private first: Uint8Array | undefined;
  private last: Uint8Array | undefined;
  private blockFirst: Uint8Array | undefined;
  private entries = 0;
  private tombstones = 0;
  private minSeq = Number.MAX_SAFE_INTEGER;
  private maxSeq = 0;
  /** Data blocks written. */
  blocks = 0;
  /** Once finished: the footer, filter and index as written, for the table cache to open the table from (no read). */
  parts: { footer: Footer; filter: Uint8Array; index: Uint8Array } | undefined;

  constructor(
    private readonly handle: FileHandle,
    readonly name: string,
    readonly number: number,
    private readonly options: TableOptions,
    private readonly trace: TraceListener | undefined,
  ) {}

  /** Adds the next entry; its key must sort after the previous one's. */
  add(e: Entry): void {
    if (this.first === undefined) this.first = e.key;
    if (this.blockFirst === undefined) this.blockFirst = e.key;
    this.last = e.key;
    // The internal key is the user key then its seq/kind trailer, written straight into the block.
    setTrailer(this.trailer, e.seq, e.kind);
    this.data.addParts(e.key, e.key.length, this.trailer, e.kind === KIND_PUT ? e.value : EMPTY);
    this.hashes.push(bloomHash(e.key));
    this.entries++;
    if (e.kind !== KIND_PUT) this.tombstones++;
    if (e.seq < this.minSeq) this.minSeq = e.seq;
    if (e.seq > this.maxSeq) this.maxSeq = e.seq;
    // A full block goes to the file now.
    if (this.data.estimate() >= this.options.blockBytes) this.flushBlock();
  }

  /** The size of the file if it were finished now (for cutting compaction outputs). */
  estimate(): number {
    return this.offset + this.data.estimate();
  }

  /** Number of entries added. */
  get count(): number {
    return this.entries;
  }

  /** Writes the pending data block and adds its index entry. */
  private flushBlock(): void {
    if (this.data.empty()) return;
    const count = this.data.count;
    const h = this.writeBlock(this.data.finish());
    // The index maps the block's last key to where the block is.
    this.index.add(this.last!, encodeHandle(h));
    this.trace?.({
      type: 'lsm.table.block',
      file: this.name,
      block: 'data',
      offset: h.offset,
      bytes: h.size,
      entries: count,
      firstKey: display(this.blockFirst!),
      lastKey: display(this.last!),
    });
    this.blocks++;
    this.data.reset();
    this.blockFirst = undefined;
  }

  /** Appends a block and its checksum; returns its handle. */
  private writeBlock(block: Uint8Array): BlockHandle {
    const h = { offset: this.offset, size: block.length };
    const out = new Uint8Array(block.length + 4);
    out.set(block, 0);
    out.set(blockTrailer(block), block.length);
    this.handle.write(this.offset, out);
    this.offset += out.length;
    return h;
  }

  /** Writes the filter, index and footer, fsyncs and closes; returns what the manifest records. */
  finish(): FileMeta {
    this.flushBlock();
    // The filter block: one bloom filter over every key in the table.
    const filterBytes = buildFilter(this.hashes, this.options.bloomBitsPerKey);
    const filter = this.writeBlock(filterBytes);
    this.trace?.({
      type: 'lsm.table.block',
      file: this.name,
      block: 'filter',
      offset: filter.offset,
      bytes: filter.size,
      entries: this.entries,
    });
    // The index block.
    const indexEntries = this.index.count;
    const indexBytes = this.index.finish();
    const index = this.writeBlock(indexBytes);
    this.trace?.({
      type: 'lsm.table.block',
      file: this.name,
      block: 'index',
      offset: index.offset,
      bytes: index.size,
      entries: indexEntries,
    });
    // The footer, then make it all durable.
    const footer = encodeFooter({ index, filter });
    this.handle.write(this.offset, footer);
    this.trace?.({
      type: 'lsm.table.block',
      file: this.name,
      block: 'footer',
      offset: this.offset,
      bytes: footer.length,
      entries: 0,
    });
    this.offset += footer.length;
    this.handle.sync();
    this.handle.close();
    this.parts = { footer: { index, filter }, filter: filterBytes, index: indexBytes };
    return {
      number: this.number,
      size: this.offset,
      entries: this.entries,
      tombstones: this.tombstones,
      minSeq: this.entries ? this.minSeq : 0,
      maxSeq: this.maxSeq,
      smallest: this.first ?? new Uint8Array(0),
      largest: this.last ?? new Uint8Array(0),
    };
  }

  /** Closes the file without finishing it (the caller removes it). */
  abandon(): void {
    try {
      this.handle.close();
    } catch {
      // Already failed; nothing more to do.
    }
  }
}
