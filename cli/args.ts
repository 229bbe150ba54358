/**
 * args.ts: parses the `kv` command line.
 *
 *   kv [flags] <engine> <dir> [command [arguments...]]
 *
 * Flags may come anywhere (before or after the command); `--` ends them, so a key that
 * starts with `-` can follow it. Parsing is pure: it returns what was asked, or throws
 * UsageError with a message that says what to type instead.
 */
import { UsageError } from './status.js';
import { STRATEGIES } from '../engines/lsm/compaction-strategy.js';

/** What the command line asked for. */
export interface ParsedArgs {
  engine?: string;
  dir?: string;
  /** The command and its arguments; absent means the interactive shell. */
  command?: string;
  args: string[];
  help: boolean;
  /** --json: machine-readable output (stats, inspect, scan, dump, check). */
  json: boolean;
  /** --hex: annotated hexdumps in `dump`. */
  hex: boolean;
  /** --trace: print the trace events of the command. */
  trace: boolean;
  /** --color / --no-color; undefined means decide from the terminal and NO_COLOR. */
  colour?: boolean;
  /** --limit N for scan. */
  limit?: number;
  /** --reverse for scan. */
  reverse: boolean;
  /** -o name=value: engine tuning options (StoreOptions fields). */
  options: Record<string, number | boolean | string>;
}

/** Boolean flags and the field each sets. */
const SWITCHES: Record<string, (p: ParsedArgs) => void> = {
  '--help': (p) => (p.help = true),
  '-h': (p) => (p.help = true),
  '--json': (p) => (p.json = true),
  '--hex': (p) => (p.hex = true),
  '--trace': (p) => (p.trace = true),
  '--color': (p) => (p.colour = true),
  '--colour': (p) => (p.colour = true),
  '--no-color': (p) => (p.colour = false),
  '--no-colour': (p) => (p.colour = false),
  '--reverse': (p) => (p.reverse = true),
};

/** StoreOptions fields that are not tuning and cannot be set from the command line. */
const NOT_TUNING = new Set(['dir', 'fs', 'trace']);

/** Parses a whole number >= 0 for a flag, or throws UsageError. */
export function parseCount(flag: string, s: string | undefined): number {
  if (s === undefined || !/^\d+$/.test(s))
    throw new UsageError(`${flag} needs a whole number, not ${s === undefined ? 'nothing' : JSON.stringify(s)}`);
  return Number(s);
}

/** Tuning options whose value is a word, with the words each takes. */
const CHOICES: Record<string, readonly string[]> = { compaction: STRATEGIES };

/** Parses one `name=value` tuning option: a number, true/false, or for a choice (compaction) one of its words. */
export function parseOption(s: string | undefined): [string, number | boolean | string] {
  const m = s === undefined ? null : /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(s);
  if (!m)
    throw new UsageError(
      `-o needs name=value (for example -o pageSize=1024), not ${s === undefined ? 'nothing' : JSON.stringify(s)}`,
    );
  const [, name, raw] = m as unknown as [string, string, string];
  if (NOT_TUNING.has(name)) throw new UsageError(`${name} is not a tuning option`);
  if (raw === 'true' || raw === 'false') return [name, raw === 'true'];
  const words = CHOICES[name];
  if (words) {
    if (!words.includes(raw))
      throw new UsageError(`-o ${name}= needs one of ${words.join(', ')}, not ${JSON.stringify(raw)}`);
    return [name, raw];
  }
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new UsageError(`-o ${name}= needs a number or true/false, not ${JSON.stringify(raw)}`);
  return [name, n];
}

/** Parses argv (without node and the script). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const p: ParsedArgs = { args: [], help: false, json: false, hex: false, trace: false, reverse: false, options: {} };
  const positional: string[] = [];
  let flagsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (flagsDone || !a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    if (a === '--') {
      flagsDone = true;
      continue;
    }
    // --name=value is the same as --name value.
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const take = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    const sw = SWITCHES[name];
    if (sw && inline === undefined) sw(p);
    else if (name === '--limit') p.limit = parseCount('--limit', take());
    else if (name === '-o' || name === '--option') {
      const [k, v] = parseOption(take());
      p.options[k] = v;
    } else throw new UsageError(`unknown flag ${a}; see kv --help (put -- before an argument that starts with -)`);
  }
  // The positional words: engine, dir, command, arguments.
  [p.engine, p.dir, p.command] = positional;
  p.args = positional.slice(3);
  return p;
}
