/**
 * runner.ts: the parent's side of the per-subject child processes. Each subject runs in a
 * fresh Node process (child.ts, loaded through tsx, with --expose-gc so the child can
 * collect garbage between workloads); its messages stream back over IPC. A child that
 * runs past its time limit is killed; whatever workloads it finished are kept.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './options.js';
import type { ChildJob, ChildMessage } from './protocol.js';
import type { SubjectReport, WorkloadResult } from './results.js';
import { kindOf } from './subjects.js';

/** The repository root (the child resolves tsx from there). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(REPO_ROOT, 'bench', 'child.ts');

/** What one subject's run produced. */
export interface SubjectRun {
  report: SubjectReport;
  results: WorkloadResult[];
}

/** Runs `subject` in a child process, passing every message to `onMessage` as it arrives. */
export function runSubject(
  subject: string,
  options: BenchOptions,
  onMessage: (m: ChildMessage) => void,
): Promise<SubjectRun> {
  const job: ChildJob = {
    mode: 'run',
    subject,
    workloads: options.workloads,
    keys: options.keys,
    valueBytes: options.valueBytes,
    seed: options.seed,
    capSeconds: options.capSeconds,
    dir: path.join(os.tmpdir(), `kvbench-${process.pid}-${subject}`),
  };
  const report: SubjectReport = { name: subject, kind: kindOf(subject), status: 'failed' };
  const results: WorkloadResult[] = [];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = fork(CHILD, [JSON.stringify(job)], {
      cwd: REPO_ROOT,
      execArgv: [
        '--import',
        'tsx',
        '--expose-gc',
        // One directory per subject: the main thread and tsx's loader thread each write a profile.
        ...(options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(options.cpuProfDir, subject)] : []),
      ],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    let finished = false;
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const timer = setTimeout(() => {
      report.reason = `killed after ${options.subjectTimeoutSeconds} s (--timeout-seconds)`;
      child.kill('SIGKILL');
    }, options.subjectTimeoutSeconds * 1000);
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'loaded') {
        report.status = 'ok';
        if (m.version) report.version = m.version;
      } else if (m.type === 'skipped') {
        report.status = 'skipped';
        report.reason = m.reason;
      } else if (m.type === 'result') {
        results.push(m.result);
      } else if (m.type === 'done') {
        finished = true;
        report.peakRssBytes = m.peakRssBytes;
        report.peakHeapBytes = m.peakHeapBytes;
      } else if (m.type === 'failed') {
        report.status = 'failed';
        report.reason = m.reason;
      }
      onMessage(m);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // A child that was killed leaves its scratch directory behind.
      fs.rmSync(job.dir, { recursive: true, force: true });
      report.seconds = (performance.now() - started) / 1000;
      if (report.status === 'ok' && !finished) {
        report.status = 'failed';
        const tail = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
        report.reason ??= `the child process ended early (${signal ?? `exit ${code}`})${tail ? `: ${tail}` : ''}`;
      }
      if (report.status === 'failed' && !report.reason) {
        report.reason = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300) || `exit ${code ?? signal}`;
      }
      resolve({ report, results });
    });
  });
}
