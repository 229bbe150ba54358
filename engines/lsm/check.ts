/**
 * check.ts: a full structural check of a closed lsm directory, stricter than open. Tests
 * and tools use it; open does not (open tolerates a torn log tail and reads tables lazily).
 *
 * It checks that:
 *   - CURRENT names a manifest whose every edit is whole and applies (levels 1+ disjoint);
 *   - every live table exists and decodes completely: footer, filter, index and every data
 *     block with good checksums, keys strictly increasing, each block ending at its index
 *     key, the blocks tiling the file, and entry count, tombstones, sequence range and key
 *     range as the manifest says;
 *   - the bloom filter answers "maybe" for every key the table holds;
 *   - level-0 tables cover disjoint stretches of sequence numbers, in age order;
 *   - a key found in two levels is newer (a higher sequence number) in the upper one;
 *   - every log at or above the log number is a run of whole, decodable records; the log the
 *     manifest names exists, and every sealed log exists at exactly its sealed length;
 *   - no file of ours is unreferenced (a table not in the version, an old manifest or log,
 *     CURRENT.tmp): recovery deletes those, so a closed store has none.
 * The first flaw throws KV_CORRUPT naming the file and offset; a sound store's report says
 * what was found, file by file (`kv lsm DIR check` prints it).
 */
import { compareBytes, display, toHex } from '../bytes.js';
import { corrupt } from '../errors.js';
import { FRAME_HEADER } from '../codec/frame.js';
import { readWhole, type FileSystem } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { Block } from './block.js';
import { BloomFilter } from './bloom.js';
import {
  BLOCK_TRAILER,
  FOOTER,
  KIND_DELETE,
  decodeFooter,
  decodeHandle,
  decodeLogRecord,
  logName,
  parseName,
  tableName,
  verifyBlock,
  type FileMeta,
} from './format.js';
import { readCurrent, readManifest } from './manifest.js';
import { readFrames } from './wal.js';

/** What the check found in one live table. */
export interface TableFacts {
  name: string;
  level: number;
  blocks: number;
  entries: number;
  tombstones: number;
}

/** What the check found in one live log. */
export interface LogFacts {
  name: string;
  records: number;
  ops: number;
}

/** What the check found. */
export interface LsmCheckReport {
  tables: number;
  entries: number;
  logs: number;
  logRecords: number;
  /** The manifest CURRENT names, and what replaying it gave (absent for a store with no CURRENT). */
  manifest?: {
    name: string;
    edits: number;
    logNumber: number;
    nextFile: number;
    lastSeq: number;
    tablesPerLevel: number[];
  };
  tableFacts: TableFacts[];
  logFacts: LogFacts[];
}

