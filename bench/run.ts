/**
 * run.ts: `npm run bench`. Runs every chosen workload on every chosen subject (our engines,
 * the native peers, the limits), each subject in its own fresh process, on real disk in a
 * temporary directory; then writes the results JSON and prints the report.
 *
 *   npm run bench                      full run (bench/results/latest.json, the site's data)
 *   npm run bench -- --quick           under a minute (bench/out/quick.json)
 *   npm run bench -- --engines lsm,classic-level --workloads fillrandom,readrandom --keys 50000
 */
import * as path from 'node:path';
import { parseOptions, USAGE } from './options.js';
import { ProgressDisplay } from './progress.js';
import { ratios, targets, tracing } from './ratios.js';
import {
  machine,
  SCHEMA_VERSION,
  writeResults,
  type BenchResults,
  type SubjectReport,
  type WorkloadResult,
} from './results.js';
import { REPO_ROOT, runSubject } from './runner.js';
import { renderReport } from './table.js';
import { KEY_BYTES } from './keys.js';

/** Runs the benchmark; returns the process exit code. */
async function main(): Promise<number> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const live = options.tty ?? Boolean(process.stderr.isTTY);
  const progress = new ProgressDisplay(
    options.subjects.length,
    options.subjects.length * options.workloads.length,
    live,
  );
  const started = performance.now();
  const date = new Date().toISOString();
  const host = machine(); // before the run: its load average is the other work competing with us
  const subjects: SubjectReport[] = [];
  const results: WorkloadResult[] = [];

  // One subject at a time: they would compete for the two cores otherwise.
  for (const name of options.subjects) {
    progress.subjectStart(name);
    const run = await runSubject(name, options, (m) => progress.message(m));
    subjects.push(run.report);
    results.push(...run.results);
    progress.subjectEnd(run.report, run.results.length, options.workloads.length);
  }
  progress.finish();

  const out: BenchResults = {
    schema: SCHEMA_VERSION,
    date,
    machine: host,
    options: {
      subjects: options.subjects,
      workloads: options.workloads,
      keys: options.keys,
      keyBytes: KEY_BYTES,
      valueBytes: options.valueBytes,
      quick: options.quick,
      seed: options.seed,
      capSeconds: options.capSeconds,
    },
    durationSeconds: (performance.now() - started) / 1000,
    subjects,
    results,
    ratios: ratios(results),
    tracing: tracing(results),
    targets: targets(results, options.keys, options.valueBytes),
  };
  // The default paths are the repository's; a path given on the command line is the caller's.
  const file = process.argv.some((a) => a.startsWith('--out'))
    ? path.resolve(options.out)
    : path.resolve(REPO_ROOT, options.out);
  writeResults(file, out);
  console.log(renderReport(out));
  console.log(`\nresults: ${path.relative(process.cwd(), file) || file}`);
  return subjects.some((s) => s.status === 'ok') ? 0 : 1;
}

process.exitCode = await main();
