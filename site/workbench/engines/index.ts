/**
 * index.ts: the workbench adapter for each engine the site can show.
 */
import { registeredEngines, type EngineName } from '../../../engines/browser.js';
import { genericAdapter } from './generic.js';
import type { EngineAdapter } from '../adapter.js';
import { snapshotAdapter } from './snapshot/index.js';
import { bitcaskAdapter } from './bitcask/index.js';
import { btreeAdapter } from './btree/index.js';
import { lsmAdapter } from './lsm/index.js';

const ADAPTERS: Partial<Record<EngineName, EngineAdapter>> = {
  snapshot: snapshotAdapter,
  bitcask: bitcaskAdapter,
  btree: btreeAdapter,
  lsm: lsmAdapter,
};

/** The engines the workbench can show (a shared link may name only these). */
export const ENGINE_NAMES: readonly string[] = Object.keys(ADAPTERS);

/** The adapter for `engine` (a generic one for an engine registered at run time, as a learner's is), or an error naming the engines the workbench can show. */
export function adapterFor(engine: string): EngineAdapter {
  if (registeredEngines().includes(engine)) return genericAdapter(engine);
  const a = ADAPTERS[engine as EngineName];
  if (!a)
    throw new Error(
      `the workbench cannot show the ${engine} engine yet; it can show ${Object.keys(ADAPTERS).join(', ')}`,
    );
  return a;
}
