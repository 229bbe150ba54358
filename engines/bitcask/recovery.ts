/**
 * recovery.ts: open, which rebuilds the keydir from the files.
 *
 *   1. (Merge markers are names, never half written: nothing to clean.)
 *   2. If a merge marker is present, a merge was interrupted: MERGE-committed-A means its
 *      outputs are complete, so remove its inputs (ids <= A) to finish it; MERGE-started-A
 *      means they may not be, so remove its outputs (ids > A) to undo it. Then remove the marker.
 *   3. For every data file, oldest id first: if it has a hint file that checks out (CRC,
 *      file id, data file size), load the keydir entries from the hint and read no byte of
 *      the data file; otherwise read the data file and replay its records, verifying each CRC.
 *   4. The newest file may end in a torn append (the file ends inside a record whose header
 *      checks out, or lost sectors read back as zeros) or a batch the crash cut short: cut it
 *      off and sync the cut. A bad record anywhere else is KV_CORRUPT naming file and offset.
 *   5. Keep appending to the newest file if a merge did not write it and it has room.
 *
 * Which record wins: the one with the highest sequence number, whatever file it is in. So
 * the order of files does not matter, and a record that exists twice (in a merge's input
 * and its output, after a crash between them) is the same record, not a conflict. A
 * tombstone's sequence number is remembered while loading, so an older put read later
 * cannot bring its key back.
 */
import { corrupt } from '../errors.js';
import { readWhole } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { DataFile } from './datafile.js';
import {
  FLAG_BATCH_CONTINUES,
  FLAG_TOMBSTONE,
  RECORD_HEADER,
  dataName,
  decodeHint,
  decodeRecord,
  hintName,
  parseMergeMarker,
  parseName,
  type DataRecord,
  type MergeState,
} from './format.js';
import { binKey } from './keydir.js';
import type { BitcaskState } from './state.js';

/** Rebuilds `s` (which must be empty) from the directory. */
export function recover(s: BitcaskState): void {
  const { fs, dir } = s;
  // Steps 1 and 2: finish or undo an interrupted merge (a marker is only ever a name).
  for (const name of fs.list(dir)) {
    const m = parseMergeMarker(name);
    if (m) resolveMerge(s, name, m);
  }

  // Step 3: find the data and hint files.
  const data: number[] = [];
  const hints = new Set<number>();
  for (const name of fs.list(dir)) {
    const p = parseName(name);
    if (p?.kind === 'data') data.push(p.id);
    else if (p?.kind === 'hint') hints.add(p.id);
  }
  data.sort((a, b) => a - b);
  const newest = data.length > 0 ? data[data.length - 1]! : 0;
  const tombs = new Map<string, number>();
  for (const id of data) {
    const f = new DataFile(id, dir, fs.fileSize(join(dir, dataName(id))));
    s.files.set(id, f);
    if (hints.delete(id) && loadHint(s, f, tombs)) continue;
    scanFile(s, f, id === newest, tombs);
  }
  // A hint whose data file is gone describes nothing.
  for (const id of hints) {
    const name = hintName(id);
    fs.remove(join(dir, name));
    s.trace?.({ type: 'bitcask.recover.clean', file: name });
  }
  s.lastId = newest;
  let maxSeq = 0;
  for (const e of s.keydir.entries()) if (e[1].seq > maxSeq) maxSeq = e[1].seq;
  for (const seq of tombs.values()) if (seq > maxSeq) maxSeq = seq;
  s.nextSeq = Math.max(s.nextSeq, maxSeq + 1);

  // Step 5: append to the newest file if it is a log file with room left.
  const last = s.files.get(newest);
  if (last && !last.merged && last.size < s.tuning.maxFileBytes) s.active = last;
  s.trace?.({ type: 'bitcask.open', files: s.files.size, keys: s.keydir.size, nextSeq: s.nextSeq, ...(s.active ? { active: s.active.name } : {}) });
}

/** Finishes (committed) or undoes (started) the merge a marker describes. */
function resolveMerge(s: BitcaskState, marker: string, m: { state: MergeState; lastInput: number }): void {
  const { fs, dir } = s;
  const finish = m.state === 'committed';
  const removed: string[] = [];
  for (const name of fs.list(dir)) {
    const p = parseName(name);
    if (!p) continue;
    // Finishing removes the inputs; undoing removes the outputs.
    if (finish ? p.id <= m.lastInput : p.id > m.lastInput) {
      fs.remove(join(dir, name));
      removed.push(name);
    }
  }
  // The marker goes last, and one directory sync makes it all durable: this session may
  // create files with ids above A, which a stale "started" marker would otherwise undo.
  fs.remove(join(dir, marker));
  fs.syncDir(dir);
  s.trace?.({ type: 'bitcask.recover.merge', action: finish ? 'finish' : 'undo', lastInput: m.lastInput, removed });
}

