import { modelSuite } from './suite.js';

// 512-byte pages and a tiny cache: the model's 400 keys make a tree of several levels.
modelSuite('btree', { pageSize: 512, cachePages: 16, dirtyPageBudget: 8 });
