/**
 * progress.ts: what a long run shows while it works, on stderr. On a terminal, one live
 * line redrawn in place: a bar for the whole run, the subject, the workload and its own
 * progress. Otherwise (CI, a pipe, the smoke test) plain lines, one per finished workload.
 */
import type { ChildMessage } from './protocol.js';
import type { SubjectReport, WorkloadResult } from './results.js';
import { formatRate } from './table.js';

/** Width of the bar in characters. */
const BAR = 24;

/** The progress display for one run. */
export class ProgressDisplay {
  private done = 0;
  private subject = '';
  private subjectIndex = 0;
  private workload = '';
  private workloadFraction = 0;
  private lastDraw = 0;
  private readonly started = performance.now();

  /** `units` is subjects times workloads; `live` picks the bar over plain lines. */
  constructor(
    private readonly subjects: number,
    private readonly units: number,
    private readonly live: boolean,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  /** A subject's child is starting. */
  subjectStart(name: string): void {
    this.subject = name;
    this.subjectIndex++;
    this.workload = 'starting';
    this.workloadFraction = 0;
    this.draw(true);
  }

  /** A message from the current subject's child. */
  message(m: ChildMessage): void {
    if (m.type === 'start') {
      this.workload = m.workload;
      this.workloadFraction = 0;
      this.draw(false);
    } else if (m.type === 'progress') {
      this.workloadFraction = m.total > 0 ? Math.min(1, m.done / m.total) : 0;
      this.draw(false);
    } else if (m.type === 'result') {
      this.done++;
      this.workloadFraction = 0;
      if (!this.live) this.line(describe(m.result));
      this.draw(true);
    }
  }

  /** A subject finished (or was skipped): units it never reached count as done. */
  subjectEnd(report: SubjectReport, finishedUnits: number, plannedUnits: number): void {
    this.done += Math.max(0, plannedUnits - finishedUnits);
    if (report.status !== 'ok')
      this.line(`${report.name}: ${report.status}${report.reason ? ` (${report.reason})` : ''}`);
    this.draw(true);
  }

  /** Clears the live line at the end. */
  finish(): void {
    if (this.live) this.out.write('\r\x1b[K');
  }

  /** Prints a permanent line (above the live bar, when there is one). */
  line(text: string): void {
    if (this.live) this.out.write(`\r\x1b[K${text}\n`);
    else this.out.write(`${text}\n`);
    this.draw(true);
  }

  /** Redraws the live line, at most 10 times a second unless forced. */
  private draw(force: boolean): void {
    if (!this.live) return;
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const f = Math.min(1, (this.done + this.workloadFraction) / Math.max(1, this.units));
    const filled = Math.round(f * BAR);
    const secs = Math.round((now - this.started) / 1000);
    const clock = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
    const text = `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${String(Math.round(f * 100)).padStart(3)}% ${clock}  ${this.subjectIndex}/${this.subjects} ${this.subject} ${this.workload} ${Math.round(this.workloadFraction * 100)}%`;
    this.out.write(`\r\x1b[K${text.slice(0, (this.out.columns || 100) - 1)}`);
  }
}

/** One plain line for a finished workload. */
export function describe(r: WorkloadResult): string {
  if (r.status !== 'ok') return `${r.subject} ${r.workload}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`;
  return `${r.subject} ${r.workload}: ${r.ops} ops in ${r.seconds.toFixed(2)} s, ${formatRate(r.opsPerSec)} ops/s`;
}
