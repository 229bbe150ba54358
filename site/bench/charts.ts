/**
 * charts.ts: the chart models of the Benchmarks lesson, plain data with no DOM: which groups,
 * which bars, what each value and label is, and which scale. The page builds them at build
 * time from the committed results and hands them to the d3 renderer (render.ts) as JSON.
 *
 * A model is a grouped horizontal bar chart: groups (a workload, a metric or a subject), each
 * with one bar per series (a subject: our engines, the native peers, the limits, or a
 * latency percentile of one subject). A bar whose figure is missing keeps its place and says
 * why (`n/a`: the subject cannot do it; `failed`: the workload failed; `missing`: not in this
 * run), so a failed workload shows as a gap with its reason, not as a silently short chart.
 */
import type { BenchResults, WorkloadResult } from './results.js';
import { formatBytes, formatCount, formatMs, formatNs, formatRatio } from './format.js';
import { scaleFor, type ScaleSpec } from './scale.js';

/** A subject's role in the run (bench/adapter.ts SubjectKind). */
export type Kind = 'engine' | 'peer' | 'limit';

/** One bar, or the gap where a bar would be. */
export interface Bar {
  /** The series key (a subject name; for latency charts `subject:percentile`). */
  series: string;
  /** The subject it belongs to (for colour and for the tests). */
  subject: string;
  kind: Kind;
  /** The bar's label beside it (the subject, or a percentile). */
  label: string;
  /** null when there is no figure; 0 is a real figure (drawn as a mark at the axis on a log scale). */
  value: number | null;
  status: 'ok' | 'n/a' | 'failed' | 'missing';
  /** The value as printed beside the bar ("48.2k", "15 µs"), or the reason it is missing. */
  text: string;
  /** A longer line for the bar's tooltip. */
  detail: string;
  /** The time cap stopped the workload (the figure covers the ops it did). */
  capped?: boolean;
}

/** A group of bars under one heading. */
export interface Group {
  key: string;
  label: string;
  bars: Bar[];
}

/** A legend entry: one subject present in the chart. */
export interface LegendEntry {
  subject: string;
  kind: Kind;
  label: string;
}

/** A whole chart. */
export interface ChartModel {
  id: string;
  title: string;
  /** One sentence for screen readers: what is on which axis. */
  description: string;
  /** The axis label, with the scale named ("ops/s, log scale"). */
  axis: string;
  scale: ScaleSpec;
  /** How tick values print. */
  format: ValueFormat;
  /** Bigger is better (throughput) or smaller is better (latency, amplification). */
  better: 'higher' | 'lower';
  groups: Group[];
  legend: LegendEntry[];
  /** Lines under the chart: failed workloads with their reasons, capped workloads. */
  notes: string[];
}

/** How a chart's numbers print (a name, so the model stays plain JSON). */
export type ValueFormat = 'count' | 'ns' | 'ms' | 'bytes' | 'ratio';

/** Formats `v` as the chart's numbers print. */
export function formatValue(format: ValueFormat, v: number): string {
  switch (format) {
    case 'count':
      return formatCount(v);
    case 'ns':
      return formatNs(v);
    case 'ms':
      return formatMs(v);
    case 'bytes':
      return formatBytes(v);
    case 'ratio':
      return formatRatio(v);
  }
}

/** Display names of the subjects the harness knows; others print as their name. */
export const SUBJECT_LABELS: Record<string, string> = {
  snapshot: 'snapshot',
  bitcask: 'Bitcask',
  btree: 'B+tree',
  lsm: 'LSM tree',
  'classic-level': 'LevelDB (classic-level)',
  lmdb: 'LMDB (lmdb)',
  'limit-map': 'limit: JS Map',
  'limit-append': 'limit: buffered append',
};

/** Short names for bar labels on a phone. */
export const SUBJECT_SHORT: Record<string, string> = {
  snapshot: 'snapshot',
  bitcask: 'Bitcask',
  btree: 'B+tree',
  lsm: 'LSM',
  'classic-level': 'LevelDB',
  lmdb: 'LMDB',
  'limit-map': 'Map',
  'limit-append': 'append',
};

