/**
 * model.ts: the "At real sizes" tables, built from the committed bench/results/sizes.json
 * (written by `npm run sizes`, bench/sizes.ts). Plain data in, plain rows out, no DOM: the
 * Astro component prints the rows at build time, and test/site/sizes-model.test.ts checks them.
 */

/** What bench/sizes-child.ts reports for one get workload. */
export interface GetFigures {
  gets: number;
  readsPerGet: number;
  bytesReadPerGet: number;
  microsPerGet: number;
}

/** One engine at one size, as bench/sizes.ts writes it. */
export interface SizesRun {
  engine: string;
  keys: number;
  fill: { seconds: number; opsPerSec: number; memoryBytes: number; rssBytes: number };
  open: {
    openMs: number;
    files: number;
    diskBytes: number;
    liveBytes: number;
    memoryBytesAfterOpen: number;
    memoryBytesAfterGets: number;
    rssBaseBytes: number;
    rssAfterOpenBytes: number;
    rssAfterGetsBytes: number;
    present: GetFigures;
    missing: GetFigures;
    engineStats: Record<string, number>;
  };
}

/** The whole file. */
export interface SizesResults {
  schema: number;
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryBytes: number;
    platform: string;
    node: string;
    loadAverage?: number[];
  };
  options: { keyBytes: number; valueBytes: number; sizes: number[]; engines: string[]; gets: number };
  durationSeconds: number;
  runs: SizesRun[];
}

/** One printed row: an engine at a size. */
export interface SizesRow {
  engine: string;
  keys: number;
  /** What the engine has on disk, in its own terms (pages, tables per level, data files). */
  structure: string;
  /** stats().memoryBytes right after open: what the engine itself holds. */
  memoryAfterOpen: number;
  /** stats().memoryBytes after the random gets (caches filled). */
  memoryAfterGets: number;
  /** The engine's memory after the gets as a share of the key and value bytes it stores. */
  memoryShare: number;
  /** Growth of the process's resident set from before open to after the gets. */
  rssGrowth: number;
  diskBytes: number;
  liveBytes: number;
  readsPerGet: number;
  readsPerMissingGet: number;
  openMs: number;
}

/** Checks the shape of a sizes.json and returns it typed; a wrong schema fails the build with a message. */
export function readSizes(json: unknown): SizesResults {
  const r = json as Partial<SizesResults> | null;
  if (!r || typeof r !== 'object') throw new Error('sizes results: not an object');
  if (r.schema !== 1)
    throw new Error(`sizes results: schema ${String(r.schema)}, the page reads schema 1 (update site/sizes/)`);
  if (!Array.isArray(r.runs) || r.runs.length === 0) throw new Error('sizes results: no runs');
  if (!r.options || !Array.isArray(r.options.sizes)) throw new Error('sizes results: no options');
  return r as SizesResults;
}

