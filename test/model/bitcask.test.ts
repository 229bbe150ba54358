import { modelSuite } from './suite.js';

// Small files and a low merge threshold, so rollovers and automatic merges happen often.
modelSuite('bitcask', { maxFileBytes: 4096, mergeMinDeadBytes: 8192, mergeDeadRatio: 0.5 });