/** Workload headings. */
export const WORKLOAD_LABELS: Record<string, string> = {
  fillseq: 'fill, keys in order',
  fillrandom: 'fill, keys in random order',
  overwrite: 'overwrite random keys',
  readrandom: 'get present keys',
  readmissing: 'get missing keys',
  readseq: 'full scan (pairs/s)',
  seekrandom: 'short scans (seek + 10 nexts)',
  'ycsb-a': 'YCSB A: 50% get, 50% update',
  'ycsb-b': 'YCSB B: 95% get, 5% update',
  'ycsb-c': 'YCSB C: get only',
  'ycsb-e': 'YCSB E: short scans, 5% inserts',
  deleterandom: 'delete half the keys',
  fillbatch: 'fill in batches of 1,000 (items/s)',
  reopen: 'reopen after a crash',
};

/** The subjects of a run that loaded, in report order (skipped and failed subjects have no figures). */
export function subjectsOf(r: BenchResults): LegendEntry[] {
  return r.subjects
    .filter((s) => s.status === 'ok')
    .map((s) => ({ subject: s.name, kind: s.kind as Kind, label: SUBJECT_LABELS[s.name] ?? s.name }));
}

/** Subjects that did not load, with why (for a note under every chart). */
function absentNotes(r: BenchResults): string[] {
  return r.subjects
    .filter((s) => s.status !== 'ok')
    .map((s) => `${SUBJECT_LABELS[s.name] ?? s.name}: ${s.status}${s.reason ? ` (${s.reason})` : ''}.`);
}

/** A bar from a result and a figure picked from it; missing results and figures become gaps. */
function barFrom(
  subject: LegendEntry,
  res: WorkloadResult | undefined,
  pick: (x: WorkloadResult) => number | null | undefined,
  format: ValueFormat,
  series = subject.subject,
  label = SUBJECT_SHORT[subject.subject] ?? subject.subject,
): Bar {
  const base = { series, subject: subject.subject, kind: subject.kind, label };
  if (!res)
    return { ...base, value: null, status: 'missing', text: 'not run', detail: `${subject.label}: not in this run` };
  if (res.status !== 'ok') {
    const status = res.status === 'failed' ? 'failed' : 'n/a';
    return {
      ...base,
      value: null,
      status,
      text: status === 'failed' ? 'failed' : 'n/a',
      detail: `${subject.label}: ${res.reason ?? status}`,
    };
  }
  const v = pick(res);
  if (v === null || v === undefined || !Number.isFinite(v))
    return { ...base, value: null, status: 'n/a', text: 'n/a', detail: `${subject.label}: no figure for this` };
  const text = formatValue(format, v);
  return {
    ...base,
    value: v,
    status: 'ok',
    text: res.capped ? `${text}*` : text,
    detail: `${subject.label}: ${text}${res.capped ? ' (stopped at the time cap)' : ''}`,
    ...(res.capped ? { capped: true } : {}),
  };
}

/** Notes for the failed results among `workloads`, and the capped ones. */
function resultNotes(r: BenchResults, workloads: string[], subjects: LegendEntry[]): string[] {
  const names = new Set(subjects.map((s) => s.subject));
  const mine = r.results.filter((x) => workloads.includes(x.workload) && names.has(x.subject));
  const notes = mine
    .filter((x) => x.status === 'failed')
    .map((x) => `${SUBJECT_LABELS[x.subject] ?? x.subject} failed ${x.workload}: ${x.reason ?? 'no reason given'}.`);
  if (mine.some((x) => x.capped))
    notes.push(`* stopped at the ${r.options.capSeconds} s time cap: the figure covers the ops done by then.`);
  return [...notes, ...absentNotes(r)];
}

/** The values of all bars, for the scale. */
function valuesOf(groups: Group[]): number[] {
  return groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v): v is number => v !== null);
}

/**
 * Leaves out the limits with no figure anywhere in a chart (the append limit cannot read; the
 * Map writes no files): a ceiling that does not apply is noise, not a gap. Engines and peers
 * always keep their place, so their failures and n/a stay visible.
 */
function dropEmptyLimits(subjects: LegendEntry[], all: Group[]): { shown: LegendEntry[]; groups: Group[] } {
  const shown = subjects.filter(
    (s) => s.kind !== 'limit' || all.some((g) => g.bars.some((b) => b.subject === s.subject && b.value !== null)),
  );
  const groups = all.map((g) => ({ ...g, bars: g.bars.filter((b) => shown.some((s) => s.subject === b.subject)) }));
  return { shown, groups };
}

