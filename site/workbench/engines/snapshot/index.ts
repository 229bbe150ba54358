/**
 * index.ts: the workbench adapter for the snapshot engine (engines/snapshot/): the dict in
 * memory, snapshot.db (and snapshot.db.tmp while a save runs) on disk.
 */
import type { EngineAdapter } from '../../adapter.js';
import { snapshotMemory } from './memory.js';
import { describeSnapshot, snapshotFocus } from './captions.js';
import { snapshotFileFields, snapshotFileRole } from './fields.js';
import { SNAPSHOT_SCENARIOS } from './scenarios.js';

export const snapshotAdapter: EngineAdapter = {
  engine: 'snapshot',
  defaultOptions: {},
  memory: snapshotMemory,
  focusKey: snapshotFocus,
  fileFields: snapshotFileFields,
  fileRole: snapshotFileRole,
  describe: describeSnapshot,
  scenarios: SNAPSHOT_SCENARIOS,
};
