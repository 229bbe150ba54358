/**
 * check.ts: prints what an engine's CLI module verified (`kv check`) and gives the exit
 * status: 0 only for a sound store, EXIT_UNSOUND when a checksum or an invariant failed.
 */
import { plainPaint, type Paint } from './colour.js';
import { EXIT_OK, EXIT_UNSOUND } from './status.js';
import type { CheckReport } from './engines/types.js';

/** The exit status for a check report. */
export function checkStatus(report: CheckReport): number {
  return report.sound ? EXIT_OK : EXIT_UNSOUND;
}

/** The check report as text lines. */
export function renderCheck(report: CheckReport, paint: Paint = plainPaint): string[] {
  const lines = [paint('bold', `checking the ${report.engine} store in ${report.dir}`)];
  for (const c of report.checked) lines.push(`  ${paint('green', '✓')} ${c}`);
  if (report.problem) {
    const p = report.problem;
    lines.push(`  ${paint('red', '✗')} ${paint('red', `${p.file} at byte offset ${p.offset}: ${p.what}`)}`);
  }
  for (const n of report.notes) lines.push(`  ${paint('dim', '·')} ${n}`);
  lines.push(
    report.sound ? paint('green', 'the store is sound') : paint('red', 'the store is NOT sound (first problem above)'),
  );
  return lines;
}
