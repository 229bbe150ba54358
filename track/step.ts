/**
 * step.ts: `npm run step -- <name> <n>` runs the checks of steps 1..n of the engine's track
 * on the engine `name`: a learner's (yours/registry.json) or a reference engine, which passes
 * them all (`npm run step -- bitcask 7`; `--track` picks the track for a reference engine).
 * A learner's folder is typechecked first and its type errors printed (`--no-typecheck` skips it):
 * tsx runs code without checking types, but `npm test` typechecks yours/.
 */
import { ENGINES } from '../engines/index.js';
import { runChecks } from './check.js';
import { learnerNamed, loadLearners } from './learners.js';
import { formatResults, nextStep } from './report.js';
import { subjectFor } from './subject.js';
import { checksUpTo, trackNamed } from './tracks.js';
import { reportTypeErrors } from './typecheck.js';

/** The command line; returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const t = argv.indexOf('--track');
  const rest = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--track');
  if (rest.length < 1 || rest.length > 2) {
    console.error('usage: npm run step -- <engine> [<n>] [--track <track>]');
    return 2;
  }
  const name = rest[0]!;
  const isReference = (ENGINES as readonly string[]).includes(name);
  await loadLearners();
  const track = trackNamed(t >= 0 ? (argv[t + 1] ?? '') : isReference ? name : learnerNamed(name).track);
  const n = rest[1] === undefined ? track.steps.length : Number(rest[1]);
  if (!Number.isInteger(n) || n < 1 || n > track.steps.length) {
    console.error(`the ${track.name} track has steps 1 to ${track.steps.length}`);
    return 2;
  }
  const typeErrors = !isReference && !argv.includes('--no-typecheck') ? reportTypeErrors(name) : 0;
  const results = runChecks(checksUpTo(track, n), subjectFor(name));
  console.log(formatResults(track, results));
  const failed = results.filter((r) => !r.ok).length;
  const next = nextStep(track, results);
  console.log(
    failed === 0
      ? `\n${name}: steps 1..${n} pass.${n < track.steps.length ? ` Next: npm run step -- ${name} ${n + 1}` : ` The track is done: npm run grade -- ${name}`}`
      : `\n${name}: ${failed} of ${results.length} checks fail; start with step ${next}.`,
  );
  if (typeErrors > 0)
    console.log(`${name}: and ${typeErrors} type error(s), printed first: fix them too, or npm test fails.`);
  return failed === 0 && typeErrors === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(2);
  },
);