/** Checks a closed lsm directory; throws KV_CORRUPT at the first flaw. */
export function checkLsmDir(fs: FileSystem, dir: string): LsmCheckReport {
  const report: LsmCheckReport = { tables: 0, entries: 0, logs: 0, logRecords: 0, tableFacts: [], logFacts: [] };
  const current = readCurrent(fs, dir);
  if (current === undefined) {
    // A store never opened (or whose first open crashed) has no files of ours.
    for (const name of fs.list(dir))
      if (parseName(name)) throw corrupt(name, 0, 'a file of the lsm engine in a directory with no CURRENT');
    return report;
  }
  // The manifest: every edit whole.
  const manifestBytes = readWhole(fs, join(dir, current));
  const frames = readFrames(manifestBytes, current, true);
  if (frames.tornAt !== undefined)
    throw corrupt(current, frames.tornAt, `the manifest ends in a torn edit: ${frames.reason}`);
  const st = readManifest(fs, dir, current);
  report.manifest = {
    name: current,
    edits: st.edits,
    logNumber: st.logNumber,
    nextFile: st.nextFile,
    lastSeq: st.lastSeq,
    tablesPerLevel: st.version.levels.map((l) => l.length),
  };
  // Level 0 in age order: each table's sequence numbers all above the previous table's (flushes
  // and size-tiered merges of neighbouring runs both keep this; a get reads L0 newest first).
  const l0 = st.version.levels[0]!;
  for (let i = 1; i < l0.length; i++) {
    if (l0[i]!.minSeq <= l0[i - 1]!.maxSeq)
      throw corrupt(
        current,
        0,
        `level-0 tables ${l0[i - 1]!.number} and ${l0[i]!.number} interleave in sequence numbers (${l0[i - 1]!.minSeq}-${l0[i - 1]!.maxSeq}, ${l0[i]!.minSeq}-${l0[i]!.maxSeq})`,
      );
  }
  // Every live table, whole; and across levels, a key in two levels is newer in the upper one.
  const live = new Set<number>();
  const newest = new Map<string, { level: number; seq: number; table: string }>();
  for (const { level, file } of st.version.files()) {
    live.add(file.number);
    const facts = checkTable(fs, dir, file, level, newest);
    report.tableFacts.push(facts);
    report.tables++;
    report.entries += file.entries;
  }
  // Logs, and unreferenced files.
  for (const name of fs.list(dir)) {
    const p = parseName(name);
    if (!p) continue;
    if (p.kind === 'log') {
      if (p.number < st.logNumber)
        throw corrupt(name, 0, `a log below the log number ${st.logNumber}, which recovery should have deleted`);
      const logBytes = readWhole(fs, join(dir, name));
      const sealedAt = st.sealed.get(p.number);
      if (sealedAt !== undefined && sealedAt !== logBytes.length)
        throw corrupt(name, 0, `the log was sealed at ${sealedAt} bytes but holds ${logBytes.length}`);
      const { records, tornAt, reason } = readFrames(logBytes, name);
      if (tornAt !== undefined) throw corrupt(name, tornAt, `the log ends in a torn record: ${reason}`);
      let ops = 0;
      for (const r of records) ops += decodeLogRecord(r.payload, name, r.offset + FRAME_HEADER).length;
      report.logs++;
      report.logRecords += records.length;
      report.logFacts.push({ name, records: records.length, ops });
    } else if (p.kind === 'table' && !live.has(p.number)) {
      throw corrupt(name, 0, 'a table the manifest does not list');
    } else if (p.kind === 'manifest' && name !== current) {
      throw corrupt(name, 0, `an old manifest (CURRENT names ${current})`);
    } else if (p.kind === 'temp') {
      throw corrupt(name, 0, 'a temporary file left behind');
    }
  }
  for (const n of [st.logNumber, ...[...st.sealed.keys()].filter((n) => n >= st.logNumber)]) {
    if (!fs.exists(join(dir, logName(n))))
      throw corrupt(logName(n), 0, 'the manifest needs this log, but the file is missing');
  }
  return report;
}

/**
 * Decodes a whole table and compares it with its manifest entry: footer, filter and index
 * (index keys strictly increasing), every data block in order (checksum, structure, keys
 * strictly increasing within and across blocks, each ending at its index key), the blocks
 * tiling the file (data blocks, filter, index, footer, no gap), the bloom filter saying
 * "maybe" for every key, and the counts, sequence range and key range the manifest records.
 * `newest` carries, across tables in level order, the newest level and seq seen for each key.
 */