/** The engine's on-disk structure at this size, from the counters its stats() reports. */
export function structureOf(run: SizesRun): string {
  const s = run.open.engineStats;
  const plural = (n: number, one: string, many = `${one}s`): string =>
    `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  switch (run.engine) {
    case 'snapshot':
      return plural(run.open.files, 'file');
    case 'bitcask':
      return `${plural(s.dataFiles ?? 0, 'data file')}, ${plural(s.hintFiles ?? 0, 'hint file')}`;
    case 'btree':
      return `height ${s.height ?? 0}: ${plural(s.pages ?? 0, 'page')} (${plural(s.branchPages ?? 0, 'branch', 'branches')}, ${plural(s.leafPages ?? 0, 'leaf', 'leaves')}, ${(s.freePages ?? 0).toLocaleString('en-US')} free)`;
    case 'lsm': {
      // Tables per level, the non-empty levels only, then what the memtable holds after replay.
      const levels: string[] = [];
      for (let l = 0; `level${l}Files` in s; l++)
        if ((s[`level${l}Files`] ?? 0) > 0) levels.push(`L${l}: ${s[`level${l}Files`]}`);
      const tables = levels.length > 0 ? `tables ${levels.join(', ')}` : 'no tables';
      return `${tables}; memtable ${plural(s.memtableEntries ?? 0, 'entry', 'entries')}`;
    }
    default:
      return plural(run.open.files, 'file');
  }
}

/** One row per run, in the file's order. */
export function sizesRows(r: SizesResults): SizesRow[] {
  return r.runs.map((run) => {
    const o = run.open;
    return {
      engine: run.engine,
      keys: run.keys,
      structure: structureOf(run),
      memoryAfterOpen: o.memoryBytesAfterOpen,
      memoryAfterGets: o.memoryBytesAfterGets,
      memoryShare: o.liveBytes > 0 ? o.memoryBytesAfterGets / o.liveBytes : 0,
      rssGrowth: o.rssAfterGetsBytes - o.rssBaseBytes,
      diskBytes: o.diskBytes,
      liveBytes: o.liveBytes,
      readsPerGet: o.present.readsPerGet,
      readsPerMissingGet: o.missing.readsPerGet,
      openMs: o.openMs,
    };
  });
}

/** The rows of one size, in the file's engine order. */
export function rowsAt(rows: SizesRow[], keys: number): SizesRow[] {
  return rows.filter((x) => x.keys === keys);
}

/** Bytes as a reader reads them: "980 B", "2.1 MB", "116 MB" (decimal units, as disk sizes are sold). */
export function formatBytes(n: number): string {
  const sign = n < 0 ? '−' : '';
  const a = Math.abs(n);
  if (a < 1000) return `${sign}${Math.round(a)} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = a / 1000;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${sign}${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[u]}`;
}

/** A share as a percentage with sensible precision: "0.01 %", "4.2 %", "183 %". */
export function formatShare(x: number): string {
  const p = x * 100;
  if (p === 0) return '0 %';
  if (p < 0.1) return `${p.toFixed(3)} %`;
  if (p < 10) return `${p.toFixed(1)} %`;
  return `${p.toFixed(0)} %`;
}

/** Milliseconds: "4.0 ms", "1,195 ms". */
export function formatMs(ms: number): string {
  return ms < 100 ? `${ms.toFixed(1)} ms` : `${Math.round(ms).toLocaleString('en-US')} ms`;
}

/** The figures a table can show, one per table: engines down, sizes across. */
export const METRICS = {
  structure: { title: 'On disk, in the engine’s own terms', cell: (r: SizesRow) => r.structure },
  memory: {
    title: 'Engine memory after open and 10,000 random gets (stats().memoryBytes)',
    cell: (r: SizesRow) => formatBytes(r.memoryAfterGets),
  },
  'memory-open': {
    title: 'Engine memory right after open (stats().memoryBytes)',
    cell: (r: SizesRow) => formatBytes(r.memoryAfterOpen),
  },
  share: {
    title: 'Engine memory as a share of the key and value bytes stored',
    cell: (r: SizesRow) => formatShare(r.memoryShare),
  },
  rss: {
    title: 'Growth of the process’s resident memory (RSS), open and gets',
    cell: (r: SizesRow) => formatBytes(r.rssGrowth),
  },
  disk: { title: 'Bytes on disk', cell: (r: SizesRow) => formatBytes(r.diskBytes) },
  reads: {
    title: 'File reads per random get: present key / missing key',
    cell: (r: SizesRow) => `${r.readsPerGet.toFixed(2)}\u2009/\u2009${r.readsPerMissingGet.toFixed(2)}`,
  },
  open: { title: 'Open time (recovery included)', cell: (r: SizesRow) => formatMs(r.openMs) },
} as const satisfies Record<string, { title: string; cell: (r: SizesRow) => string }>;

export type Metric = keyof typeof METRICS;

/** A table of one metric: a header of sizes and one line per engine, cells already formatted. */
export function metricTable(
  r: SizesResults,
  metric: Metric,
): { title: string; sizes: number[]; lines: { engine: string; cells: string[] }[] } {
  const rows = sizesRows(r);
  const sizes = [...new Set(rows.map((x) => x.keys))].sort((a, b) => a - b);
  const engines = [...new Set(rows.map((x) => x.engine))];
  const m = METRICS[metric];
  return {
    title: m.title,
    sizes,
    lines: engines.map((engine) => ({
      engine,
      cells: sizes.map((keys) => {
        const row = rows.find((x) => x.engine === engine && x.keys === keys);
        return row ? m.cell(row) : 'not run';
      }),
    })),
  };
}

/** One formatted figure, for a lesson sentence: `metric` of `engine` at `keys`; a missing run throws (the build fails). */
export function figureOf(r: SizesResults, metric: Metric, engine: string, keys: number): string {
  const row = sizesRows(r).find((x) => x.engine === engine && x.keys === keys);
  if (!row) throw new Error(`sizes results: no run of ${engine} at ${keys} keys`);
  return METRICS[metric].cell(row);
}

/** One line saying where and when the committed run was made, for the page. */
export function runLine(r: SizesResults): string {
  const m = r.machine;
  const load = m.loadAverage ? `, load average ${m.loadAverage[0]!.toFixed(1)} at the end` : '';
  return `Run of ${r.date.slice(0, 10)}: ${m.cpus} CPU${m.cpus === 1 ? '' : 's'} (${m.cpuModel}), ${formatBytes(m.memoryBytes)} of memory, ${m.platform}, Node ${m.node}${load}; ${Math.round(r.durationSeconds)} s in all.`;
}
