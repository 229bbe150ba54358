/**
 * index.ts: the workbench adapter for the B+tree engine (engines/btree/): the page cache in
 * memory; btree.db as a strip of fixed-size pages on disk; and a structure picture of the tree
 * of pages, the page map, the meta pages and the shutdown flag (structure.ts).
 */
import type { EngineAdapter } from '../../adapter.js';
import { btreeLiveRecords, btreeMemory } from './memory.js';
import { btreeFocus, describeBtree } from './captions.js';
import { btreeFileFields, btreeFileRole } from './fields.js';
import { BTREE_SCENARIOS } from './scenarios.js';
import { btreeStructure } from './structure.js';

export const btreeAdapter: EngineAdapter = {
  engine: 'btree',
  defaultOptions: { pageSize: 512, cachePages: 8 },
  memory: btreeMemory,
  focusKey: btreeFocus,
  fileFields: btreeFileFields,
  fileRole: btreeFileRole,
  liveRecords: btreeLiveRecords,
  describe: describeBtree,
  scenarios: BTREE_SCENARIOS,
  structure: { title: 'The tree of pages: in memory or only on disk', model: btreeStructure },
};
