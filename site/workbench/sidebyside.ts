/**
 * sidebyside.ts: the logic of <kv-sidebyside> (sidebyside-element.ts), no DOM: one console
 * line runs on four Recorders (the workbench's own recording of the real engine on a memory
 * disk), and each engine's numbers are read from the frame of its last step: bytes written
 * and read, syncs, bytes on disk, the engine's memory estimate, live keys, what it keeps in
 * memory. The workload buttons' lines are here too: each Fill puts new keys.
 */
import type { EngineName } from '../../engines/browser.js';
import { Recorder, type OutputLine } from './recorder.js';
import { frameAt, type FrameCounters } from './frame.js';
import { formatBytes } from './panes.js';

export const ENGINES: EngineName[] = ['snapshot', 'bitcask', 'btree', 'lsm'];

/** What each engine keeps in memory, in words. */
export const KEEPS: Record<EngineName, string> = {
  snapshot: 'every key and every value (the whole dict)',
  bitcask: 'every key, with where its value is on disk (the keydir); no values',
  btree: 'a bounded cache of pages (here 8 of 512 B); the rest of the tree is on disk',
  lsm: 'recent writes (the memtable), plus each table’s index and bloom filter',
};

/** The value size the workloads use: realistic values, so keys and values weigh as they do in a real store. */
export const VALUE_BYTES = 100;

/** What the widget runs at load: 100 keys key001..key100 with 100-byte values, synced. */
export const START = [`fill 100 key ${VALUE_BYTES}`, 'sync'];

/**
 * Workloads offered as buttons: console lines for the nth press (from 1). Each Fill puts 100
 * new keys (a fresh prefix each time), so the stores grow; Overwrite rewrites keys that exist.
 */
export const WORKLOADS: { name: string; title: string; lines: (n: number) => string[] }[] = [
  { name: 'fill', title: 'Fill 100 new keys, sync', lines: (n) => [`fill 100 new${n}- ${VALUE_BYTES}`, 'sync'] },
  { name: 'overwrite', title: 'Overwrite 50 keys, sync', lines: () => [`fill 50 key ${VALUE_BYTES}`, 'sync'] },
  {
    name: 'reads',
    title: 'Read 10 keys',
    lines: () => [
      'get key005',
      'get key017',
      'get key033',
      'get key050',
      'get key071',
      'get key090',
      'get key099',
      'get nothing',
      'get key005',
      'get key017',
    ],
  },
  { name: 'scan', title: 'Scan 20 keys', lines: () => ['scan key040 key060'] },
  { name: 'crash', title: 'Crash and reopen', lines: () => ['put unsynced 1', 'crash', 'reopen'] },
  { name: 'compact', title: 'Compact', lines: () => ['compact'] },
];

/** The numbers compared. */
export const METRICS: { key: keyof FrameCounters | 'memory'; label: string }[] = [
  { key: 'bytesWritten', label: 'bytes written' },
  { key: 'bytesRead', label: 'bytes read' },
  { key: 'syncs', label: 'syncs (fsync calls)' },
  { key: 'diskBytes', label: 'bytes on disk now' },
  { key: 'memory', label: 'bytes in memory now (engine’s estimate)' },
];

/** One engine's numbers now. */
export interface EngineNow {
  engine: EngineName;
  counters: FrameCounters | null;
  memory: number;
  keys: number | null;
  /** The in-memory structure's title and size. */
  structure: string;
  files: string[];
  /** What the last command printed. */
  last: OutputLine[];
}

/** Runs `line` on every recorder; returns each engine's state after it. */
export function runAll(recs: Recorder[], line: string): EngineNow[] {
  const last = recs.map((r) => r.run(line).flatMap((c) => c.output.slice(1)));
  return recs.map((r, i) => now(r, last[i]!));
}

/** The state of one recorder at its last step. */
export function now(rec: Recorder, last: OutputLine[] = []): EngineNow {
  const f = rec.steps.length ? frameAt(rec, rec.steps.length - 1) : null;
  const mem = f?.memory ?? null;
  return {
    engine: rec.engine,
    counters: f ? f.counters : null,
    memory: f?.counters.memoryBytes ?? 0,
    keys: f?.counters.liveKeys ?? null,
    structure: mem
      ? `${mem.title.replace(/ \(in memory.*\)$/, '')}: ${mem.total} entr${mem.total === 1 ? 'y' : 'ies'}`
      : f?.state === 'crashed'
        ? 'nothing: the process died'
        : 'nothing: closed',
    files: f ? f.disk.files.map((x) => `${x.name} ${formatBytes(x.bytes.length)}`) : [],
    last,
  };
}
