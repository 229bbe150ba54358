/**
 * typecheck.ts: typechecks a learner's engine folder (yours/<name>/) with the project's compiler
 * settings, so a type error shows up at `npm run step` and `npm run grade`, not first in `npm test`
 * (whose typecheck includes yours/). tsx runs code without checking types, so this is the only
 * place a learner sees them before `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, YOURS } from './learners.js';

/** The compiler flags of tsconfig.json that matter for one folder of engine code. */
const FLAGS = [
  '--noEmit',
  '--strict',
  '--noUncheckedIndexedAccess',
  '--target',
  'ES2022',
  '--module',
  'ESNext',
  '--moduleResolution',
  'Bundler',
  '--lib',
  'ES2022,DOM,DOM.Iterable',
  '--types',
  'node',
  '--skipLibCheck',
  '--isolatedModules',
  '--resolveJsonModule',
];

/** The .ts files of a folder, recursively. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Typechecks yours/<name>/; returns the compiler's error lines (empty when it typechecks). */
export function typecheckLearner(name: string): string[] {
  const dir = join(YOURS, name);
  if (!existsSync(dir)) return [];
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const files = tsFiles(dir).map((f) => relative(ROOT, f));
  const r = spawnSync(process.execPath, [tsc, ...FLAGS, ...files], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0) return [];
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  return out === '' ? [`tsc exited with status ${r.status}`] : out.split('\n');
}

/** Prints the type errors of learner `name`, if any, saying why they matter; returns their count. */
export function reportTypeErrors(name: string): number {
  const lines = typecheckLearner(name);
  const errors = lines.filter((l) => /error TS\d+/.test(l)).length || lines.length;
  if (lines.length === 0) return 0;
  console.log(`${name}: ${errors} type error(s) (npm test typechecks yours/ and would fail on them):\n`);
  for (const l of lines) console.log(`  ${l}`);
  console.log('');
  return errors;
}
