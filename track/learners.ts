/**
 * learners.ts: the learners' engines. Each lives in yours/<name>/index.ts (made by
 * `npm run new-engine -- <name>`) and is listed in yours/registry.json with its track;
 * loadLearners() imports them and registers each with the engine registry, so openStore(),
 * describeFile(), the step runner and the grader find them by name.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { registerEngine } from '../engines/index.js';
import type { RegisteredEngine } from '../engines/index.js';
import { traced } from './traced.js';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where learners' engines live. */
export const YOURS = join(ROOT, 'yours');
/** The list of learners' engines. */
export const REGISTRY = join(YOURS, 'registry.json');

/** One registered learner engine. */
export interface LearnerEntry {
  name: string;
  track: string;
}

/** The registry's entries (an absent file is an empty list). */
export function readRegistry(): LearnerEntry[] {
  if (!existsSync(REGISTRY)) return [];
  const parsed = JSON.parse(readFileSync(REGISTRY, 'utf8')) as { engines?: LearnerEntry[] };
  return parsed.engines ?? [];
}

/** Writes the registry's entries, sorted by name. */
export function writeRegistry(entries: LearnerEntry[]): void {
  const engines = [...entries].sort((a, b) => a.name.localeCompare(b.name));
  writeFileSync(REGISTRY, `${JSON.stringify({ engines }, null, 2)}\n`);
}

/** Imports the engine module in `dir` (its index.ts) and registers it under `name`. */
export async function loadEngineFrom(name: string, dir: string): Promise<void> {
  const mod = (await import(pathToFileURL(join(dir, 'index.ts')).href)) as Partial<RegisteredEngine>;
  if (typeof mod.open !== 'function') throw new Error(`${join(dir, 'index.ts')} must export a function open(options)`);
  // traced(): op and io events for the workbench when a store is opened with a trace listener.
  registerEngine(name, { open: traced(name, mod.open), ...(mod.describe ? { describe: mod.describe } : {}) });
}

/** Imports and registers every engine in yours/registry.json; returns their entries. */
export async function loadLearners(): Promise<LearnerEntry[]> {
  const entries = readRegistry();
  for (const e of entries) await loadEngineFrom(e.name, join(YOURS, e.name));
  return entries;
}

/** The entry of learner engine `name`, or an error saying how to make one. */
export function learnerNamed(name: string): LearnerEntry {
  const e = readRegistry().find((x) => x.name === name);
  if (!e)
    throw new Error(
      `no engine ${JSON.stringify(name)} in yours/registry.json; make one with npm run new-engine -- ${name} [--track bitcask]`,
    );
  return e;
}
