/**
 * events.ts: the lsm engine's trace events. Keys are shown with bytes.display(); files by
 * name (e.g. "000007.sst"). I/O itself is traced by the instrumented file system.
 *
 *   lsm.log.append      a write (one op or a whole batch) framed and appended to the log
 *   lsm.log.new         a new log file started (with a new memtable, or at open)
 *   lsm.memtable.insert an entry went into the memtable skiplist (height = its levels)
 *   lsm.memtable.freeze the memtable became immutable, to be flushed
 *   lsm.flush           a flush step: `start`, then `done` once its table is installed
 *   lsm.table.block     a block was written to an SSTable (data, filter, index, footer)
 *   lsm.table.written   an SSTable is complete and synced
 *   lsm.table.open      a table was opened into the table cache: its filter and index are
 *                       in memory from now on (`from` "written": taken from its writer, no
 *                       read; "disk": read from the file, at store open or after an eviction)
 *   lsm.table.close     the table cache closed a table to stay within maxOpenTables
 *   lsm.get.memtable    a get looked in the memtable or the immutable memtable
 *   lsm.get.skip        a get skipped a file because the key is outside its key range
 *   lsm.bloom           a get asked a file's bloom filter; `answer` is "no" or "maybe"
 *   lsm.index           a get or scan found the data block for a key in a file's index
 *   lsm.block.read      a data block was needed: `cache` says whether it was a hit
 *   lsm.get.found       where a get's answer came from (value, tombstone, or nowhere); also
 *                       emitted with falsePositive: true for a table whose filter said
 *                       "maybe" but that did not hold the key (a bloom false positive)
 *   lsm.compaction.pick a compaction chose its input files
 *   lsm.compaction.runs the tiered picker's view: every sorted run, newest first, grouped in
 *                       buckets of similar size (emitted just before the pick it led to)
 *   lsm.compaction.merge a compaction's merge finished: entries in, out, and dropped
 *   lsm.compaction.install a version edit swapped the inputs for the outputs
 *   lsm.file.delete     a file nothing references any more was removed
 *   lsm.manifest.edit   a version edit was appended (and synced) to the manifest; at close
 *                       it seals the log (complete at its length, so damage is corruption)
 *   lsm.recover         a recovery step at open
 */

/** Where a get looked or found its answer. */
export type GetSource = 'memtable' | 'immutable' | 'table' | 'none';

/** Why a compaction ran. */
export type CompactionReason = 'l0-files' | 'level-size' | 'manual' | 'tiered-size' | 'tiered-runs';

/** A bucket of similar-size sorted runs, as the tiered picker saw it (newest run first). */
export interface RunBucket {
  runs: string[];
  averageBytes: number;
}

export type LsmEvent =
  | { type: 'lsm.log.append'; file: string; seq: number; ops: number; offset: number; bytes: number }
  | { type: 'lsm.log.new'; file: string }
  | {
      type: 'lsm.memtable.insert';
      key: string;
      seq: number;
      kind: 'put' | 'delete';
      height: number;
      created: boolean;
      entries: number;
      bytes: number;
      limit: number;
    }
  | { type: 'lsm.memtable.freeze'; log: string; entries: number; bytes: number }
  | { type: 'lsm.flush'; step: 'start' | 'done'; file: string; entries: number; bytes: number }
  | {
      type: 'lsm.table.block';
      file: string;
      block: 'data' | 'filter' | 'index' | 'footer';
      offset: number;
      bytes: number;
      entries: number;
      firstKey?: string;
      lastKey?: string;
    }
  | {
      type: 'lsm.table.written';
      file: string;
      level: number;
      entries: number;
      tombstones: number;
      bytes: number;
      smallest: string;
      largest: string;
    }
  | { type: 'lsm.table.open'; file: string; level?: number; from: 'written' | 'disk'; memoryBytes: number }
  | { type: 'lsm.table.close'; file: string; reason: string }
  | { type: 'lsm.get.memtable'; which: 'memtable' | 'immutable'; key: string; found: 'value' | 'tombstone' | 'no' }
  | { type: 'lsm.get.skip'; file: string; level: number; key: string; smallest: string; largest: string }
  | { type: 'lsm.bloom'; file: string; level: number; key: string; answer: 'no' | 'maybe' }
  | { type: 'lsm.index'; file: string; level: number; key: string; block: number; blocks: number; offset: number }
  | {
      type: 'lsm.block.read';
      file: string;
      level: number;
      offset: number;
      bytes: number;
      entries: number;
      cache: 'hit' | 'miss';
    }
  | {
      type: 'lsm.get.found';
      key: string;
      source: GetSource;
      file?: string;
      level?: number;
      result: 'value' | 'tombstone' | 'absent';
      falsePositive?: boolean;
    }
  | {
      type: 'lsm.compaction.pick';
      reason: CompactionReason;
      level: number;
      outputLevel: number;
      inputs: string[];
      overlapping: string[];
      score: number;
      trivialMove: boolean;
    }
  | { type: 'lsm.compaction.runs'; buckets: RunBucket[]; runs: number; minThreshold: number; maxRuns: number }
  | {
      type: 'lsm.compaction.merge';
      level: number;
      outputLevel: number;
      entriesIn: number;
      entriesOut: number;
      shadowed: number;
      tombstonesDropped: number;
      bytesIn: number;
      bytesOut: number;
    }
  | { type: 'lsm.compaction.install'; level: number; outputLevel: number; added: string[]; deleted: string[] }
  | { type: 'lsm.file.delete'; file: string; reason: string }
  | {
      type: 'lsm.manifest.edit';
      file: string;
      added: string[];
      deleted: string[];
      logNumber?: number;
      nextFile?: number;
      lastSeq?: number;
      sealed?: string[];
    }
  | {
      type: 'lsm.recover';
      step: 'new' | 'current' | 'manifest' | 'log' | 'torn' | 'clean' | 'done';
      file?: string;
      detail: string;
    };
