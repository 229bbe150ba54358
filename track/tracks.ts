/**
 * tracks.ts: the build-your-own tracks, one per engine family. A track is a list of steps,
 * each with a page under lessons/build/<track>/ and checks (check.ts) that fail until the
 * step is done; `methods` names the KVStore methods the scaffold leaves for that step.
 */
import type { StoreOptions } from '../engines/index.js';
import type { Check } from './check.js';
import { BITCASK } from './bitcask/index.js';
import { SNAPSHOT } from './snapshot/index.js';
import { BTREE } from './btree/index.js';
import { LSM } from './lsm/index.js';

/** One step of a track. */
export interface Step {
  n: number;
  /** The page's file name without .mdx, under lessons/build/<track>/. */
  slug: string;
  title: string;
  /** The contract methods the scaffold says are written in this step. */
  methods: string[];
}

/** A track: its steps, their checks, and the reference engine they pass on. */
export interface Track {
  name: string;
  title: string;
  /** The reference engine in engines/ that passes every step. */
  reference: string;
  steps: Step[];
  checks: Check[];
  /** Options the grader opens the engine with, so its suites reach rollovers, splits or flushes with few keys. */
  tuning: Partial<StoreOptions>;
}

/** Every track, by name. */
export const TRACKS: Record<string, Track> = { snapshot: SNAPSHOT, bitcask: BITCASK, btree: BTREE, lsm: LSM };

/** The track `name`, or a clear error listing the tracks. */
export function trackNamed(name: string): Track {
  const t = TRACKS[name];
  if (!t)
    throw new Error(`there is no ${JSON.stringify(name)} track; the tracks are ${Object.keys(TRACKS).join(', ')}`);
  return t;
}

/** The checks of steps 1..n of `track`. */
export function checksUpTo(track: Track, n: number): Check[] {
  return track.checks.filter((c) => c.step <= n);
}

/** The site path of a step's page. */
export function stepPage(track: Track, step: Step): string {
  return `/build/${track.name}/${step.slug}/`;
}
