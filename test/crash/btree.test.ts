import { crashSuite } from './suite.js';

// 512-byte pages and a budget of 4 dirty pages: commits happen inside the workloads too.
crashSuite('btree', { pageSize: 512, cachePages: 8, dirtyPageBudget: 4 });
