/**
 * runner.ts: the exercise runner behind `npm run exercise -- <name>`.
 *
 * An exercise is a folder exercises/<name>/ holding
 *   exercise.json   its title, lesson, task, and the engine functions it is about;
 *   start/*.ts      the starting point: a stub or broken version of each of those functions;
 *   check.test.ts   a vitest file that passes only when the functions do their job.
 * The reference solution is the engine itself: the check passes on engines/ as committed, and
 * fails once the start files are spliced in (test/exercises/ proves both for every exercise).
 *
 * Staged like mini-lsm's copy-in tests: `--start` splices the start functions into the
 * reader's own engines/ (the reader then writes the real thing, and `git diff` or
 * `git checkout -- <file>` shows or restores the reference); a plain run checks the working
 * copy; `--staged` and `--reference` check a scratch copy under tmp/ instead, without touching
 * the working copy.
 */
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spliceFunction } from './splice.js';

/** The clone this runner lives in. */
export const ROOT = join(import.meta.dirname, '..');
/** Where exercises live. */
export const EXERCISES = join(ROOT, 'exercises');

/** One function an exercise is about, and its starting point. */
export interface ExerciseEdit {
  /** The engine file, relative to the clone. */
  file: string;
  /** The function or method name in it. */
  function: string;
  /** The start file, relative to the exercise folder. */
  start: string;
}

/** An exercise, as exercise.json describes it. */
export interface Exercise {
  name: string;
  title: string;
  /** The lesson it ends (snapshot, bitcask, btree, lsm). */
  lesson: string;
  /** What to do, in a few sentences. */
  task: string;
  edits: ExerciseEdit[];
}

/** Every exercise, in lesson order then name. */
export function listExercises(): Exercise[] {
  const order = ['snapshot', 'bitcask', 'btree', 'lsm'];
  return readdirSync(EXERCISES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(EXERCISES, d.name, 'exercise.json')))
    .map((d) => loadExercise(d.name))
    .sort((a, b) => order.indexOf(a.lesson) - order.indexOf(b.lesson) || a.name.localeCompare(b.name));
}

/** Reads exercises/<name>/exercise.json; a clear error for an unknown name. */
export function loadExercise(name: string): Exercise {
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(join(EXERCISES, name, 'exercise.json'))) {
    throw new Error(`no exercise named "${name}"; run "npm run exercise" for the list`);
  }
  const e = JSON.parse(readFileSync(join(EXERCISES, name, 'exercise.json'), 'utf8')) as Omit<Exercise, 'name'>;
  return { name, ...e };
}

/** `root`'s engine files with the exercise's start functions spliced in (written in place). */
export function applyStart(ex: Exercise, root: string): string[] {
  const changed: string[] = [];
  // Step 1: compute every new file first, so a start that no longer applies changes nothing.
  const texts = new Map<string, string>();
  for (const e of ex.edits) {
    const path = join(root, e.file);
    const source = texts.get(path) ?? readFileSync(path, 'utf8');
    const start = readFileSync(join(EXERCISES, ex.name, e.start), 'utf8');
    try {
      texts.set(path, spliceFunction(source, e.function, start));
    } catch (err) {
      throw new Error(`exercise ${ex.name}: cannot stage ${e.function} in ${e.file}: ${(err as Error).message}`);
    }
  }
  // Step 2: write them.
  for (const [path, text] of texts) {
    writeFileSync(path, text);
    changed.push(path);
  }
  return changed;
}

/**
 * A scratch copy of the clone's engines/ and of the exercise, under tmp/exercises/, with the
 * start functions spliced in when `staged`. Returns its root (the checks' relative imports,
 * ../../engines/..., resolve inside it; node_modules is found by walking up to the clone).
 */
export function scratchCopy(ex: Exercise, staged: boolean): string {
  const dir = join(ROOT, 'tmp', 'exercises', `${ex.name}-${staged ? 'staged' : 'reference'}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'exercises'), { recursive: true });
  cpSync(join(ROOT, 'engines'), join(dir, 'engines'), { recursive: true });
  cpSync(join(EXERCISES, ex.name), join(dir, 'exercises', ex.name), { recursive: true });
  if (staged) applyStart(ex, dir);
  return dir;
}

/** What a check run says. */
export interface CheckResult {
  ok: boolean;
  /** vitest's output (stdout and stderr). */
  output: string;
}

/** Runs exercises/<name>/check.test.ts under `root` (the clone, or a scratch copy). */
export function runCheck(ex: Exercise, root: string, quiet = true): Promise<CheckResult> {
  const args = [
    join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--config',
    join(EXERCISES, 'vitest.config.ts'),
    '--root',
    root,
    `exercises/${ex.name}/`,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: quiet ? '0' : process.env.FORCE_COLOR },
      stdio: quiet ? 'pipe' : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

/** Runs the check on a scratch copy (staged or not), then removes the copy. */
export async function runScratch(ex: Exercise, staged: boolean, quiet = true): Promise<CheckResult> {
  const dir = scratchCopy(ex, staged);
  try {
    return await runCheck(ex, dir, quiet);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** True when git reports changes to `file` in the clone (or git is unavailable: assume yes). */
export function modified(file: string): boolean {
  try {
    execFileSync('git', ['diff', '--quiet', 'HEAD', '--', file], { cwd: ROOT, stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
}