/** Loads a data file's entries from its hint file; false if the hint cannot be trusted. */
function loadHint(s: BitcaskState, f: DataFile, tombs: Map<string, number>): boolean {
  const h = decodeHint(readWhole(s.fs, f.hintPath), f.id, f.size);
  const hint = hintName(f.id);
  if ('invalid' in h) {
    s.trace?.({ type: 'bitcask.recover.badhint', file: hint, reason: h.invalid });
    return false;
  }
  f.merged = true;
  for (const e of h.entries) {
    const k = binKey(e.key);
    if ((tombs.get(k) ?? 0) > e.seq) continue;
    s.applyPut(k, f, e.recordOffset, e.valueLength, e.seq);
  }
  s.trace?.({ type: 'bitcask.recover.hint', file: hint, entries: h.entries.length });
  return true;
}

/** Reads a data file whole and replays its records; cuts a torn tail if it is the newest. */
function scanFile(s: BitcaskState, f: DataFile, newest: boolean, tombs: Map<string, number>): void {
  const bytes = f.size > 0 ? f.file(s.fs).read(0, f.size) : new Uint8Array(0);
  let o = 0;
  let records = 0;
  let batch: DataRecord[] = [];
  let batchStart = 0;
  while (o < bytes.length) {
    const r = decodeRecord(bytes, o);
    if (r.kind !== 'ok') {
      const at = batch.length > 0 ? batchStart : o;
      if (newest && (r.kind === 'torn' || lostSector(bytes, o, r.size))) return cut(s, f, at, records, `${r.reason} at offset ${o}`);
      throw corrupt(f.path, o, r.reason);
    }
    const rec = r.record;
    if (batch.length === 0) batchStart = o;
    batch.push(rec);
    o += rec.size;
    // A batch counts only once the record that closes it has been read.
    if (rec.flags & FLAG_BATCH_CONTINUES) continue;
    for (const b of batch) replay(s, f, b, tombs);
    records += batch.length;
    batch = [];
  }
  if (batch.length > 0) {
    if (newest) return cut(s, f, batchStart, records, `a batch of ${batch.length}+ records that the crash cut short`);
    throw corrupt(f.path, batchStart, 'a batch that never closes, in a file that is not the newest');
  }
  s.trace?.({ type: 'bitcask.recover.scan', file: f.name, records, bytes: bytes.length });
}

/** Applies one record read during recovery. */
function replay(s: BitcaskState, f: DataFile, rec: DataRecord, tombs: Map<string, number>): void {
  const k = binKey(rec.key);
  if (rec.flags & FLAG_TOMBSTONE) {
    const cur = s.keydir.get(k);
    if (cur && cur.seq > rec.seq) return;
    s.applyDelete(k, rec.seq);
    if ((tombs.get(k) ?? 0) < rec.seq) tombs.set(k, rec.seq);
  } else if ((tombs.get(k) ?? 0) < rec.seq) {
    s.applyPut(k, f, rec.offset, rec.value.length, rec.seq);
  }
}

/** The unit a disk writes atomically: a power cut can lose any subset of an unsynced append's sectors. */
const SECTOR = 512;

/**
 * True when the bad record at `o` in the newest file looks like an append the power cut
 * tore rather than damage. A disk can lose any subset of an unsynced append's sectors, and a
 * lost piece reads back as zeros from a sector boundary (or the append's start, which is
 * `o`) to a sector boundary (or the append's end, past this record). So: within the record's
 * span (its header when the header is bad, else the whole record), is there a run of zeros
 * that starts at `o` or at a sector boundary and ends at a sector boundary or at the span's
 * end? A flipped bit leaves no such run (short of a one-in-many-thousands coincidence).
 */
function lostSector(bytes: Uint8Array, o: number, size: number | undefined): boolean {
  const end = Math.min(bytes.length, o + (size ?? RECORD_HEADER));
  for (let a = o; a < end; a = (Math.floor(a / SECTOR) + 1) * SECTOR) {
    let i = a;
    while (i < end && bytes[i] === 0) {
      i++;
      if (i % SECTOR === 0) return true;
    }
    if (i === end && i > a) return true;
  }
  return false;
}

/** Cuts the newest file at `at`, syncs the cut, and traces it. */
function cut(s: BitcaskState, f: DataFile, at: number, records: number, reason: string): void {
  const h = f.file(s.fs);
  h.truncate(at);
  h.sync();
  s.trace?.({ type: 'bitcask.recover.truncate', file: f.name, offset: at, dropped: f.size - at, reason });
  f.size = at;
  s.trace?.({ type: 'bitcask.recover.scan', file: f.name, records, bytes: at });
}
