/**
 * subjects.ts: every subject by name: our engines, the native peers, and the two limits.
 */
import type { Subject } from './adapter.js';
import { ENGINES, type EngineName } from '../engines/kv.js';
import { engineSubject } from './adapters/engine.js';
import { classicLevelSubject } from './adapters/classic-level.js';
import { lmdbSubject } from './adapters/lmdb.js';
import { mapSubject } from './adapters/map.js';
import { appendSubject } from './adapters/append.js';
import type { SubjectKind } from './adapter.js';

/** The subject called `name`; throws for an unknown name. */
export function subjectByName(name: string): Subject {
  if ((ENGINES as readonly string[]).includes(name)) return engineSubject(name as EngineName);
  if (name === 'classic-level') return classicLevelSubject();
  if (name === 'lmdb') return lmdbSubject();
  if (name === 'limit-map') return mapSubject();
  if (name === 'limit-append') return appendSubject();
  throw new Error(`unknown subject ${JSON.stringify(name)}`);
}

/** The kind of the subject called `name`, without loading it. */
export function kindOf(name: string): SubjectKind {
  if ((ENGINES as readonly string[]).includes(name)) return 'engine';
  return name.startsWith('limit-') ? 'limit' : 'peer';
}
