import { conformanceSuite } from './suite.js';

conformanceSuite('snapshot');
