/**
 * history.ts: the shell's history file, so lines typed in one session can be recalled with
 * the arrow keys in the next (as sqlite3's ~/.sqlite_history).
 *
 * The file is $KV_HISTORY, or ~/.kv_history; KV_HISTORY set to the empty string turns
 * saving off. One line per entry, oldest first; at most MAX_HISTORY lines are kept.
 */
import * as nfs from 'node:fs';
import * as nos from 'node:os';
import * as npath from 'node:path';

/** The most lines kept. */
export const MAX_HISTORY = 1000;

/** The history file's path, or undefined when history is not saved. */
export function historyPath(env: Record<string, string | undefined>): string | undefined {
  if (env.KV_HISTORY !== undefined) return env.KV_HISTORY === '' ? undefined : env.KV_HISTORY;
  return npath.join(nos.homedir(), '.kv_history');
}

/** The saved lines, oldest first; a missing or unreadable file is an empty history. */
export function loadHistory(path: string | undefined): string[] {
  if (!path) return [];
  try {
    return nfs
      .readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-MAX_HISTORY);
  } catch {
    return [];
  }
}

/** Saves the lines (oldest first), keeping the last MAX_HISTORY. Failing to save is not an error. */
export function saveHistory(path: string | undefined, lines: readonly string[]): void {
  if (!path) return;
  try {
    nfs.writeFileSync(path, lines.slice(-MAX_HISTORY).join('\n') + '\n', { mode: 0o600 });
  } catch {
    // A read-only home directory must not stop the shell from closing the store.
  }
}
