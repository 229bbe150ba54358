/**
 * inspect.ts: the JSON pictures engines return from inspect(), one type per engine.
 *
 * Each is a plain JSON object whose `engine` field says which shape it has; the site draws
 * them directly and the CLI prints them.
 */
import type { SnapshotInspect } from './snapshot/inspect.js';
import type { BitcaskInspect } from './bitcask/inspect.js';
import type { BtreeInspect } from './btree/inspect.js';
import type { LsmInspect } from './lsm/inspect.js';

export type { SnapshotInspect, BitcaskInspect, BtreeInspect, LsmInspect };

/** Any engine's inspect() picture. */
export type EngineSnapshot = SnapshotInspect | BitcaskInspect | BtreeInspect | LsmInspect;

/** A file as inspect() shows it: name, size, and what the engine calls it. */
export interface FileInfo {
  name: string;
  size: number;
  role: string;
}
