/**
 * The smoke test of `npm run bench`: a --quick run on a tiny key count, checking the shape
 * of the results JSON and that the figures are sane. Never timed: it asserts presence,
 * positivity and consistency, not speed.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SUBJECTS } from '../../bench/options.js';
import { WORKLOADS } from '../../bench/workloads.js';
import type { BenchResults } from '../../bench/results.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const KEYS = 300;

describe('npm run bench -- --quick', () => {
  let res: BenchResults;
  let stdout = '';

  beforeAll(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'));
    const out = path.join(dir, 'quick.json');
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--quick', '--keys', String(KEYS), '--out', out, '--no-progress'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 110_000,
      },
    );
    stdout = r.stdout;
    if (r.status !== 0) throw new Error(`bench exited ${r.status ?? r.signal}: ${r.stderr}\n${r.stdout}`);
    res = JSON.parse(fs.readFileSync(out, 'utf8')) as BenchResults;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('describes the machine, the date and the options', () => {
    expect(res.schema).toBe(1);
    expect(Number.isNaN(Date.parse(res.date))).toBe(false);
    expect(res.machine.cpus).toBeGreaterThan(0);
    expect(res.machine.memoryBytes).toBeGreaterThan(0);
    expect(res.machine.node).toMatch(/^v\d+/);
    expect(res.options).toMatchObject({ keys: KEYS, keyBytes: 16, valueBytes: 100, quick: true });
    expect(res.options.workloads).toEqual([...WORKLOADS]);
  });

  it('reports every subject as ok, skipped or failed, with a reason unless ok', () => {
    expect(res.subjects.map((s) => s.name)).toEqual([...SUBJECTS]);
    for (const s of res.subjects) {
      expect(['ok', 'skipped', 'failed']).toContain(s.status);
      if (s.status !== 'ok') expect(s.reason).toBeTruthy();
    }
    // The snapshot engine and the two limits need nothing that could be missing.
    for (const name of ['snapshot', 'limit-map', 'limit-append'])
      expect(res.subjects.find((s) => s.name === name)?.status).toBe('ok');
  });

  it('has one result per workload for every subject that ran, none failed', () => {
    for (const s of res.subjects.filter((x) => x.status === 'ok')) {
      const mine = res.results.filter((r) => r.subject === s.name);
      expect(mine.map((r) => r.workload)).toEqual([...WORKLOADS]);
      for (const r of mine) expect(r.status === 'failed' ? `${r.subject} ${r.workload}: ${r.reason}` : 'ok').toBe('ok');
      expect(s.peakRssBytes).toBeGreaterThan(0);
    }
  });

  it('gives positive throughput and ordered latency percentiles for every result that ran', () => {
    for (const r of res.results.filter((x) => x.status === 'ok')) {
      const where = `${r.subject} ${r.workload}`;
      expect(r.ops, where).toBeGreaterThan(0);
      expect(r.seconds, where).toBeGreaterThan(0);
      expect(r.opsPerSec, where).toBeGreaterThan(0);
      expect(r.latency.count, where).toBeGreaterThan(0);
      expect(r.latency.p50Ns, where).toBeLessThanOrEqual(r.latency.p99Ns);
      expect(r.latency.p99Ns, where).toBeLessThanOrEqual(r.latency.p999Ns);
      expect(r.latency.p999Ns, where).toBeLessThanOrEqual(r.latency.maxNs);
      expect(r.peakRssBytes, where).toBeGreaterThan(0);
    }
  });

  it('finds every present key and no missing key', () => {
    for (const r of res.results.filter((x) => x.status === 'ok')) {
      const where = `${r.subject} ${r.workload}`;
      if (r.workload === 'readrandom' || r.workload === 'ycsb-c' || r.workload === 'reopen')
        expect(r.found, where).toBe(r.gets);
      if (r.workload === 'readmissing') expect(r.found, where).toBe(0);
      if (r.workload === 'readseq') expect(r.pairs, where).toBe(KEYS);
      if (r.workload === 'seekrandom') expect(r.pairs, where).toBeGreaterThan(0);
    }
  });

  it("gives our engines' amplification and key counts that agree with what was written", () => {
    for (const r of res.results.filter((x) => x.status === 'ok' && x.kind === 'engine')) {
      const where = `${r.subject} ${r.workload}`;
      // The bare run opens files past the counting layer, so it has no byte counts.
      expect(r.ioSource, where).toBe(r.workload === 'fillrandom-bare' ? 'none' : 'engine');
      expect(r.engineLiveKeys, where).toBe(r.liveKeys);
      expect(r.syncs, where).not.toBeNull();
      if (r.workload === 'fillrandom' || r.workload === 'fillseq' || r.workload === 'fillbatch') {
        expect(r.userBytesWritten, where).toBe(KEYS * (16 + 100));
        // Every engine stores at least the user's bytes once.
        expect(r.writeAmp, where).toBeGreaterThanOrEqual(1);
        expect(r.spaceAmp, where).toBeGreaterThanOrEqual(1);
        expect(r.syncs, where).toBeGreaterThan(0);
      }
      if (r.workload === 'readrandom') expect(r.readBytesPerGet, where).not.toBeNull();
    }
  });

  it('computes tracing ratios and prints the table', () => {
    for (const t of res.tracing) {
      expect(t.ratio).toBeGreaterThan(0);
      expect(t.noListenerRatio).toBeGreaterThan(0);
    }
    expect(res.tracing.map((t) => t.engine)).toContain('snapshot');
    expect(stdout).toContain('Throughput');
    expect(stdout).toMatch(/fillrandom\s/);
  });
});
