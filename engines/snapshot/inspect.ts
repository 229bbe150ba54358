/**
 * inspect.ts: the snapshot engine's picture of itself.
 */
import type { FileInfo } from '../inspect.js';

/** The snapshot engine's inspect() result. */
export interface SnapshotInspect {
  engine: 'snapshot';
  /** The dict, sorted by key (at most `shown` entries; `keys` says how many there are). */
  dict: { key: string; value: string; keyBytes: number; valueBytes: number }[];
  keys: number;
  /** Writes since the last save: what a crash now would lose. */
  unsaved: number;
  /** Saves since open. */
  saves: number;
  files: FileInfo[];
}
