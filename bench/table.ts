/**
 * table.ts: the printed report: throughput per workload and subject, latency percentiles,
 * amplification, memory and open time, the ratios to peers and limits, and the goals.
 */
import type { BenchResults, WorkloadResult } from './results.js';

/** 1234567 -> "1.23M", 45678 -> "45.7k". */
export function formatRate(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)}k`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)}k`;
  return x.toFixed(x >= 100 ? 0 : 1);
}

/** Nanoseconds as a short duration: "850ns", "12.3us", "4.1ms", "1.20s". */
export function formatNs(ns: number): string {
  if (ns < 1e3) return `${Math.round(ns)}ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(ns < 1e4 ? 2 : 1)}us`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(ns < 1e7 ? 2 : 1)}ms`;
  return `${(ns / 1e9).toFixed(2)}s`;
}

/** Bytes as "12.3 MB". */
export function formatBytes(b: number): string {
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toFixed(1)} kB`;
  return `${b} B`;
}

/** A ratio as "1.23x", or "-". */
function formatX(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '-' : `${x.toFixed(x < 10 ? 2 : 1)}x`;
}

/** Renders rows as a text table, first column left-aligned and the rest right-aligned. */
export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

/** The whole printed report. */
export function renderReport(res: BenchResults): string {
  const subjects = res.subjects.filter((s) => s.status === 'ok').map((s) => s.name);
  const find = (subject: string, workload: string): WorkloadResult | undefined =>
    res.results.find((r) => r.subject === subject && r.workload === workload && r.status === 'ok');
  const out: string[] = [];
  const m = res.machine;
  out.push(
    `${m.cpus} cores (${m.cpuModel}), ${formatBytes(m.memoryBytes)}, Node ${m.node}, ${res.date}, load average ${m.loadAverage.join(' ')} at the start`,
  );
  out.push(
    `${res.options.keys} keys of ${res.options.keyBytes} bytes, values of ${res.options.valueBytes} bytes${res.options.quick ? ' (quick)' : ''}; run took ${res.durationSeconds.toFixed(0)} s`,
  );
  out.push('');

  // Throughput: one row per workload, one column per subject.
  out.push('Throughput (ops/s; readseq: pairs/s; fillbatch: items/s; reopen: keys recovered/s)');
  out.push(
    renderTable(
      ['workload', ...subjects],
      res.options.workloads.map((w) => [
        w,
        ...subjects.map((s) => {
          const r = find(s, w);
          return r ? `${formatRate(r.opsPerSec)}${r.capped ? '*' : ''}` : '-';
        }),
      ]),
    ),
  );
  if (res.results.some((r) => r.capped))
    out.push(`* stopped at the ${res.options.capSeconds} s time cap before all its ops`);
  out.push('');

  // Per subject: latency, amplification, memory, open time.
  out.push('Per subject (latency of single ops; amplification after fillrandom / readrandom)');
  const header = [
    'subject',
    'put p50',
    'put p99',
    'put p99.9',
    'get p50',
    'get p99',
    'get p99.9',
    'write amp',
    'read B/get',
    'space amp',
    'open',
    'reopen',
    'peak RSS',
    'peak heap',
  ];
  const rows = subjects.map((s) => {
    const put = find(s, 'fillrandom') ?? find(s, 'fillseq');
    const get = find(s, 'readrandom');
    const space = find(s, 'overwrite') ?? put;
    const open = find(s, 'fillseq')?.openMs ?? find(s, 'fillrandom')?.openMs;
    const reopen = find(s, 'reopen');
    const rep = res.subjects.find((x) => x.name === s);
    return [
      s,
      put ? formatNs(put.latency.p50Ns) : '-',
      put ? formatNs(put.latency.p99Ns) : '-',
      put ? formatNs(put.latency.p999Ns) : '-',
      get ? formatNs(get.latency.p50Ns) : '-',
      get ? formatNs(get.latency.p99Ns) : '-',
      get ? formatNs(get.latency.p999Ns) : '-',
      formatX(put?.writeAmp),
      get?.readBytesPerGet !== null && get?.readBytesPerGet !== undefined ? get.readBytesPerGet.toFixed(0) : '-',
      formatX(space?.spaceAmp),
      open !== undefined ? formatNs(open * 1e6) : '-',
      reopen ? formatNs(reopen.seconds * 1e9) : '-',
      rep?.peakRssBytes ? formatBytes(rep.peakRssBytes) : '-',
      rep?.peakHeapBytes ? formatBytes(rep.peakHeapBytes) : '-',
    ];
  });
  out.push(renderTable(header, rows));

  // Ratios to the peer and the limits.
  if (res.ratios.length > 0) {
    out.push('');
    out.push('Throughput ratios (engine / other)');
    const againsts = [...new Set(res.ratios.map((r) => `${r.engine} vs ${r.against}`))];
    out.push(
      renderTable(
        ['pair', ...res.options.workloads],
        againsts.map((pair) => [
          pair,
          ...res.options.workloads.map((w) =>
            formatX(res.ratios.find((r) => `${r.engine} vs ${r.against}` === pair && r.workload === w)?.ratio),
          ),
        ]),
      ),
    );
  }
  if (res.tracing.length > 0) {
    out.push('');
    out.push(
      `Tracing, fillrandom with a listener / without: ${res.tracing.map((t) => `${t.engine} ${formatX(t.ratio)}`).join(', ')}`,
    );
    out.push(
      `Tracing, fillrandom without a listener / on the bare file system: ${res.tracing.map((t) => `${t.engine} ${formatX(t.noListenerRatio)}`).join(', ')}`,
    );
  }
  if (res.targets.length > 0) {
    out.push('');
    out.push('Goals (issue 8)');
    out.push(
      renderTable(
        ['goal', 'measured', 'required', 'met'],
        res.targets.map((t) => [
          t.goal,
          t.unit === 's' ? (t.measured === null ? '-' : `${t.measured.toFixed(3)} s`) : formatX(t.measured),
          t.unit === 's' ? `<= ${t.required} s` : `>= ${formatX(t.required)}`,
          t.met === null ? 'n/a' : t.met ? 'yes' : 'no',
        ]),
      ),
    );
  }
  const skipped = res.subjects.filter((s) => s.status !== 'ok');
  if (skipped.length > 0) {
    out.push('');
    for (const s of skipped) out.push(`${s.name}: ${s.status}${s.reason ? ` - ${s.reason}` : ''}`);
  }
  const failed = res.results.filter((r) => r.status === 'failed');
  for (const r of failed) out.push(`${r.subject} ${r.workload}: failed - ${r.reason ?? ''}`);
  return out.join('\n');
}
