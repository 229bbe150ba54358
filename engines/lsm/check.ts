/**
 * check.ts: a full structural check of a closed lsm directory, stricter than open. Tests
 * and tools use it; open does not (open tolerates a torn log tail and reads tables lazily).
 *
 * It checks that:
 *   - CURRENT names a manifest whose every edit is whole and applies (levels 1+ disjoint);
 *   - every live table exists and decodes completely: footer, filter, index and every data
 *     block with good checksums, keys strictly increasing, each block ending at its index
 *     key, and entry count, tombstones, sequence range and key range as the manifest says;
 *   - the bloom filter answers "maybe" for every key the table holds;
 *   - every log at or above the log number is a run of whole, decodable records; the log the
 *     manifest names exists, and every sealed log exists at exactly its sealed length;
 *   - no file of ours is unreferenced (a table not in the version, an old manifest or log,
 *     CURRENT.tmp): recovery deletes those, so a closed store has none.
 * The first flaw throws KV_CORRUPT naming the file and offset.
 */
import { compareBytes } from '../bytes.js';
import { corrupt } from '../errors.js';
import { FRAME_HEADER } from '../codec/frame.js';
import { readWhole, type FileSystem } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { Block } from './block.js';
import { BloomFilter } from './bloom.js';
import { BLOCK_TRAILER, FOOTER, decodeFooter, decodeHandle, decodeLogRecord, logName, parseName, tableName, verifyBlock, type FileMeta } from './format.js';
import { readCurrent, readManifest } from './manifest.js';
import { DataBlock } from './table-reader.js';
import { readFrames } from './wal.js';

/** What the check found. */
export interface LsmCheckReport {
  tables: number;
  entries: number;
  logs: number;
  logRecords: number;
}

/** Checks a closed lsm directory; throws KV_CORRUPT at the first flaw. */
export function checkLsmDir(fs: FileSystem, dir: string): LsmCheckReport {
  const report: LsmCheckReport = { tables: 0, entries: 0, logs: 0, logRecords: 0 };
  const current = readCurrent(fs, dir);
  if (current === undefined) {
    // A store never opened (or whose first open crashed) has no files of ours.
    for (const name of fs.list(dir)) if (parseName(name)) throw corrupt(name, 0, 'a file of the lsm engine in a directory with no CURRENT');
    return report;
  }
  // The manifest: every edit whole.
  const manifestBytes = readWhole(fs, join(dir, current));
  const frames = readFrames(manifestBytes, current, true);
  if (frames.tornAt !== undefined) throw corrupt(current, frames.tornAt, `the manifest ends in a torn edit: ${frames.reason}`);
  const st = readManifest(fs, dir, current);
  const live = new Set<number>();
  for (const { file } of st.version.files()) {
    live.add(file.number);
    checkTable(fs, dir, file);
    report.tables++;
    report.entries += file.entries;
  }
  // Logs, and unreferenced files.
  for (const name of fs.list(dir)) {
    const p = parseName(name);
    if (!p) continue;
    if (p.kind === 'log') {
      if (p.number < st.logNumber) throw corrupt(name, 0, `a log below the log number ${st.logNumber}, which recovery should have deleted`);
      const logBytes = readWhole(fs, join(dir, name));
      const sealedAt = st.sealed.get(p.number);
      if (sealedAt !== undefined && sealedAt !== logBytes.length) throw corrupt(name, 0, `the log was sealed at ${sealedAt} bytes but holds ${logBytes.length}`);
      const { records, tornAt, reason } = readFrames(logBytes, name);
      if (tornAt !== undefined) throw corrupt(name, tornAt, `the log ends in a torn record: ${reason}`);
      for (const r of records) decodeLogRecord(r.payload, name, r.offset + FRAME_HEADER);
      report.logs++;
      report.logRecords += records.length;
    } else if (p.kind === 'table' && !live.has(p.number)) {
      throw corrupt(name, 0, 'a table the manifest does not list');
    } else if (p.kind === 'manifest' && name !== current) {
      throw corrupt(name, 0, `an old manifest (CURRENT names ${current})`);
    } else if (p.kind === 'temp') {
      throw corrupt(name, 0, 'a temporary file left behind');
    }
  }
  for (const n of [st.logNumber, ...[...st.sealed.keys()].filter((n) => n >= st.logNumber)]) {
    if (!fs.exists(join(dir, logName(n)))) throw corrupt(logName(n), 0, 'the manifest needs this log, but the file is missing');
  }
  return report;
}

/** Decodes a whole table and compares it with its manifest entry. */
function checkTable(fs: FileSystem, dir: string, f: FileMeta): void {
  const name = tableName(f.number);
  const path = join(dir, name);
  if (!fs.exists(path)) throw corrupt(name, 0, 'the manifest lists this table, but it is missing');
  const bytes = readWhole(fs, path);
  if (bytes.length !== f.size) throw corrupt(name, 0, `the table is ${bytes.length} bytes, the manifest says ${f.size}`);
  if (bytes.length < FOOTER) throw corrupt(name, 0, 'too short for a footer');
  const footer = decodeFooter(bytes.subarray(bytes.length - FOOTER), bytes.length, name);
  const read = (h: { offset: number; size: number }, what: string) => verifyBlock(bytes.subarray(h.offset, h.offset + h.size + BLOCK_TRAILER), name, h.offset, what);
  const filter = new BloomFilter(read(footer.filter, 'filter'), name, footer.filter.offset);
  const index = new Block(read(footer.index, 'index'), name, footer.index.offset);
  // The data blocks must tile the file up to the filter block, in order.
  let expectAt = 0;
  let prev: Uint8Array | undefined;
  let entries = 0;
  let tombstones = 0;
  let minSeq = Number.MAX_SAFE_INTEGER;
  let maxSeq = 0;
  let first: Uint8Array | undefined;
  for (let i = 0; i < index.length; i++) {
    const h = decodeHandle(index.values[i]!, footer.filter.offset, name, footer.index.offset);
    if (h.offset !== expectAt) throw corrupt(name, h.offset, `data block ${i} is not where the previous one ended (${expectAt})`);
    expectAt = h.offset + h.size + BLOCK_TRAILER;
    const b = new DataBlock(read(h, 'data'), name, h.offset);
    for (const e of b.entries) {
      if (prev && compareBytes(prev, e.key) >= 0) throw corrupt(name, h.offset, 'keys are not strictly increasing across blocks');
      if (!filter.mayContain(e.key)) throw corrupt(name, footer.filter.offset, 'the bloom filter says "no" for a key the table holds');
      first ??= e.key;
      prev = e.key;
      entries++;
      if (e.kind === 0) tombstones++;
      minSeq = Math.min(minSeq, e.seq);
      maxSeq = Math.max(maxSeq, e.seq);
    }
    if (!prev || compareBytes(prev, index.keys[i]!) !== 0) throw corrupt(name, h.offset, `data block ${i} does not end at its index key`);
  }
  if (expectAt !== footer.filter.offset) throw corrupt(name, expectAt, 'bytes between the last data block and the filter block');
  const facts: [string, unknown, unknown][] = [
    ['entries', entries, f.entries],
    ['tombstones', tombstones, f.tombstones],
    ['min seq', minSeq, f.minSeq],
    ['max seq', maxSeq, f.maxSeq],
  ];
  for (const [what, found, listed] of facts) {
    if (found !== listed) throw corrupt(name, 0, `${what} is ${String(found)}, the manifest says ${String(listed)}`);
  }
  if (!first || compareBytes(first, f.smallest) !== 0 || compareBytes(prev!, f.largest) !== 0) throw corrupt(name, 0, 'the key range differs from the manifest');
}
