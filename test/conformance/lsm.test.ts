import { conformanceSuite } from './suite.js';

// A small memtable, blocks and levels, so flushes, multi-block tables and compactions happen with few keys.
conformanceSuite('lsm', { memtableBytes: 1024, blockBytes: 256, level1Bytes: 4096, targetFileBytes: 2048 });
