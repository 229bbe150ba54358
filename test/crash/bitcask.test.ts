import { crashSuite } from './suite.js';

// Tiny files and a low merge threshold, so crashes land in rollovers and automatic merges too.
crashSuite('bitcask', { maxFileBytes: 256, mergeMinDeadBytes: 512, mergeDeadRatio: 0.4 });
