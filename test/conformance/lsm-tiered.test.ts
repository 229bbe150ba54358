import { conformanceSuite } from './suite.js';

// The lsm engine with size-tiered compaction: a small memtable and a low threshold, so runs merge often with few keys.
conformanceSuite('lsm', {
  compaction: 'tiered',
  memtableBytes: 1024,
  blockBytes: 256,
  tieredMinThreshold: 2,
  tieredMaxRuns: 4,
});
