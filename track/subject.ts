/**
 * subject.ts: the engine a step check, the grader or the protocol runs on: a name and a way
 * to open it on a file system. Checks see only the KVStore contract and the FileSystem, so
 * the same checks run on a reference engine and on a learner's.
 */
import { openStore } from '../engines/index.js';
import type { EngineName, FileSystem, KVStore, StoreOptions } from '../engines/index.js';

/** Options a check passes when it opens the subject: always a file system and a directory. */
export type OpenOptions = Partial<StoreOptions> & { fs: FileSystem; dir: string };

/** An engine under test. */
export interface Subject {
  /** Its name: a reference engine's, or a learner's registered one. */
  name: string;
  /** Opens (and recovers) a store; the check's options override the subject's tuning. */
  open(options: OpenOptions): KVStore;
}

/** A subject for a registered engine name (reference or learner), with `tuning` under every open. */
export function subjectFor(name: string, tuning: Partial<StoreOptions> = {}): Subject {
  return { name, open: (o) => openStore(name as EngineName, { ...tuning, ...o }) };
}
