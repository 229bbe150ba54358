import { levelSuite } from './suite.js';

levelSuite('btree');
