/**
 * report.ts: printing check results as a learner reads them: one line per check, the
 * failure's message indented under it, and what to read next.
 */
import type { CheckResult } from './check.js';
import type { Track } from './tracks.js';
import { stepPage } from './tracks.js';

/** The results of steps' checks as text, grouped by step. */
export function formatResults(track: Track, results: CheckResult[]): string {
  const lines: string[] = [];
  for (const step of track.steps) {
    const mine = results.filter((r) => r.check.step === step.n);
    if (mine.length === 0) continue;
    const passed = mine.filter((r) => r.ok).length;
    lines.push(`step ${step.n}: ${step.title}  (${passed}/${mine.length})   ${stepPage(track, step)}`);
    for (const r of mine) {
      lines.push(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.check.title}`);
      if (!r.ok && r.message) for (const l of r.message.split('\n')) lines.push(`         ${l}`);
    }
  }
  return lines.join('\n');
}

/** The step a learner should work on next: the first with a failing check, or undefined. */
export function nextStep(track: Track, results: CheckResult[]): number | undefined {
  return track.steps.find((s) => results.some((r) => r.check.step === s.n && !r.ok))?.n;
}
