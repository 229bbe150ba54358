/**
 * index.ts: the workbench adapter for the LSM-tree engine (engines/lsm/): the memtable (and
 * the frozen one during a flush) in memory; the log, SSTables, manifest and CURRENT on disk;
 * and a structure picture of the memtable, the log and the levels on one key axis, with what a
 * get or scan did with each table (structure.ts).
 */
import type { EngineAdapter } from '../../adapter.js';
import { lsmMemory } from './memory.js';
import { describeLsm, lsmFocus } from './captions.js';
import { lsmFileFields, lsmFileRole } from './fields.js';
import { LSM_SCENARIOS } from './scenarios.js';
import { lsmStructure } from './structure.js';

export const lsmAdapter: EngineAdapter = {
  engine: 'lsm',
  // logBufferBytes 0: each put's log record is written at once, as the lesson steps through it.
  defaultOptions: {
    memtableBytes: 256,
    blockBytes: 96,
    l0CompactionTrigger: 2,
    level1Bytes: 1024,
    targetFileBytes: 512,
    logBufferBytes: 0,
  },
  memory: lsmMemory,
  focusKey: lsmFocus,
  fileFields: lsmFileFields,
  fileRole: lsmFileRole,
  describe: describeLsm,
  scenarios: LSM_SCENARIOS,
  structure: { title: 'Memtable, log and levels: where every key is', model: lsmStructure },
};
