/**
 * structure.ts: the model of the LSM picture at one step (render/levels.ts draws it). No DOM.
 *
 * The memtable, the frozen memtable and the live tables come from the engine's inspect() at
 * this step; the bloom counters from its stats(); the logs and manifests from the disk at
 * this step; and what a get, scan, flush or compaction did to each table from the events of
 * this step's command up to it.
 */
import type { LsmEvent } from '../../../../engines/lsm/events.js';
import type { LsmInspect } from '../../../../engines/lsm/inspect.js';
import { CURRENT, parseName } from '../../../../engines/lsm/format.js';
import type { MemoryRow, StepView } from '../../adapter.js';
import type { StoreState } from '../../step.js';
import { describeLsm } from './captions.js';
import { memRow } from './memory.js';
import { lsmFileFields } from './fields.js';
import { bloomProbe, probeText } from './bloom-bits.js';

/** One live table as the view draws it. */
export interface TableView {
  file: string;
  level: number;
  entries: number;
  bytes: number;
  smallest: string;
  largest: string;
}

/** What a table is doing at this step. */
export type TableMark = 'new' | 'input' | 'skip' | 'bloom-no' | 'bloom-maybe' | 'read' | 'found';

/** The structure view's model at one step. */
export interface LsmStructure {
  state: StoreState;
  memtable: { rows: MemoryRow[]; bytes: number; limit: number; log: string } | null;
  immutable: MemoryRow[] | null;
  tables: TableView[];
  marks: Map<string, { mark: TableMark; text: string }>;
  /** The memtable row this step is about. */
  focus: string | undefined;
  /** Logs and manifest on disk now: size and unsynced bytes. */
  logs: { name: string; size: number; unsynced: number }[];
  manifest: { name: string; size: number; current: boolean }[];
  /** What the command's get or scan did, in order, as short phrases. */
  path: string[];
  caption: string | undefined;
  /** The engine's bloom counters since open: filters asked, how often they said no, and false positives. */
  bloom: { checks: number; no: number; falsePositives: number };
  /** The engine's block cache since open: hits, misses and the bytes it holds. */
  cache: { hits: number; misses: number; bytes: number };
  /** True under size-tiered compaction: every L0 table is a sorted run, flushed or merged. */
  tiered: boolean;
}

/** The marks and the path of the command so far. */
function marksOf(
  events: readonly StepView['event'][],
  isScan: boolean,
): { marks: LsmStructure['marks']; path: string[]; focus: string | undefined } {
  const marks = new Map<string, { mark: TableMark; text: string }>();
  const path: string[] = [];
  let focus: string | undefined;
  for (const ev of events) {
    const e = ev as LsmEvent;
    switch (e.type) {
      case 'lsm.memtable.insert':
        focus = e.key;
        break;
      case 'lsm.get.memtable':
        focus = e.key;
        path.push(`${e.which === 'immutable' ? 'frozen memtable' : 'memtable'}: ${e.found === 'no' ? 'no' : e.found}`);
        break;
      case 'lsm.get.skip':
        marks.set(e.file, { mark: 'skip', text: 'skipped: key out of range' });
        path.push(`${e.file} skipped (range)`);
        break;
      case 'lsm.bloom':
        marks.set(e.file, {
          mark: e.answer === 'no' ? 'bloom-no' : 'bloom-maybe',
          text: `bloom filter: ${e.answer.toUpperCase()}`,
        });
        path.push(`${e.file} bloom: ${e.answer}`);
        break;
      case 'lsm.block.read':
        if (marks.get(e.file)?.mark !== 'input')
          marks.set(e.file, { mark: 'read', text: `block @${e.offset} ${e.cache === 'hit' ? 'cached' : 'read'}` });
        if (isScan) path.push(`${e.file} block @${e.offset}`);
        break;
      case 'lsm.get.found':
        if (e.falsePositive) {
          if (e.file) marks.set(e.file, { mark: 'bloom-maybe', text: 'filter said maybe: a false positive' });
          path.push(`${e.file} false positive`);
          break;
        }
        if (e.file) marks.set(e.file, { mark: 'found', text: `found: ${e.result}` });
        // The memtable's own answer is already on the path; a table's is added here.
        if (e.source === 'none') path.push('absent');
        else if (e.file) path.push(`${e.result} in ${e.file}`);
        break;
      case 'lsm.compaction.pick':
        for (const f of [...e.inputs, ...e.overlapping]) marks.set(f, { mark: 'input', text: 'compaction input' });
        break;
      case 'lsm.table.written':
        marks.set(e.file, { mark: 'new', text: 'new table' });
        break;
    }
  }
  return { marks, path, focus };
}

/** For a bloom check: the bits the key lands on in that table's filter, from the table's bytes at this step. */
function bloomClause(view: StepView): string {
  const e = view.event as LsmEvent;
  if (e.type !== 'lsm.bloom') return '';
  const f = view.disk.files.find((x) => x.name === e.file);
  const p = f && bloomProbe(lsmFileFields(f.name, f.bytes), f.bytes, e.key);
  return p ? ` (${probeText(e.key, p)})` : '';
}

/** The structure at one step. */
export function lsmStructure(view: StepView): LsmStructure {
  const pic = view.inspect?.engine === 'lsm' ? (view.inspect as LsmInspect) : undefined;
  const { marks, path, focus } = marksOf(view.commandEvents, view.commandText.startsWith('scan'));
  const logs: LsmStructure['logs'] = [];
  const manifest: LsmStructure['manifest'] = [];
  const current = view.disk.files.find((f) => f.name === CURRENT);
  // The manifest CURRENT names, as the engine's describer reads it.
  const currentName = current
    ? (lsmFileFields(CURRENT, current.bytes).find((f) => f.name === 'manifestName')?.text ?? '').replace(/^"|"$/g, '')
    : '';
  for (const f of view.disk.files) {
    const k = parseName(f.name)?.kind;
    if (k === 'log')
      logs.push({ name: f.name, size: f.bytes.length, unsynced: f.unsynced.reduce((n, [a, b]) => n + b - a, 0) });
    if (k === 'manifest') manifest.push({ name: f.name, size: f.bytes.length, current: f.name === currentName });
  }
  const open = view.state === 'open' && pic !== undefined;
  const es = view.stats?.engineStats as Record<string, number> | undefined;
  const ev = view.event;
  return {
    state: view.state,
    memtable: open
      ? {
          rows: pic.memtable.list.map((e) => memRow(e)),
          bytes: pic.memtable.bytes,
          limit: pic.memtable.limit,
          log: pic.memtable.log,
        }
      : null,
    immutable: open && pic.immutable ? pic.immutable.list.map((e) => memRow(e)) : null,
    tables: open
      ? pic.levels.flatMap((l) =>
          l.files.map((f) => ({
            file: f.file,
            level: l.level,
            entries: f.entries,
            bytes: f.bytes,
            smallest: f.smallest,
            largest: f.largest,
          })),
        )
      : [],
    marks,
    focus,
    logs,
    manifest,
    path,
    caption: ev.type.startsWith('lsm.')
      ? describeLsm(ev as Parameters<typeof describeLsm>[0]) + bloomClause(view)
      : undefined,
    bloom: { checks: es?.bloomChecks ?? 0, no: es?.bloomUseful ?? 0, falsePositives: es?.bloomFalsePositives ?? 0 },
    cache: { hits: es?.cacheHits ?? 0, misses: es?.cacheMisses ?? 0, bytes: es?.cacheBytes ?? 0 },
    tiered: pic?.settings.compaction === 'tiered',
  };
}
