import { crashSuite } from './suite.js';

// A tiny memtable and levels, so crashes land in flushes, compactions and manifest edits too.
crashSuite('lsm', {
  memtableBytes: 256,
  blockBytes: 128,
  l0CompactionTrigger: 2,
  level1Bytes: 1024,
  levelSizeMultiplier: 2,
  targetFileBytes: 512,
});
