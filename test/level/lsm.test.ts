import { levelSuite } from './suite.js';

levelSuite('lsm');
