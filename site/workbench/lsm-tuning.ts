/**
 * lsm-tuning.ts: the logic of <kv-lsm-tuner> (lsm-tuner-element.ts), no DOM. The reader turns
 * the LSM engine's settings (memtable size, L0 trigger, level multiplier, block size, bloom
 * bits, compaction strategy); the real engine runs one fixed workload on a memory disk under
 * them, and after each step of the workload its stats() and inspect() are recorded. Every
 * number the widget shows is a pure function of one recorded step (amplification()).
 *
 * The workload: load KEYS keys, then overwrite every one of them OVERWRITES times (deleting a
 * quarter in one round), each step ending with PROBE_GETS gets (half present keys, half
 * missing) whose table lookups and block reads are the measured read cost.
 */
import { openStore, type StoreOptions, type StoreStats } from '../../engines/browser.js';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import type { LsmInspect } from '../../engines/lsm/inspect.js';

/** The settings the reader turns. */
export interface LsmTuning {
  memtableBytes: number;
  l0CompactionTrigger: number;
  levelSizeMultiplier: number;
  blockBytes: number;
  bloomBitsPerKey: number;
}

/** Which strategies run: one, or both side by side on the same workload. */
export type StrategyChoice = 'both' | 'leveled' | 'tiered';

/** The knobs, with the choices each offers (small sizes, so a few hundred keys make many tables). */
export const KNOBS: { key: keyof LsmTuning; label: string; unit: string; choices: number[]; about: string }[] = [
  {
    key: 'memtableBytes',
    label: 'memtable',
    unit: 'B',
    choices: [256, 512, 1024, 2048, 4096],
    about: 'flushed to an SSTable at this size',
  },
  {
    key: 'l0CompactionTrigger',
    label: 'L0 trigger',
    unit: 'tables',
    choices: [2, 4, 8],
    about: 'leveled: L0 tables that start a compaction; tiered: runs of a size that merge',
  },
  {
    key: 'levelSizeMultiplier',
    label: 'level multiplier',
    unit: '×',
    choices: [2, 4, 10],
    about: 'leveled: each level this many times the one above',
  },
  {
    key: 'blockBytes',
    label: 'block size',
    unit: 'B',
    choices: [64, 128, 256, 512, 1024],
    about: 'the unit a get reads from a table',
  },
  {
    key: 'bloomBitsPerKey',
    label: 'bloom bits',
    unit: 'per key',
    choices: [1, 2, 5, 10, 16],
    about: 'more bits, fewer tables read for a missing key',
  },
];

/** The settings the widget opens with. */
export const DEFAULT_TUNING: LsmTuning = {
  memtableBytes: 1024,
  l0CompactionTrigger: 4,
  levelSizeMultiplier: 4,
  blockBytes: 256,
  bloomBitsPerKey: 10,
};

export const KEYS = 200;
export const OVERWRITES = 5;
export const PROBE_GETS = 40;
const VALUE_BYTES = 100;

/**
 * The engine options for a tuning and a strategy. Level 1 holds 4 memtables and compactions
 * cut tables at 2 (LevelDB's 10 MiB and 2 MiB next to its 4 MiB memtable, roughly); tiered
 * merges runs of a size once `l0CompactionTrigger` of them accumulate (its min_threshold).
 */
export function engineOptions(t: LsmTuning, compaction: 'leveled' | 'tiered'): Partial<StoreOptions> {
  return {
    compaction,
    memtableBytes: t.memtableBytes,
    blockBytes: t.blockBytes,
    bloomBitsPerKey: t.bloomBitsPerKey,
    l0CompactionTrigger: t.l0CompactionTrigger,
    levelSizeMultiplier: t.levelSizeMultiplier,
    level1Bytes: 4 * t.memtableBytes,
    targetFileBytes: 2 * t.memtableBytes,
    tieredMinThreshold: Math.max(2, t.l0CompactionTrigger),
  };
}

/** One table as the runs picture draws it. */
export interface TableBox {
  file: string;
  bytes: number;
  tombstones: number;
}

/** One recorded step: what the engine said right after it. */
export interface TunedStep {
  label: string;
  stats: StoreStats;
  /** Per level with tables: its tables (inspect().levels). */
  levels: { level: number; tables: TableBox[] }[];
  /** The probe gets of this step: how many, tables looked in (bloom checks), data blocks read. */
  probe: { gets: number; tables: number; blocks: number };
}

