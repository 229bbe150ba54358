/**
 * run.ts: `npm run exercise -- <name> [--start | --staged | --reference]`.
 *
 *   npm run exercise                    lists the exercises
 *   npm run exercise -- <name> --start  splices the starting point into your engines/
 *   npm run exercise -- <name>          checks your engines/ (passes once you are done)
 *   npm run exercise -- <name> --staged     checks a scratch copy with the start spliced in (fails)
 *   npm run exercise -- <name> --reference  checks a scratch copy of your engines/ as they are
 */
import { relative } from 'node:path';
import { ROOT, applyStart, listExercises, loadExercise, modified, runCheck, runScratch } from './runner.js';

/** Prints the list of exercises. */
function list(): void {
  console.log('Exercises (npm run exercise -- <name> --start, then npm run exercise -- <name>):\n');
  for (const e of listExercises()) console.log(`  ${e.name.padEnd(24)} ${e.lesson.padEnd(9)} ${e.title}`);
}

/** The command line. */
async function main(argv: string[]): Promise<number> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => !['--start', '--staged', '--reference', '--force'].includes(f));
  if (unknown.length > 0 || names.length > 1) {
    console.error(
      `usage: npm run exercise -- <name> [--start | --staged | --reference]${unknown.length ? `\nunknown option ${unknown.join(' ')}` : ''}`,
    );
    return 2;
  }
  if (names.length === 0) {
    list();
    return 0;
  }
  const ex = loadExercise(names[0]!);
  console.log(`${ex.title}  (${ex.lesson} lesson)\n\n${ex.task}\n`);
  if (flags.includes('--start')) {
    const dirty = ex.edits.map((e) => e.file).filter((f) => modified(f));
    if (dirty.length > 0 && !flags.includes('--force')) {
      console.error(`${dirty.join(', ')} has changes of yours; commit or stash them first (or add --force).`);
      return 1;
    }
    const files = applyStart(ex, ROOT).map((f) => relative(ROOT, f));
    console.log(
      `Staged: ${ex.edits.map((e) => `${e.function}() in ${e.file}`).join(', ')} now hold${ex.edits.length === 1 ? 's' : ''} the starting point.`,
    );
    console.log(`Make it pass:  npm run exercise -- ${ex.name}`);
    console.log(`The reference: git diff -- ${files.join(' ')}   (git checkout -- ${files.join(' ')} restores it)`);
    return 0;
  }
  const r = flags.includes('--staged')
    ? await runScratch(ex, true, false)
    : flags.includes('--reference')
      ? await runScratch(ex, false, false)
      : await runCheck(ex, ROOT, false);
  console.log(r.ok ? `\n${ex.name}: the check passes.` : `\n${ex.name}: the check fails (see above).`);
  return r.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(2);
  },
);