function checkTable(
  fs: FileSystem,
  dir: string,
  f: FileMeta,
  level: number,
  newest: Map<string, { level: number; seq: number; table: string }>,
): TableFacts {
  const name = tableName(f.number);
  const path = join(dir, name);
  if (!fs.exists(path)) throw corrupt(name, 0, 'the manifest lists this table, but it is missing');
  const bytes = readWhole(fs, path);
  if (bytes.length !== f.size)
    throw corrupt(name, 0, `the table is ${bytes.length} bytes, the manifest says ${f.size}`);
  if (bytes.length < FOOTER) throw corrupt(name, 0, 'too short for a footer');
  // Step 1: the footer says where the filter and the index are.
  const footer = decodeFooter(bytes.subarray(bytes.length - FOOTER), bytes.length, name);
  const read = (h: { offset: number; size: number }, what: string) =>
    verifyBlock(bytes.subarray(h.offset, h.offset + h.size + BLOCK_TRAILER), name, h.offset, what);
  const filter = new BloomFilter(read(footer.filter, 'filter'), name, footer.filter.offset);
  const index = new Block(read(footer.index, 'index'), name, footer.index.offset);
  for (let i = 1; i < index.length; i++) {
    if (compareBytes(index.keys[i - 1]!, index.keys[i]!) >= 0)
      throw corrupt(name, footer.index.offset, 'the index keys are out of order');
  }
  // Step 2: the data blocks must tile the file up to the filter block, in order.
  let expectAt = 0;
  let prev: Uint8Array | undefined;
  let entries = 0;
  let tombstones = 0;
  let minSeq = Number.MAX_SAFE_INTEGER;
  let maxSeq = 0;
  let first: Uint8Array | undefined;
  for (let i = 0; i < index.length; i++) {
    const h = decodeHandle(index.values[i]!, footer.filter.offset, name, footer.index.offset);
    if (h.offset !== expectAt)
      throw corrupt(name, h.offset, `data block ${i} is not where the previous one ended (${expectAt})`);
    expectAt = h.offset + h.size + BLOCK_TRAILER;
    const b = new Block(read(h, 'data'), name, h.offset);
    for (const e of b.entries) {
      if (prev && compareBytes(prev, e.key) >= 0)
        throw corrupt(name, h.offset, 'keys are not strictly increasing across blocks');
      if (!filter.mayContain(e.key))
        throw corrupt(name, footer.filter.offset, 'the bloom filter says "no" for a key the table holds');
      // A key found in two levels must be newer in the upper one.
      const k = toHex(e.key);
      const seen = newest.get(k);
      if (seen && seen.level < level && seen.seq <= e.seq) {
        throw corrupt(
          name,
          h.offset,
          `key ${display(e.key)} has seq ${e.seq} in level ${level}, not older than seq ${seen.seq} in ${seen.table} (level ${seen.level})`,
        );
      }
      if (!seen || level < seen.level || (level === seen.level && e.seq > seen.seq))
        newest.set(k, { level, seq: e.seq, table: name });
      first ??= e.key;
      prev = e.key;
      entries++;
      if (e.kind === KIND_DELETE) tombstones++;
      minSeq = Math.min(minSeq, e.seq);
      maxSeq = Math.max(maxSeq, e.seq);
    }
    if (!prev || compareBytes(prev, index.keys[i]!) !== 0)
      throw corrupt(name, h.offset, `data block ${i} does not end at its index key`);
  }
  // Step 3: then the filter, the index and the footer, with no gap.
  if (expectAt !== footer.filter.offset)
    throw corrupt(name, expectAt, 'bytes between the last data block and the filter block');
  const afterFilter = footer.filter.offset + footer.filter.size + BLOCK_TRAILER;
  if (afterFilter !== footer.index.offset)
    throw corrupt(name, afterFilter, 'the index block does not follow the filter block');
  if (footer.index.offset + footer.index.size + BLOCK_TRAILER !== bytes.length - FOOTER)
    throw corrupt(name, bytes.length - FOOTER, 'the footer does not follow the index block');
  // Step 4: what the manifest says about the table.
  const facts: [string, unknown, unknown][] = [
    ['entries', entries, f.entries],
    ['tombstones', tombstones, f.tombstones],
    ['min seq', minSeq, f.minSeq],
    ['max seq', maxSeq, f.maxSeq],
  ];
  for (const [what, found, listed] of facts) {
    if (found !== listed) throw corrupt(name, 0, `${what} is ${String(found)}, the manifest says ${String(listed)}`);
  }
  if (!first || compareBytes(first, f.smallest) !== 0 || compareBytes(prev!, f.largest) !== 0)
    throw corrupt(name, 0, 'the key range differs from the manifest');
  return { name, level, blocks: index.length, entries, tombstones };
}
