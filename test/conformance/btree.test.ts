import { conformanceSuite } from './suite.js';

// Small pages, a small cache and a small dirty budget: splits, merges, evictions and
// automatic commits all happen within the suite's few keys.
conformanceSuite('btree', { pageSize: 512, cachePages: 8, dirtyPageBudget: 6 });