/** Axis label with the scale named. */
function axisLabel(unit: string, scale: ScaleSpec): string {
  return `${unit}, ${scale.type === 'log' ? 'log scale' : 'linear scale'}`;
}

/** Throughput of `workloads`, one group per workload, one bar per subject. */
export function throughputChart(r: BenchResults, id: string, title: string, workloads: string[]): ChartModel {
  const subjects = subjectsOf(r);
  const present = workloads.filter((w) => r.results.some((x) => x.workload === w));
  const all = present.map((w) => ({
    key: w,
    label: WORKLOAD_LABELS[w] ?? w,
    bars: subjects.map((s) =>
      barFrom(
        s,
        r.results.find((x) => x.subject === s.subject && x.workload === w),
        (x) => x.opsPerSec,
        'count',
      ),
    ),
  }));
  const { shown, groups } = dropEmptyLimits(subjects, all);
  const scale = scaleFor(valuesOf(groups));
  return {
    id,
    title,
    description: `Operations per second for each workload (${present.join(', ')}), one bar per engine, peer and limit; longer is faster.`,
    axis: axisLabel('operations per second', scale),
    scale,
    format: 'count',
    better: 'higher',
    groups,
    legend: shown,
    notes: resultNotes(r, present, shown),
  };
}

/** The three latency percentiles of one workload, one group per subject. */
export function latencyChart(r: BenchResults, id: string, workload: string): ChartModel {
  const subjects = subjectsOf(r);
  const pcts = [
    ['p50', (x: WorkloadResult) => x.latency?.p50Ns],
    ['p99', (x: WorkloadResult) => x.latency?.p99Ns],
    ['p99.9', (x: WorkloadResult) => x.latency?.p999Ns],
  ] as const;
  const all = subjects.map((s) => {
    const res = r.results.find((x) => x.subject === s.subject && x.workload === workload);
    return {
      key: s.subject,
      label: s.label,
      bars: pcts.map(([p, pick]) => barFrom(s, res, pick, 'ns', `${s.subject}:${p}`, p)),
    };
  });
  // A limit that cannot do this workload has no group (an engine or peer keeps its gap).
  const shown = subjects.filter(
    (s) => s.kind !== 'limit' || all.some((g) => g.key === s.subject && g.bars.some((b) => b.value !== null)),
  );
  const groups = all.filter((g) => shown.some((s) => s.subject === g.key));
  const scale = scaleFor(valuesOf(groups));
  return {
    id,
    title: `Latency of one call: ${WORKLOAD_LABELS[workload] ?? workload}`,
    description: `The median (p50), 99th and 99.9th percentile time of one call in the ${workload} workload, one group per engine, peer and limit; shorter is faster.`,
    axis: axisLabel('time per call', scale),
    scale,
    format: 'ns',
    better: 'lower',
    groups,
    legend: shown,
    notes: resultNotes(r, [workload], shown),
  };
}

/** One figure of several workloads: one group per workload, one bar per subject. */
function metricChart(
  r: BenchResults,
  spec: {
    id: string;
    title: string;
    description: string;
    unit: string;
    workloads: string[];
    pick: (x: WorkloadResult) => number | null | undefined;
    format: ValueFormat;
    force?: 'linear' | 'log';
    kinds?: Kind[];
  },
): ChartModel {
  const subjects = subjectsOf(r).filter((s) => !spec.kinds || spec.kinds.includes(s.kind));
  const present = spec.workloads.filter((w) => r.results.some((x) => x.workload === w));
  const all = present.map((w) => ({
    key: w,
    label: WORKLOAD_LABELS[w] ?? w,
    bars: subjects.map((s) =>
      barFrom(
        s,
        r.results.find((x) => x.subject === s.subject && x.workload === w),
        spec.pick,
        spec.format,
      ),
    ),
  }));
  const { shown, groups } = dropEmptyLimits(subjects, all);
  const scale = scaleFor(valuesOf(groups), spec.force);
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    axis: axisLabel(spec.unit, scale),
    scale,
    format: spec.format,
    better: 'lower',
    groups,
    legend: shown,
    notes: resultNotes(r, present, shown),
  };
}

