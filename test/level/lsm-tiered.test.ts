import { levelSuite } from './suite.js';

// Size-tiered compaction at tiny tuning only: its low thresholds make the suite's writes merge
// runs, while at default tuning (4 MiB memtable) the suite never fills one, so nothing is new.
levelSuite('lsm', { compaction: 'tiered', tieredMinThreshold: 2, tieredMaxRuns: 3 }, ['tiny']);
