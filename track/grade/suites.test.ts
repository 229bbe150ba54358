/**
 * suites.test.ts: the project's own conformance, model and crash suites on the engine named
 * by GRADE_ENGINE (a learner's, registered from yours/registry.json, or a reference one),
 * or loaded from GRADE_ENGINE_DIR, with the JSON tuning in GRADE_TUNING. Run by the grader (run-suites.ts), never by npm test.
 */
import type { EngineName, StoreOptions } from '../../engines/index.js';
import { conformanceSuite } from '../../test/conformance/suite.js';
import { modelSuite } from '../../test/model/suite.js';
import { crashSuite } from '../../test/crash/suite.js';
import { loadEngineFrom, loadLearners } from '../learners.js';

await loadLearners();
const engine = (process.env.GRADE_ENGINE ?? 'bitcask') as EngineName;
// An engine outside yours/ (the grader's --from <dir>), registered under its name.
if (process.env.GRADE_ENGINE_DIR) await loadEngineFrom(engine, process.env.GRADE_ENGINE_DIR);
const tuning = JSON.parse(process.env.GRADE_TUNING ?? '{}') as Partial<StoreOptions>;

conformanceSuite(engine, tuning);
modelSuite(engine, tuning, { ops: 5000 });
crashSuite(engine, tuning, { points: 100 });
