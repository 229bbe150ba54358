/**
 * flags.ts: the flags a `kv` command takes, typed after it at the prompt or given on the
 * command line: --json, --hex, --reverse, --limit n; `--` ends them.
 */
import { parseCount } from './args.js';
import type { Word } from './literal.js';
import { UsageError } from './status.js';

/** Flags a command may take (from the command line, or typed after it at the prompt). */
export interface Flags {
  json: boolean;
  hex: boolean;
  reverse: boolean;
  limit?: number;
}

/** Splits flags out of words typed at the prompt: --json, --hex, --reverse, --limit n. `--` ends flags. */
export function takeFlags(words: Word[]): { args: Word[]; flags: Flags } {
  const flags: Flags = { json: false, hex: false, reverse: false };
  const args: Word[] = [];
  let done = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (done || w.quoted || !w.text.startsWith('--')) {
      args.push(w);
      continue;
    }
    const [name, inline] = w.text.includes('=')
      ? [w.text.slice(0, w.text.indexOf('=')), w.text.slice(w.text.indexOf('=') + 1)]
      : [w.text, undefined];
    if (name === '--') done = true;
    else if (name === '--json' && inline === undefined) flags.json = true;
    else if (name === '--hex' && inline === undefined) flags.hex = true;
    else if (name === '--reverse' && inline === undefined) flags.reverse = true;
    else if (name === '--limit') flags.limit = parseCount('--limit', inline ?? words[++i]?.text);
    else throw new UsageError(`unknown flag ${w.text} (quote a key that starts with --, or put -- before it)`);
  }
  return { args, flags };
}
