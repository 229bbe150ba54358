import { conformanceSuite } from './suite.js';

conformanceSuite('bitcask');
