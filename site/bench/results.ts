/**
 * results.ts: the committed benchmark results (bench/results/latest.json, schema in
 * bench/README.md) as the site reads them. The JSON is imported at build time, so the page
 * needs no fetch; readResults() checks its shape so a re-generated file with a newer schema
 * fails the build with a message instead of drawing nonsense.
 */
import type { BenchResults, SubjectReport, WorkloadResult } from '../../bench/results.js';
import latest from '../../bench/results/latest.json';

export type { BenchResults, SubjectReport, WorkloadResult };

/** The schema version these charts understand (bench/results.ts SCHEMA_VERSION). */
export const SUPPORTED_SCHEMA = 1;

/** Checks that `json` looks like a results file of the supported schema and returns it typed. */
export function readResults(json: unknown): BenchResults {
  const r = json as Partial<BenchResults> | null;
  if (!r || typeof r !== 'object') throw new Error('benchmark results: not an object');
  if (r.schema !== SUPPORTED_SCHEMA)
    throw new Error(
      `benchmark results: schema ${String(r.schema)}, the charts read schema ${SUPPORTED_SCHEMA} (update site/bench/)`,
    );
  for (const field of ['subjects', 'results', 'targets'] as const) {
    if (!Array.isArray(r[field])) throw new Error(`benchmark results: "${field}" is not a list`);
  }
  if (!r.machine || typeof r.date !== 'string') throw new Error('benchmark results: no machine or date');
  return r as BenchResults;
}

/** The committed results. */
export function latestResults(): BenchResults {
  return readResults(latest);
}

/** The result of `subject` on `workload`, if the run has one. */
export function resultOf(r: BenchResults, subject: string, workload: string): WorkloadResult | undefined {
  return r.results.find((x) => x.subject === subject && x.workload === workload);
}
