import { modelSuite } from './suite.js';

// Size-tiered compaction (fewer ops than the leveled run, to keep npm test short) with small memtables and blocks, so buckets fill and merge (and the run bound fires) often.
modelSuite(
  'lsm',
  { compaction: 'tiered', memtableBytes: 2048, blockBytes: 256, tieredMinThreshold: 3, tieredMaxRuns: 5 },
  { ops: 6000 },
);