/** Write amplification: bytes written to files per byte the user wrote. */
export function writeAmpChart(r: BenchResults): ChartModel {
  return metricChart(r, {
    id: 'write-amp',
    title: 'Write amplification: bytes written per byte put',
    description:
      'Bytes each subject wrote to its files divided by the key and value bytes written by the workload, for each writing workload; 1 means every byte was written once.',
    unit: 'bytes written ÷ bytes put',
    workloads: ['fillseq', 'fillrandom', 'overwrite', 'deleterandom', 'fillbatch'],
    pick: (x) => x.writeAmp,
    format: 'ratio',
    kinds: ['engine', 'peer', 'limit'],
  });
}

/** Read amplification: bytes read from files per get. */
export function readAmpChart(r: BenchResults): ChartModel {
  return metricChart(r, {
    id: 'read-amp',
    title: 'Read amplification: bytes read per get',
    description:
      'Bytes each subject read from its files divided by the gets it served, for present keys, missing keys and a zipfian mix; 0 means the get read nothing from disk.',
    unit: 'bytes read per get',
    workloads: ['readrandom', 'readmissing', 'ycsb-c'],
    pick: (x) => x.readBytesPerGet,
    format: 'bytes',
    kinds: ['engine', 'peer'],
  });
}

/** Space amplification: file bytes per live byte, after writing workloads. */
export function spaceAmpChart(r: BenchResults): ChartModel {
  return metricChart(r, {
    id: 'space-amp',
    title: 'Space amplification: bytes on disk per live byte',
    description:
      'The size of each subject’s files divided by the key and value bytes still present, after a fill, after overwrites and after deleting half the keys; 1 means no waste.',
    unit: 'disk bytes ÷ live bytes',
    workloads: ['fillrandom', 'overwrite', 'deleterandom'],
    pick: (x) => x.spaceAmp,
    format: 'ratio',
    force: 'linear',
    kinds: ['engine', 'peer'],
  });
}

/** Peak memory of each subject's process: resident set and JS heap. */
export function memoryChart(r: BenchResults): ChartModel {
  const subjects = subjectsOf(r);
  const metrics = [
    ['rss', 'peak resident set (RSS) of the process', 'peakRssBytes'],
    ['heap', 'peak JavaScript heap', 'peakHeapBytes'],
  ] as const;
  const groups = metrics.map(([key, label, field]) => ({
    key,
    label,
    bars: subjects.map((s): Bar => {
      const v = r.subjects.find((x) => x.name === s.subject)?.[field];
      const base = {
        series: s.subject,
        subject: s.subject,
        kind: s.kind,
        label: SUBJECT_SHORT[s.subject] ?? s.subject,
      };
      return typeof v === 'number' && v > 0
        ? { ...base, value: v, status: 'ok', text: formatBytes(v), detail: `${s.label}: ${formatBytes(v)}` }
        : { ...base, value: null, status: 'missing', text: 'n/a', detail: `${s.label}: not measured` };
    }),
  }));
  const scale = scaleFor(valuesOf(groups), 'linear');
  return {
    id: 'memory',
    title: 'Peak memory of each subject’s process',
    description:
      'The highest resident set size and JavaScript heap of each subject’s own Node process over its whole run; shorter uses less memory.',
    axis: axisLabel('bytes', scale),
    scale,
    format: 'bytes',
    better: 'lower',
    groups,
    legend: subjects,
    notes: absentNotes(r),
  };
}

/** Open time: a new store, and recovery after a crash with every key written. */
export function openChart(r: BenchResults): ChartModel {
  const subjects = subjectsOf(r).filter((s) => s.kind !== 'limit');
  const spec = [
    ['fillrandom', 'open a new, empty store'],
    ['reopen', `reopen after a crash (${formatCount(r.options.keys)} keys written and synced)`],
  ] as const;
  const present = spec.filter(([w]) => r.results.some((x) => x.workload === w));
  const groups = present.map(([w, label]) => ({
    key: w,
    label,
    bars: subjects.map((s) =>
      barFrom(
        s,
        r.results.find((x) => x.subject === s.subject && x.workload === w),
        (x) => x.openMs,
        'ms',
      ),
    ),
  }));
  const scale = scaleFor(valuesOf(groups));
  return {
    id: 'open',
    title: 'Open and recovery time',
    description:
      'Time to open a new store, and time to reopen a store after its process was killed, for each engine and peer; shorter is faster.',
    axis: axisLabel('milliseconds', scale),
    scale,
    format: 'ms',
    better: 'lower',
    groups,
    legend: subjects,
    notes: resultNotes(
      r,
      present.map(([w]) => w),
      subjects,
    ),
  };
}

