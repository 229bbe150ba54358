/**
 * console-text.ts: how the recorder words what it prints: values and lines cut to a readable
 * length, errors with their codes, what a crash lost from memory, ordinals. No DOM here.
 */
import { KVError } from '../../engines/errors.js';
import { display, fromUtf8 } from '../../engines/bytes.js';
import type { EngineSnapshot } from '../../engines/browser.js';
import { CommandError } from './commands.js';

/** The most characters of a value the console echoes. */
const ECHO_CHARS = 200;

/**
 * What only the engine's memory held, from its picture: the snapshot's writes since its last
 * save, the B+tree's dirty pages. (Bitcask and the LSM write every change to a file at once:
 * their unsynced writes are among the disk writes above.)
 */
export function memoryOnly(s: EngineSnapshot): string | undefined {
  if (s.engine === 'snapshot' && s.unsaved > 0)
    return `${s.unsaved} write${s.unsaved === 1 ? '' : 's'} held only in the dict (not yet saved)`;
  if (s.engine === 'btree') {
    const dirty = s.cache.pages.filter((p) => p.dirty).length;
    if (dirty > 0) return `${dirty} dirty page${dirty === 1 ? '' : 's'} held only in the cache (not yet written)`;
  }
  return undefined;
}

/** 2 → "2nd", 3 → "3rd"... */
export function ordinal(n: number): string {
  const s =
    n % 100 >= 11 && n % 100 <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th');
  return `${n}${s}`;
}

/** A command line as the console echoes it: long lines cut. */
export function echo(line: string): string {
  return clip(line.trim());
}

/** Text cut to ECHO_CHARS characters, saying how much was cut. */
export function clip(s: string): string {
  return s.length > ECHO_CHARS ? `${s.slice(0, ECHO_CHARS)}… (${s.length - ECHO_CHARS} more characters)` : s;
}

/** A value for the console: its text if UTF-8, else hex. */
export function valueText(v: Uint8Array): string {
  try {
    return fromUtf8(v);
  } catch {
    return display(v, 200);
  }
}

/** An error as the console shows it. */
export function errorText(e: unknown): string {
  if (e instanceof KVError) return `${e.code}: ${e.message}`;
  if (e instanceof CommandError) return e.message;
  return e instanceof Error ? e.message : String(e);
}
