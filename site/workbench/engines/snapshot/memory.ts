/**
 * memory.ts: the snapshot engine's in-memory pane: the dict, key -> value, in key order, and
 * how many writes a crash would lose now (the ones since the last save).
 */
import type { EngineSnapshot } from '../../../../engines/browser.js';
import type { MemoryPicture } from '../../adapter.js';

/** The dict pane of a snapshot inspect() picture. */
export function snapshotMemory(s: EngineSnapshot): MemoryPicture {
  if (s.engine !== 'snapshot') throw new Error(`snapshot adapter given a ${s.engine} picture`);
  return {
    title: 'dict (in memory)',
    columns: ['key', 'value'],
    rows: s.dict.map((e) => ({ id: e.key, cells: [e.value] })),
    total: s.keys,
    notes: [
      ['keys', String(s.keys)],
      ['unsaved writes', String(s.unsaved)],
      ['saves', String(s.saves)],
    ],
  };
}
