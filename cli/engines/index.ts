/**
 * index.ts: the engine CLI modules by engine name. An engine without one here cannot be
 * dumped or checked yet (the other commands work on every engine the registry opens).
 */
import type { EngineName } from '../../engines/kv.js';
import { snapshotTools } from './snapshot.js';
import { bitcaskTools } from './bitcask.js';
import { lsmTools } from './lsm.js';
import { btreeTools } from './btree.js';
import type { EngineTools } from './types.js';

/** The dump/check module of each engine that has one. */
export const TOOLS: Partial<Record<EngineName, EngineTools>> = {
  snapshot: snapshotTools,
  bitcask: bitcaskTools,
  btree: btreeTools,
  lsm: lsmTools,
};

/** The module for `engine`, or undefined if `dump` and `check` do not know it yet. */
export function toolsFor(engine: EngineName): EngineTools | undefined {
  return TOOLS[engine];
}
