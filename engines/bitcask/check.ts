/**
 * check.ts: a full structural check of a closed bitcask directory, stricter than open:
 * every record of every data file must decode with a good CRC (no torn tail, no unfinished
 * batch), every hint file must be valid for its data file and agree with it record by
 * record, and no merge marker may be left. Tests and tools use it; open
 * does not (open tolerates a torn tail and falls back from a bad hint).
 */
import { corrupt } from '../errors.js';
import { equalBytes } from '../bytes.js';
import type { FileSystem } from '../storage/fs.js';
import { readWhole } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { FLAG_BATCH_CONTINUES, FLAG_TOMBSTONE, dataName, decodeHint, decodeRecord, parseMergeMarker, parseName } from './format.js';

/** Throws KV_CORRUPT naming file and offset at the first flaw; returns the number of records. */
export function checkBitcaskDir(fs: FileSystem, dir: string): number {
  let records = 0;
  for (const name of fs.list(dir)) {
    if (parseMergeMarker(name)) throw corrupt(join(dir, name), 0, 'a merge marker left behind by a closed store');
    const p = parseName(name);
    if (!p) continue;
    const path = join(dir, name);
    if (p.kind === 'hint') {
      if (!fs.exists(join(dir, dataName(p.id)))) throw corrupt(path, 0, 'a hint file without its data file');
      continue;
    }
    const bytes = readWhole(fs, path);
    // Every record whole, every batch closed.
    let o = 0;
    let open = false;
    const at = new Map<number, { key: Uint8Array; seq: number; valueLength: number; tomb: boolean }>();
    while (o < bytes.length) {
      const r = decodeRecord(bytes, o);
      if (r.kind !== 'ok') throw corrupt(path, o, r.reason);
      at.set(o, { key: r.record.key, seq: r.record.seq, valueLength: r.record.value.length, tomb: (r.record.flags & FLAG_TOMBSTONE) !== 0 });
      open = (r.record.flags & FLAG_BATCH_CONTINUES) !== 0;
      o += r.record.size;
      records++;
    }
    if (open) throw corrupt(path, o, 'the file ends inside a batch');
    // A hint must describe exactly this file's records.
    const hintPath = path.replace(/\.data$/, '.hint');
    if (!fs.exists(hintPath)) continue;
    const h = decodeHint(readWhole(fs, hintPath), p.id, bytes.length);
    if ('invalid' in h) throw corrupt(hintPath, 0, h.invalid);
    if (h.entries.length !== at.size) throw corrupt(hintPath, 20, `${h.entries.length} entries for ${at.size} records`);
    for (const e of h.entries) {
      const rec = at.get(e.recordOffset);
      if (!rec || rec.tomb || rec.seq !== e.seq || rec.valueLength !== e.valueLength || !equalBytes(rec.key, e.key)) {
        throw corrupt(hintPath, 0, `an entry for offset ${e.recordOffset} does not match the record there`);
      }
    }
  }
  return records;
}
