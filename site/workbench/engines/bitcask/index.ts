/**
 * index.ts: the workbench adapter for the Bitcask engine (engines/bitcask/): the keydir in
 * memory; data files (records), hint files and the MANIFEST on disk. A record is live when
 * the keydir points at it; the rest are dead bytes a merge reclaims.
 */
import type { EngineAdapter } from '../../adapter.js';
import { bitcaskLiveRecords, bitcaskMemory } from './memory.js';
import { bitcaskFocus, describeBitcask } from './captions.js';
import { bitcaskFileFields, bitcaskFileRole } from './fields.js';
import { BITCASK_SCENARIOS } from './scenarios.js';

export const bitcaskAdapter: EngineAdapter = {
  engine: 'bitcask',
  // readCacheBytes 0: no values in memory, as the lesson says (and each get's one read shows).
  defaultOptions: { maxFileBytes: 512, readCacheBytes: 0 },
  memory: bitcaskMemory,
  focusKey: bitcaskFocus,
  fileFields: bitcaskFileFields,
  fileRole: bitcaskFileRole,
  liveRecords: bitcaskLiveRecords,
  describe: describeBitcask,
  scenarios: BITCASK_SCENARIOS,
};
