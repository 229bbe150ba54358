import { crashSuite } from './suite.js';

// Size-tiered compaction (fewer points than the leveled run, to keep npm test short) with a tiny memtable, so crashes land in tiered merges and their manifest edits too.
crashSuite(
  'lsm',
  { compaction: 'tiered', memtableBytes: 256, blockBytes: 128, tieredMinThreshold: 2, tieredMaxRuns: 3 },
  { points: 120 },
);
