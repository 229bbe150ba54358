/**
 * events.ts: the snapshot engine's trace events.
 *
 *   snapshot.set     a key was set in the in-memory dict (nothing is written yet)
 *   snapshot.delete  a key was removed from the dict
 *   snapshot.save    a save step: `write` the temp file, `sync` it, `rename` it over the
 *                    live file, `done` (after the directory sync)
 *   snapshot.load    open read the live file back into the dict
 *   snapshot.clean   open removed a temp file left by a save that a crash interrupted
 */

/** Why a save ran. */
export type SaveReason = 'sync' | 'close' | 'autosave' | 'compact';

export type SnapshotEvent =
  | { type: 'snapshot.set'; key: string; value: string; keys: number; unsaved: number }
  | { type: 'snapshot.delete'; key: string; existed: boolean; keys: number; unsaved: number }
  | {
      type: 'snapshot.save';
      step: 'write' | 'sync' | 'rename' | 'done';
      reason: SaveReason;
      file: string;
      keys: number;
      bytes: number;
    }
  | { type: 'snapshot.load'; file: string; keys: number; bytes: number }
  | { type: 'snapshot.clean'; file: string };
