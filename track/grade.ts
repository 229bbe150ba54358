/**
 * grade.ts: `npm run grade -- <name>` grades an engine: its track's step checks, the
 * project's conformance, model and crash suites, the grader's own model and crash tests
 * (which shrink a failure to the shortest operation sequence and name the crash point), and
 * a short benchmark beside the four reference engines. Prints a report card.
 *
 *   npm run grade -- <name> [--track <t>] [--from <dir>] [--no-suites] [--no-bench]
 *
 * A registered learner's folder is typechecked first (--no-typecheck skips it); type errors fail
 * the grade, as they would fail `npm test`.
 * --from <dir> grades the engine in <dir>/index.ts under <name> without registering it.
 */
import { ENGINES } from '../engines/index.js';
import { runChecks } from './check.js';
import { resolve } from 'node:path';
import { learnerNamed, loadEngineFrom, loadLearners } from './learners.js';
import { subjectFor } from './subject.js';
import { trackNamed } from './tracks.js';
import { reportTypeErrors } from './typecheck.js';
import { benchOne } from './grade/bench.js';
import { formatCard, passed, type Grade } from './grade/card.js';
import { CRASH_MODES, crashSearch } from './grade/crash-search.js';
import { modelSearch } from './grade/model-search.js';
import { runSuites } from './grade/run-suites.js';

/** The command line; returns the exit code. */
async function main(argv: string[]): Promise<number> {
  const t = argv.indexOf('--track');
  const f = argv.indexOf('--from');
  const from = f >= 0 ? resolve(argv[f + 1] ?? '') : undefined;
  const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--track' && argv[i - 1] !== '--from');
  if (names.length !== 1) {
    console.error('usage: npm run grade -- <engine> [--track <track>] [--from <dir>] [--no-suites] [--no-bench]');
    return 2;
  }
  const name = names[0]!;
  await loadLearners();
  if (from) await loadEngineFrom(name, from);
  const isReference = (ENGINES as readonly string[]).includes(name);
  const track = trackNamed(
    t >= 0 ? (argv[t + 1] ?? '') : isReference ? name : from ? 'bitcask' : learnerNamed(name).track,
  );
  const typeErrors = !isReference && !from && !argv.includes('--no-typecheck') ? reportTypeErrors(name) : 0;
  const subject = subjectFor(name);
  const tuning = track.tuning as Record<string, unknown>;
  const say = (s: string) => process.stderr.write(`${s}\n`);
  say(`grading ${name}: the ${track.name} track's step checks...`);
  const steps = runChecks(track.checks, subject);
  say('the conformance, model and crash suites (vitest)...');
  const suites = argv.includes('--no-suites') ? [] : runSuites(name, tuning, from);
  say('the model test, shrinking any failure...');
  const model = modelSearch(subject, tuning);
  const crashes = CRASH_MODES.map((mode) => {
    say(`the crash test: ${mode}...`);
    return crashSearch(subject, tuning, mode);
  });
  if (!argv.includes('--no-bench')) say('the benchmark...');
  const bench = argv.includes('--no-bench')
    ? []
    : [name, ...ENGINES.filter((e) => e !== name)].map((e) => benchOne(subjectFor(e)));
  const grade: Grade = { engine: name, track, steps, suites, model, crashes, bench };
  console.log(formatCard(grade));
  const ok =
    passed(grade) ||
    (argv.includes('--no-suites') &&
      suites.length === 0 &&
      passed({ ...grade, suites: [{ suite: 'skipped', title: '', ok: true }] }));
  if (typeErrors > 0)
    console.log(`\n${name}: ${typeErrors} type error(s), printed before the card: npm test would fail on them.`);
  const okTyped = ok && typeErrors === 0;
  console.log(
    okTyped ? `\n${name}: every test passes.` : `\n${name}: not yet; the first FAIL above is the place to start.`,
  );
  return okTyped ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(2);
  },
);
