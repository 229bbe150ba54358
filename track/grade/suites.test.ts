/**
 * suites.test.ts: the project's own conformance, model and crash suites on the engine named
 * by GRADE_ENGINE (a learner's, registered from yours/registry.json, or a reference one),
 * with the JSON tuning in GRADE_TUNING. Run by the grader (run-suites.ts), never by npm test.
 */
import type { EngineName, StoreOptions } from '../../engines/index.js';
import { conformanceSuite } from '../../test/conformance/suite.js';
import { modelSuite } from '../../test/model/suite.js';
import { crashSuite } from '../../test/crash/suite.js';
import { loadLearners } from '../learners.js';

await loadLearners();
const engine = (process.env.GRADE_ENGINE ?? 'bitcask') as EngineName;
const tuning = JSON.parse(process.env.GRADE_TUNING ?? '{}') as Partial<StoreOptions>;

conformanceSuite(engine, tuning);
modelSuite(engine, tuning, { ops: 5000 });
crashSuite(engine, tuning, { points: 100 });
