/**
 * recovery.ts: open, which rebuilds the keydir from the files.
 *
 *   1. Read the MANIFEST (a bad one is KV_CORRUPT). With none, the store is new: data files
 *      without a MANIFEST are corruption (it was deleted), unless all are empty (a crash
 *      between creating the first file and its MANIFEST on a file system that made the
 *      create durable first), which are removed.
 *   2. Every sealed file it lists must be there with exactly its listed size, or open fails
 *      with KV_CORRUPT naming the file (and, when its size is wrong, the offset where the two
 *      sizes part). The active file may be missing: a crash can lose its creation only
 *      while nothing in it was synced.
 *   3. Remove what the MANIFEST does not list: MANIFEST.tmp, and data or hint files a crash
 *      left (a merge's uncommitted outputs or committed inputs, a just-created file).
 *   4. For every sealed file: load it from its hint if the hint checks out (CRC, file id,
 *      data file size), reading no byte of the data file; otherwise read it whole and replay
 *      its records, verifying each CRC. Any bad record, or a batch that never closes, is
 *      KV_CORRUPT: a sealed file was fully synced, so no crash can have torn it.
 *   5. The active file (the only unsealed one, present only after a crash) may end in a
 *      torn append (the file ends inside a record whose header checks out, lost sectors
 *      read back as zeros) or a batch the crash cut short: cut it off and sync the cut. A
 *      bad record before that is KV_CORRUPT naming file and offset.
 *   6. Keep appending to the active file; with none (after a clean close), the first write
 *      creates a fresh one.
 *
 * Which record wins: the one with the highest sequence number, whatever file it is in. A
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
  MANIFEST_TMP,
  RECORD_HEADER,
  dataName,
  decodeHint,
  decodeRecord,
  hintName,
  parseName,
  type DataRecord,
} from './format.js';
import { binKey } from './keydir.js';
import { manifestPath, readManifest } from './manifest.js';
import type { BitcaskState } from './state.js';

/** Rebuilds `s` (which must be empty) from the directory. */
export function recover(s: BitcaskState): void {
  const { fs, dir } = s;
  const names = fs.list(dir);
  // Step 1: the MANIFEST says which files make up the store.
  const m = readManifest(fs, dir);
  if (!m) {
    for (const name of names) {
      const p = parseName(name);
      if (p?.kind === 'data' && fs.fileSize(join(dir, name)) > 0) {
        throw corrupt(manifestPath(dir), 0, `the MANIFEST is missing, but data file ${name} is not empty`);
      }
    }
  }
  const sealed = new Map((m?.sealed ?? []).map((f) => [f.id, f]));
  const activeId = m?.active ?? 0;

  // Step 2: every sealed file is there, exactly as long as when it was sealed.
  for (const f of sealed.values()) {
    const path = join(dir, dataName(f.id));
    if (!fs.exists(path))
      throw corrupt(path, 0, `the sealed data file ${dataName(f.id)} the MANIFEST lists is missing`);
    const size = fs.fileSize(path);
    if (size !== f.size)
      throw corrupt(
        path,
        Math.min(size, f.size),
        `the sealed data file is ${size} bytes, but the MANIFEST says ${f.size}`,
      );
  }

  // Step 3: remove what the MANIFEST does not list (no directory sync: if a crash brings a
  // name back, the next open removes it again).
  const hasActive = activeId > 0 && fs.exists(join(dir, dataName(activeId)));
  const hints = new Set<number>();
  for (const name of names) {
    const p = parseName(name);
    const listed = p !== undefined && (sealed.has(p.id) || (p.kind === 'data' && p.id === activeId && hasActive));
    if (p && listed) {
      if (p.kind === 'hint') hints.add(p.id);
      continue;
    }
    if (!p && name !== MANIFEST_TMP) continue;
    fs.remove(join(dir, name));
    s.trace?.({ type: 'bitcask.recover.clean', file: name });
  }

  // Step 4: the sealed files, from their hints where possible.
  const tombs = new Map<string, number>();
  for (const sf of [...sealed.values()].sort((a, b) => a.id - b.id)) {
    const f = new DataFile(sf.id, dir, sf.size);
    f.hint = sf.hint;
    s.files.set(f.id, f);
    if (hints.has(f.id) && loadHint(s, f, tombs)) continue;
    scanFile(s, f, false, tombs);
  }
  // Step 5: the active file, which a crash may have torn.
  if (hasActive) {
    const f = new DataFile(activeId, dir, fs.fileSize(join(dir, dataName(activeId))));
    s.files.set(f.id, f);
    scanFile(s, f, true, tombs);
    s.active = f;
  }
  s.manifestActive = activeId;
  s.lastId = m?.lastId ?? 0;
  let maxSeq = 0;
  for (const e of s.keydir.entries()) if (e[1].seq > maxSeq) maxSeq = e[1].seq;
  for (const seq of tombs.values()) if (seq > maxSeq) maxSeq = seq;
  s.nextSeq = Math.max(s.nextSeq, maxSeq + 1);
  s.trace?.({
    type: 'bitcask.open',
    files: s.files.size,
    keys: s.keydir.size,
    nextSeq: s.nextSeq,
    ...(s.active ? { active: s.active.name } : {}),
  });
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

/** Reads a data file whole and replays its records; cuts a torn tail off the active file (`unsealed`). */
function scanFile(s: BitcaskState, f: DataFile, unsealed: boolean, tombs: Map<string, number>): void {
  const bytes = f.size > 0 ? f.file(s.fs).read(0, f.size) : new Uint8Array(0);
  let o = 0;
  let records = 0;
  let batch: DataRecord[] = [];
  let batchStart = 0;
  while (o < bytes.length) {
    const r = decodeRecord(bytes, o);
    if (r.kind !== 'ok') {
      const at = batch.length > 0 ? batchStart : o;
      if (unsealed && (r.kind === 'torn' || lostSector(bytes, o, r.size)))
        return cut(s, f, at, records, `${r.reason} at offset ${o}`);
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
    if (unsealed) return cut(s, f, batchStart, records, `a batch of ${batch.length}+ records that the crash cut short`);
    throw corrupt(f.path, batchStart, 'a batch that never closes, in a sealed file');
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
 * True when the bad record at `o` in the active file looks like an append the power cut
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

/** Cuts the active file at `at`, syncs the cut, and traces it. */
function cut(s: BitcaskState, f: DataFile, at: number, records: number, reason: string): void {
  const h = f.file(s.fs);
  h.truncate(at);
  h.sync();
  s.trace?.({ type: 'bitcask.recover.truncate', file: f.name, offset: at, dropped: f.size - at, reason });
  f.size = at;
  s.trace?.({ type: 'bitcask.recover.scan', file: f.name, records, bytes: at });
}
