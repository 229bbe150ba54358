/**
 * generic.ts: the workbench adapter for an engine it knows nothing about (a learner's, from
 * yours/): the memory pane lists the engine's own inspect() picture field by field, the files
 * pane and hex view use the engine's layout describer when it registered one (else raw bytes),
 * and the scenarios use only the contract. Console, timeline, counters and the crash lab need
 * nothing engine-specific, so they work as they do for the reference engines.
 */
import type { EngineName, EngineSnapshot, StoreStats, TraceEvent } from '../../../engines/browser.js';
import type { EngineAdapter, MemoryPicture, MemoryRow, Scenario } from '../adapter.js';
import { engineFields } from '../fields.js';

/** Rows shown per array in the picture, so a big keydir stays readable. */
const MAX_ROWS = 60;

/** A JSON value as one short cell. */
function cell(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 79)}…` : s;
}

/** The memory pane for any inspect() picture: one row per field, one per element of an array field. */
export function genericMemory(snapshot: EngineSnapshot, stats: StoreStats | null): MemoryPicture {
  const rows: MemoryRow[] = [];
  let total = 0;
  for (const [field, value] of Object.entries(snapshot as unknown as Record<string, unknown>)) {
    if (field === 'engine') continue;
    if (Array.isArray(value)) {
      total += value.length;
      value.slice(0, MAX_ROWS).forEach((v, i) => rows.push({ id: `${field}[${i}]`, cells: [cell(v)], group: field }));
    } else {
      total++;
      rows.push({ id: field, cells: [cell(value)] });
    }
  }
  const notes: [string, string][] = stats
    ? [
        ['live keys', String(stats.liveKeys)],
        ['memory bytes (est.)', String(stats.memoryBytes)],
      ]
    : [];
  return { title: 'inspect()', columns: ['field', 'value'], rows, total, notes };
}

/** The key an op event is about, to highlight its row. */
function focus(event: TraceEvent): string | undefined {
  return event.type === 'op' && 'key' in event ? event.key : undefined;
}

/** Scenarios any engine runs: the contract's operations, a crash and a compaction. */
const SCENARIOS: readonly Scenario[] = [
  {
    name: 'fill',
    title: 'Fill 20 keys',
    about: 'Twenty puts and a sync: watch which files grow.',
    commands: ['fill 20', 'sync'],
  },
  {
    name: 'overwrite',
    title: 'Overwrite one key 8 times',
    about: 'Does an overwrite append, or change bytes in place?',
    commands: ['put counter 0', ...Array.from({ length: 8 }, (_, i) => `put counter ${i + 1}`), 'sync'],
  },
  {
    name: 'crash',
    title: 'Crash before a sync',
    about: 'Writes after the last sync may be lost; the synced ones must survive.',
    commands: ['put a 1', 'sync', 'put b 2', 'crash', 'reopen', 'scan'],
  },
  {
    name: 'compact',
    title: 'Compact',
    about: 'Deletes and overwrites, then compact(): what does your engine reclaim?',
    commands: ['fill 12', 'delete key003', 'put key004 new', 'compact', 'scan'],
  },
];

/** An adapter for the registered engine `engine`, drawing only what the contract offers. */
export function genericAdapter(engine: string): EngineAdapter {
  const name = engine as EngineName;
  return {
    engine: name,
    defaultOptions: {},
    memory: genericMemory,
    focusKey: focus,
    fileFields: (file, bytes) => engineFields(name, file, bytes),
    fileRole: () => 'file',
    describe: () => undefined,
    scenarios: SCENARIOS,
  };
}
