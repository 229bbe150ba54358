/**
 * run-suites.ts: runs suites.test.ts under vitest in a child process for one engine and reads
 * back each test's outcome from vitest's JSON reporter.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../learners.js';

/** One test of the project's suites, as vitest reported it. */
export interface SuiteTest {
  /** 'conformance', 'model' or 'crash', from the describe block. */
  suite: string;
  title: string;
  ok: boolean;
  message?: string;
}

/** Which suite a describe title belongs to. */
function suiteOf(describe: string): string {
  if (describe.includes('KVStore contract')) return 'conformance';
  if (describe.includes('sorted model')) return 'model';
  return 'crash';
}

/** Runs the suites on `engine` (loaded from the folder `from`, if given) with `tuning`; every test's outcome, or an error saying why none ran. */
export function runSuites(engine: string, tuning: Record<string, unknown>, from?: string): SuiteTest[] {
  const dir = mkdtempSync(join(tmpdir(), 'grade-'));
  const out = join(dir, 'results.json');
  try {
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'track/vitest.config.ts',
        '--reporter=json',
        `--outputFile=${out}`,
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          GRADE_ENGINE: engine,
          GRADE_TUNING: JSON.stringify(tuning),
          ...(from ? { GRADE_ENGINE_DIR: from } : {}),
        },
        encoding: 'utf8',
        timeout: 600_000,
      },
    );
    let json: {
      testResults?: {
        message?: string;
        assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[];
      }[];
    };
    try {
      json = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      throw new Error(`the suites did not run:\n${(r.stderr || r.stdout || '').slice(-2000)}`);
    }
    const tests: SuiteTest[] = [];
    for (const file of json.testResults ?? []) {
      if (file.assertionResults.length === 0 && file.message)
        throw new Error(`the suites did not load: ${file.message.slice(0, 1500)}`);
      for (const a of file.assertionResults) {
        const ok = a.status === 'passed';
        tests.push({
          suite: suiteOf(a.ancestorTitles.join(' ')),
          title: a.title,
          ok,
          ...(ok ? {} : { message: (a.failureMessages[0] ?? a.status).split('\n').slice(0, 6).join('\n') }),
        });
      }
    }
    return tests;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