/** Every chart of the page, by id. */
export function allCharts(r: BenchResults): Record<string, ChartModel> {
  const charts = [
    throughputChart(r, 'writes', 'Throughput of writes', [
      'fillseq',
      'fillrandom',
      'overwrite',
      'deleterandom',
      'fillbatch',
    ]),
    throughputChart(r, 'reads', 'Throughput of reads and scans', [
      'readrandom',
      'readmissing',
      'readseq',
      'seekrandom',
    ]),
    throughputChart(r, 'ycsb', 'Throughput of the YCSB mixes (zipfian keys)', ['ycsb-a', 'ycsb-b', 'ycsb-c', 'ycsb-e']),
    latencyChart(r, 'latency-read', 'readrandom'),
    latencyChart(r, 'latency-write', 'fillrandom'),
    writeAmpChart(r),
    readAmpChart(r),
    spaceAmpChart(r),
    memoryChart(r),
    openChart(r),
  ];
  return Object.fromEntries(charts.map((c) => [c.id, c]));
}

/** One goal from issue 8 as the goal table prints it. */
export interface GoalRow {
  goal: string;
  engine: string;
  measured: string;
  required: string;
  verdict: 'met' | 'not met' | 'no figure';
}

/** The goal table: measured against required, with the verdict. */
export function goalRows(r: BenchResults): GoalRow[] {
  return r.targets.map((t) => {
    const fmt = (v: number) => (t.unit === 's' ? `${formatCount(v)} s` : formatRatio(v));
    return {
      goal: t.goal,
      engine: SUBJECT_LABELS[t.engine] ?? t.engine,
      measured: t.measured === null ? '—' : fmt(t.measured),
      required: t.unit === 's' ? `at most ${fmt(t.required)}` : `at least ${fmt(t.required)}`,
      verdict: t.met === null ? 'no figure' : t.met ? 'met' : 'not met',
    };
  });
}

/** The run's machine and conditions, as sentences' parts. */
export interface RunSummary {
  date: string;
  machine: string;
  node: string;
  load: string;
  /** True when the 1-minute load average was above the core count: other work competed. */
  loaded: boolean;
  /** The load against the cores, in words. */
  loadSentence: string;
  keys: string;
  duration: string;
  peers: string[];
}

/** Describes the run: when, where, how loaded. */
export function runSummary(r: BenchResults): RunSummary {
  const m = r.machine;
  const load1 = m.loadAverage[0] ?? 0;
  return {
    date: r.date.slice(0, 16).replace('T', ' ') + ' UTC',
    machine: `${m.cpus} core${m.cpus === 1 ? '' : 's'} (${m.cpuModel}), ${formatBytes(m.memoryBytes)} of memory, ${m.platform}/${m.arch}`,
    node: `Node ${m.node}`,
    load: m.loadAverage.map((x) => x.toFixed(2)).join(', '),
    loaded: load1 > m.cpus,
    loadSentence:
      load1 > m.cpus
        ? `a load average of ${load1.toFixed(1)} on ${m.cpus} core${m.cpus === 1 ? '' : 's'}, so other processes were competing for the CPU throughout. The absolute figures are lower and noisier than a quiet machine would give; compare subjects within this run.`
        : `a load average of ${load1.toFixed(1)} on ${m.cpus} core${m.cpus === 1 ? '' : 's'}.`,
    keys: `${formatCount(r.options.keys)} keys of ${r.options.keyBytes} bytes, values of ${r.options.valueBytes} bytes${r.options.quick ? ' (a --quick run)' : ''}`,
    duration: `${Math.round(r.durationSeconds)} s`,
    peers: r.subjects
      .filter((s) => s.kind === 'peer' && s.status === 'ok')
      .map((s) => `${s.name} ${s.version ?? ''}`.trim()),
  };
}
