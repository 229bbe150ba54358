import { levelSuite } from './suite.js';

levelSuite('snapshot');
