import { modelSuite } from './suite.js';

// Small memtables, blocks and levels, so flushes, level-0 and deeper compactions happen often.
modelSuite('lsm', {
  memtableBytes: 2048,
  blockBytes: 256,
  level1Bytes: 8192,
  levelSizeMultiplier: 4,
  targetFileBytes: 2048,
});
