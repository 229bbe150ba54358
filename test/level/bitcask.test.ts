import { levelSuite } from './suite.js';

levelSuite('bitcask');
