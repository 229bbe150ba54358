/**
 * check.ts: a full structural check of a closed bitcask directory, stricter than open:
 * the MANIFEST must be there (once any data file is) and check out; every file it lists
 * must be there at exactly its listed size (the active one, left only by a crash, at any
 * size); every record of every data file must decode with a good CRC (no torn tail, no
 * unfinished batch); every hint the MANIFEST promises must exist, and every hint file must
 * be valid for its data file and agree with it record by record; and nothing else of the
 * engine's may be in the directory (no unlisted data or hint file, no MANIFEST.tmp, no
 * merge marker). Tests and tools use it; open does not (open tolerates a torn tail in the
 * active file, falls back from a bad hint, and removes leftovers).
 */
import { corrupt } from '../errors.js';
import { equalBytes } from '../bytes.js';
import type { FileSystem } from '../storage/fs.js';
import { readWhole } from '../storage/fs.js';
import { join } from '../storage/path.js';
import {
  FLAG_BATCH_CONTINUES,
  FLAG_TOMBSTONE,
  MANIFEST_TMP,
  dataName,
  decodeHint,
  decodeRecord,
  hintName,
  parseMergeMarker,
  parseName,
} from './format.js';
import { manifestPath, readManifest } from './manifest.js';

/** Throws KV_CORRUPT naming file and offset at the first flaw; returns the number of records. */
export function checkBitcaskDir(fs: FileSystem, dir: string): number {
  const names = fs.list(dir);
  const m = readManifest(fs, dir);
  const sealed = new Map((m?.sealed ?? []).map((f) => [f.id, f]));
  const active = m?.active ?? 0;
  // Leftovers and files the MANIFEST does not account for.
  for (const name of names) {
    const path = join(dir, name);
    if (parseMergeMarker(name)) throw corrupt(path, 0, 'a merge marker left behind by a closed store');
    if (name === MANIFEST_TMP) throw corrupt(path, 0, 'a MANIFEST.tmp left behind by an interrupted MANIFEST write');
    const p = parseName(name);
    if (!p) continue;
    if (!m) throw corrupt(manifestPath(dir), 0, `the MANIFEST is missing, but ${name} is there`);
    if (!sealed.has(p.id) && !(p.kind === 'data' && p.id === active))
      throw corrupt(path, 0, `${name} is not listed in the MANIFEST`);
  }
  let records = 0;
  // The sealed files: present, exactly their size, every record whole, hints as promised.
  for (const f of sealed.values()) {
    const path = join(dir, dataName(f.id));
    if (!fs.exists(path)) throw corrupt(path, 0, 'a sealed data file the MANIFEST lists is missing');
    const size = fs.fileSize(path);
    if (size !== f.size)
      throw corrupt(
        path,
        Math.min(size, f.size),
        `the sealed data file is ${size} bytes, but the MANIFEST says ${f.size}`,
      );
    records += checkDataFile(fs, dir, f.id);
    if (f.hint && !fs.exists(join(dir, hintName(f.id))))
      throw corrupt(
        join(dir, hintName(f.id)),
        0,
        `the hint file the MANIFEST promises for ${dataName(f.id)} is missing`,
      );
  }
  // The active file, if a crash left one: its records must be whole too (open cuts a torn tail).
  if (active > 0 && fs.exists(join(dir, dataName(active)))) records += checkDataFile(fs, dir, active);
  return records;
}

/** Checks every record of a data file, and its hint file if there is one; returns the record count. */
function checkDataFile(fs: FileSystem, dir: string, id: number): number {
  const path = join(dir, dataName(id));
  const bytes = readWhole(fs, path);
  // Every record whole, every batch closed.
  let o = 0;
  let open = false;
  let records = 0;
  const at = new Map<number, { key: Uint8Array; seq: number; valueLength: number; tomb: boolean }>();
  while (o < bytes.length) {
    const r = decodeRecord(bytes, o);
    if (r.kind !== 'ok') throw corrupt(path, o, r.reason);
    at.set(o, {
      key: r.record.key,
      seq: r.record.seq,
      valueLength: r.record.value.length,
      tomb: (r.record.flags & FLAG_TOMBSTONE) !== 0,
    });
    open = (r.record.flags & FLAG_BATCH_CONTINUES) !== 0;
    o += r.record.size;
    records++;
  }
  if (open) throw corrupt(path, o, 'the file ends inside a batch');
  // A hint must describe exactly this file's records.
  const hintPath = join(dir, hintName(id));
  if (!fs.exists(hintPath)) return records;
  const h = decodeHint(readWhole(fs, hintPath), id, bytes.length);
  if ('invalid' in h) throw corrupt(hintPath, 0, h.invalid);
  if (h.entries.length !== at.size) throw corrupt(hintPath, 20, `${h.entries.length} entries for ${at.size} records`);
  for (const e of h.entries) {
    const rec = at.get(e.recordOffset);
    if (!rec || rec.tomb || rec.seq !== e.seq || rec.valueLength !== e.valueLength || !equalBytes(rec.key, e.key)) {
      throw corrupt(hintPath, 0, `an entry for offset ${e.recordOffset} does not match the record there`);
    }
  }
  return records;
}
