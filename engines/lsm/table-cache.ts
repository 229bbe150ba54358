/**
 * table-cache.ts: the open tables, at most `capacity` of them (LevelDB's TableCache, sized by
 * max_open_files). An open table holds its file handle, its index block (parsed: keys and
 * block handles) and its bloom filter in memory, so a get asks the filter and the index with
 * no I/O and reads at most one data block.
 *
 * When tables are opened:
 *   - at store open, every live table (recovery has listed them), up to the capacity;
 *   - a table the store has just written (flush or compaction output) is opened from its
 *     writer's copies of the filter and index: nothing is read back;
 *   - a table evicted earlier (more live tables than the capacity) is opened again at its next
 *     use, reading its footer, filter and index.
 * The least recently used table is closed when the cache is over capacity. A JS Map keeps
 * insertion order, so moving a table to the end on every use keeps the first one the least
 * recently used.
 *
 * Invariant: every reader here is open (isOpen), and belongs to a live table or to one the
 * store is about to install.
 */
import { join } from '../storage/path.js';
import type { FileSystem } from '../storage/fs.js';
import type { TraceListener } from '../registry-types.js';
import type { BlockCache } from './block-cache.js';
import { tableName, type FileMeta, type Footer } from './format.js';
import type { Counters } from './settings.js';
import { TableReader } from './table-reader.js';

/** The bounded set of open tables. */
export class TableCache {
  private readonly open = new Map<number, TableReader>();
  /** Tables opened (from disk or from a writer) and closed to stay within capacity, since open. */
  opened = 0;
  evicted = 0;

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly blocks: BlockCache,
    private readonly trace: TraceListener | undefined,
    /** Where a closed table's bloom counts go (a live table keeps its own). */
    private readonly counters: Counters,
    readonly capacity: number,
  ) {}

  /** The open reader of a live table, opening it (reading footer, filter, index) if it is not. */
  get(f: FileMeta, level?: number): TableReader {
    const r = this.open.get(f.number);
    if (r) {
      // Most recently used: to the end of the Map's order (only when not already there).
      if (this.open.size > 1) {
        this.open.delete(f.number);
        this.open.set(f.number, r);
      }
      return r;
    }
    const name = tableName(f.number);
    const fresh = new TableReader(this.fs, join(this.dir, name), name, f, this.blocks, this.trace);
    fresh.ensureOpen();
    this.add(fresh, level, 'disk');
    return fresh;
  }

  /** Opens a table just written from its writer's filter and index (no read). */
  adopt(f: FileMeta, level: number, parts: { footer: Footer; filter: Uint8Array; index: Uint8Array }): void {
    const name = tableName(f.number);
    const r = new TableReader(this.fs, join(this.dir, name), name, f, this.blocks, this.trace);
    r.adopt(parts.footer, parts.filter, parts.index);
    this.add(r, level, 'written');
  }

  /** Keeps an open reader, closing the least recently used ones beyond capacity. */
  private add(r: TableReader, level: number | undefined, from: 'disk' | 'written'): void {
    this.drop(r.meta.number);
    this.open.set(r.meta.number, r);
    this.opened++;
    this.trace?.({
      type: 'lsm.table.open',
      file: r.name,
      ...(level !== undefined ? { level } : {}),
      from,
      memoryBytes: r.memory(),
    });
    for (const [number, old] of this.open) {
      if (this.open.size <= this.capacity) break;
      this.drop(number);
      this.evicted++;
      this.trace?.({
        type: 'lsm.table.close',
        file: old.name,
        reason: `the table cache holds ${this.capacity} tables`,
      });
    }
  }

  /** Closes a table's reader (deleted, or evicted), keeping its bloom counts, and drops its cached blocks if asked. */
  drop(number: number, blocksToo = false): void {
    const r = this.open.get(number);
    if (r) {
      this.counters.bloomChecks += r.bloomChecks;
      this.counters.bloomNo += r.bloomNo;
      this.counters.bloomFalse += r.bloomFalse;
      this.open.delete(number);
      try {
        r.close();
      } catch {
        // A handle that fails to close is gone anyway.
      }
    }
    if (blocksToo) this.blocks.evictFile(number);
  }

  /** The open reader of table `number`, if it is open (for inspect(): no I/O). */
  peek(number: number): TableReader | undefined {
    return this.open.get(number);
  }

  /** Every open reader. */
  readers(): IterableIterator<TableReader> {
    return this.open.values();
  }

  /** Open tables. */
  get size(): number {
    return this.open.size;
  }

  /** Bytes the open tables hold in memory: their indexes and filters. */
  memory(): number {
    let n = 0;
    for (const r of this.open.values()) n += r.memory();
    return n;
  }

  /** Closes every table (at close, or after a failure). */
  closeAll(): void {
    for (const number of [...this.open.keys()]) this.drop(number);
  }
}
