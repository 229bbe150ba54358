/**
 * card.ts: the grader's report card as text: the track's steps, the project's suites, the
 * shrunk counterexamples with their crash points, and the benchmark beside the references.
 */
import type { CheckResult } from '../check.js';
import type { Track } from '../tracks.js';
import type { BenchRow } from './bench.js';
import type { CrashVerdict } from './crash-search.js';
import type { ModelVerdict } from './model-search.js';
import { showStep } from './program.js';
import type { SuiteTest } from './run-suites.js';

/** Everything the grader found about one engine. */
export interface Grade {
  engine: string;
  track: Track;
  steps: CheckResult[];
  suites: SuiteTest[];
  model: ModelVerdict;
  crashes: CrashVerdict[];
  bench: BenchRow[];
}

/** A mark for a pass or a failure. */
const mark = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** Formats a number of operations per second briefly. */
function rate(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(1)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);
}

/** The report card. */
export function formatCard(g: Grade): string {
  const out: string[] = [`Report card: ${g.engine} (${g.track.title} track)`, ''];
  const stepsOk = g.steps.filter((r) => r.ok).length;
  out.push(
    `${mark(stepsOk === g.steps.length)}  track steps: ${stepsOk}/${g.steps.length} checks pass${stepsOk < g.steps.length ? `; first failing: step ${g.steps.find((r) => !r.ok)!.check.step}, "${g.steps.find((r) => !r.ok)!.check.title}"` : ''}`,
  );
  for (const suite of ['conformance', 'model', 'crash']) {
    const mine = g.suites.filter((t) => t.suite === suite);
    const ok = mine.filter((t) => t.ok).length;
    out.push(
      `${mark(ok === mine.length && mine.length > 0)}  ${suite} suite (test/${suite}): ${ok}/${mine.length} tests pass`,
    );
    for (const t of mine.filter((x) => !x.ok).slice(0, 8)) {
      out.push(`        FAIL ${t.title}`);
      for (const l of (t.message ?? '').split('\n').slice(0, 3)) out.push(`             ${l}`);
    }
    if (mine.filter((x) => !x.ok).length > 8) out.push(`        ... and ${mine.filter((x) => !x.ok).length - 8} more`);
  }
  const m = g.model;
  out.push(
    `${mark(!m.failure)}  model test: ${m.programs} random programs, ${m.steps} steps${m.failure ? '' : ', every read agreed with a sorted map'}`,
  );
  if (m.failure) {
    out.push(
      `        a program of ${m.failure.length} steps (seed ${m.failure.seed}) disagrees; the shortest that still does, ${m.failure.program.length} steps on a fresh store:`,
    );
    m.failure.program.forEach((s, i) => out.push(`          ${String(i + 1).padStart(3)}. ${showStep(s)}`));
    out.push(`        ${m.failure.message}`);
  }
  for (const c of g.crashes) {
    out.push(
      `${mark(!c.failure)}  crash test, ${c.mode}: ${c.workloads} workloads, ${c.crashes} crashes${c.failure ? '' : ', every recovery kept the durability rule'}`,
    );
    if (c.failure) {
      out.push(
        `        the shortest workload that breaks the rule (seed ${c.failure.seed}), ${c.failure.workload.length} steps on a fresh store:`,
      );
      c.failure.workload.forEach((s, i) => out.push(`          ${String(i + 1).padStart(3)}. ${showStep(s)}`));
      out.push(`        crash point: ${c.failure.point}`);
      for (const l of c.failure.problem.split('\n')) out.push(`        ${l}`);
    }
  }
  out.push('', 'Benchmark (real files, 3000 pairs of 16 + 100 bytes; one short run, so read it as a rough guide):');
  out.push(
    `  ${'engine'.padEnd(14)}${'fill+sync/s'.padStart(12)}${'get/s'.padStart(10)}${'scan/s'.padStart(10)}${'reopen ms'.padStart(11)}${'disk KiB'.padStart(10)}`,
  );
  for (const b of g.bench) {
    if (b.error) out.push(`  ${b.engine.padEnd(14)}failed: ${b.error}`);
    else
      out.push(
        `  ${b.engine.padEnd(14)}${rate(b.fillPerSec).padStart(12)}${rate(b.readPerSec).padStart(10)}${rate(b.scanPerSec).padStart(10)}${b.reopenMs.toFixed(1).padStart(11)}${(b.diskBytes / 1024).toFixed(0).padStart(10)}`,
      );
  }
  return out.join('\n');
}

/** True when every part of the grade passed (the benchmark is information, not a test). */
export function passed(g: Grade): boolean {
  return (
    g.steps.every((r) => r.ok) &&
    g.suites.length > 0 &&
    g.suites.every((t) => t.ok) &&
    !g.model.failure &&
    g.crashes.every((c) => !c.failure)
  );
}
