/**
 * memory.ts: Bitcask's in-memory pane: the keydir, key -> (file, value offset, value size),
 * and which records of each data file it still points at (the rest are dead bytes).
 */
import type { EngineSnapshot } from '../../../../engines/browser.js';
import type { FieldSpan, MemoryPicture } from '../../adapter.js';

/** The keydir pane of a Bitcask inspect() picture. */
export function bitcaskMemory(s: EngineSnapshot): MemoryPicture {
  if (s.engine !== 'bitcask') throw new Error(`bitcask adapter given a ${s.engine} picture`);
  return {
    title: 'keydir (in memory)',
    columns: ['key', 'file', 'at', 'size'],
    // The file column shows the id part of the name (000001 for 000001.data), to stay narrow.
    rows: s.keydir.map((k) => ({
      id: k.key,
      cells: [k.file.replace(/\.data$/, ''), String(k.valueOffset), String(k.valueSize)],
      target: { file: k.file, offset: k.valueOffset, length: k.valueSize },
    })),
    total: s.keys,
    notes: [
      ['keys', String(s.keys)],
      ['active file', s.active ?? '—'],
      ['next seq', String(s.nextSeq)],
      ['merges', String(s.merge.merges)],
    ],
  };
}

/**
 * The records of data file `name` the keydir points at, by record number (the fields'
 * numbering), from the engine's own strip of that file; undefined when every record is live.
 */
export function bitcaskLiveRecords(
  name: string,
  fields: FieldSpan[],
  s: EngineSnapshot | null,
): Set<number> | undefined {
  if (!s || s.engine !== 'bitcask') return undefined;
  const file = s.dataFiles.find((f) => f.name === name);
  if (!file) return undefined;
  // The strip lists records by offset; the fields number them in file order.
  const liveAt = new Set(file.strip.filter((r) => r.live).map((r) => r.offset));
  const live = new Set<number>();
  const starts = new Map<number, number>();
  for (const f of fields) if (f.record !== undefined && !starts.has(f.record)) starts.set(f.record, f.offset);
  for (const [record, offset] of starts) if (liveAt.has(offset)) live.add(record);
  // Records past what the strip lists (it is cut at `shown`) are not known dead: keep them live.
  const lastShown = file.strip.at(-1);
  if (lastShown && file.records > file.strip.length)
    for (const [record, offset] of starts) if (offset > lastShown.offset) live.add(record);
  return live;
}