/** A recorded run of the workload under one strategy. */
export interface TunedRun {
  compaction: 'leveled' | 'tiered';
  options: Partial<StoreOptions>;
  steps: TunedStep[];
}

/** Key i of the workload. */
const key = (i: number): string => `key${String(i).padStart(3, '0')}`;

/** A deterministic shuffle of 0..n-1 (the order each step writes its keys in). */
function shuffled(n: number, seed: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Runs the workload under one strategy and records every step. */
export function runTuned(t: LsmTuning, compaction: 'leveled' | 'tiered'): TunedRun {
  const options = engineOptions(t, compaction);
  const db = openStore('lsm', { ...options, dir: '/tuner', fs: new MemoryFileSystem(), blockCacheBytes: 0 });
  const steps: TunedStep[] = [];
  const value = (i: number, round: number): string => `v${i}.${round}.`.padEnd(VALUE_BYTES, 'x');
  for (let round = 0; round <= OVERWRITES; round++) {
    // Step 1: the writes of this step.
    for (const i of shuffled(KEYS, round + 1)) {
      if (round === 3 && i % 4 === 0) db.delete(key(i));
      else db.put(key(i), value(i, round));
    }
    // Step 2: the probe gets, half of keys that exist, half of keys that never did.
    const before = db.stats().engineStats;
    for (let g = 0; g < PROBE_GETS; g++) db.get(g % 2 === 0 ? key((g * 37) % KEYS) : `nokey${g}`);
    const stats = db.stats();
    const e = stats.engineStats;
    const blocks = (s: Record<string, number>): number => (s.cacheHits ?? 0) + (s.cacheMisses ?? 0);
    // Step 3: the picture, right after.
    const inspect = db.inspect() as LsmInspect;
    steps.push({
      label:
        round === 0
          ? `load ${KEYS} keys`
          : `overwrite ${KEYS} keys (round ${round})${round === 3 ? ', deleting a quarter' : ''}`,
      stats,
      levels: inspect.levels
        .filter((l) => l.files.length > 0)
        .map((l) => ({
          level: l.level,
          tables: l.files.map((f) => ({ file: f.file, bytes: f.bytes, tombstones: f.tombstones })),
        })),
      probe: {
        gets: PROBE_GETS,
        tables: (e.bloomChecks ?? 0) - (before.bloomChecks ?? 0),
        blocks: blocks(e) - blocks(before),
      },
    });
  }
  db.close();
  return { compaction, options, steps };
}

/** What the widget shows for one step. */
export interface Amplification {
  /** Bytes written to disk per byte of keys and values put, since open (stats). */
  write: number;
  /** Tables a get may have to look in: each level-0 table, plus one per deeper level. */
  read: number;
  /** Measured over the step's probe gets: tables looked in (past the key-range check) per get. */
  readMeasured: number;
  /** Measured: data blocks read per get (a bloom "no" reads none). */
  blocksPerGet: number;
  /** Bytes on disk per byte of live keys and values (stats). */
  space: number;
  tables: number;
}

/** The amplifications of one recorded step, from its stats and its levels alone. */
export function amplification(step: TunedStep): Amplification {
  const s = step.stats;
  const l0 = step.levels.find((l) => l.level === 0)?.tables.length ?? 0;
  const deeper = step.levels.filter((l) => l.level > 0).length;
  return {
    write: s.engineStats.writeAmplification ?? 0,
    read: l0 + deeper,
    readMeasured: step.probe.gets ? step.probe.tables / step.probe.gets : 0,
    blocksPerGet: step.probe.gets ? step.probe.blocks / step.probe.gets : 0,
    space: s.liveBytes > 0 ? s.diskBytes / s.liveBytes : 0,
    tables: step.levels.reduce((n, l) => n + l.tables.length, 0),
  };
}

/** The strategies a choice runs. */
export function strategiesOf(choice: StrategyChoice): ('leveled' | 'tiered')[] {
  return choice === 'both' ? ['leveled', 'tiered'] : [choice];
}

/** A number as the widget prints it: two significant decimals, no trailing noise. */
export function ratio(x: number): string {
  return x >= 10 ? x.toFixed(1) : x.toFixed(2);
}
