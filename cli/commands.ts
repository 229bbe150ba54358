/**
 * commands.ts: the commands `kv` runs, at the prompt and from the command line, with the
 * exit status each returns (see status.ts).
 *
 * One table describes every command: its name, usage, one-line summary, whether it writes
 * (a read-only command run from the command line refuses a directory that does not exist,
 * so a typo never creates an empty store), and where it works (the prompt, the command
 * line, or both). runCommand() runs one, printing results to the session's output and
 * any error as one clear line; it never throws.
 */
import { isKVError } from '../engines/errors.js';
import type { Range } from '../engines/kv.js';
import { type Word, splitWords, showBytes } from './literal.js';
import { EXIT_NOT_FOUND, EXIT_OK, UsageError, messageOf, statusOf } from './status.js';
import { parseBatchOps, parseBatchText } from './batch-ops.js';
import { takeFlags, type Flags } from './flags.js';
import type { Session } from './session.js';
import { renderStats, renderInspect } from './report.js';
import { renderDump, dumpJson } from './dump.js';
import { renderCheck, checkStatus } from './check.js';
import { toolsFor } from './engines/index.js';
import type { EngineTools } from './engines/types.js';

/** What running a line did: its exit status, and whether the prompt should end. */
export interface Outcome {
  status: number;
  exit?: boolean;
}

/** One command. */
interface Command {
  name: string;
  aliases?: string[];
  usage: string;
  summary: string;
  /** Changes the store (so it may create the directory). */
  writes: boolean;
  /** Where it can be used. */
  where: 'both' | 'prompt' | 'line';
  run(s: Session, args: Word[], flags: Flags): number;
}

/** Throws UsageError unless `args` has between `min` and `max` words. */
function arity(c: Command, args: Word[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const hint = c.name === 'put' && args.length > 2 ? '; quote a value with spaces: put k "two words"' : '';
    const count = min === max ? `${min} argument${min === 1 ? '' : 's'}` : `${min} to ${max} arguments`;
    const said =
      max === 0
        ? 'takes no arguments'
        : args.length < min
          ? `needs ${count}`
          : min === max
            ? `takes ${count}`
            : `takes at most ${max} argument${max === 1 ? '' : 's'}`;
    throw new UsageError(`${c.name} ${said}: ${c.usage}${hint}`);
  }
}

/** Prints a short acknowledgement at the prompt (scripts on the command line get silence). */
function ack(s: Session, text: string): void {
  if (s.chatty) s.output.out(s.output.paint('dim', text));
}

/** Prints a JSON value indented by two spaces, one output line per line of text. */
function printJson(s: Session, v: unknown): void {
  for (const line of JSON.stringify(v, null, 2).split('\n')) s.output.out(line);
}

/** The engine's dump/check module, or an error saying it is not there yet. */
function tools(s: Session, what: string): EngineTools {
  const t = toolsFor(s.engine);
  if (!t) throw new Error(`${what} does not know how to read the ${s.engine} engine's files yet`);
  return t;
}

/**
 * Runs `f` on the store's files. When this session has not opened the store, the directory
 * lock is taken for the duration, so no writer changes the files under the reader.
 */
function onFiles<T>(s: Session, f: () => T): T {
  if (!s.fs.exists(s.dir)) throw new Error(`no store at ${s.dir}: the directory does not exist`);
  if (s.isOpen) {
    if (s.chatty)
      s.output.err(
        s.output.errPaint(
          'gray',
          '(reading the files as they are on disk: writes since the last sync may not be there yet)',
        ),
      );
    return f();
  }
  const lock = s.fs.lock(s.dir);
  try {
    return f();
  } finally {
    lock.release();
  }
}

/** The commands, in the order help lists them. */
export const COMMANDS: Command[] = [
  {
    name: 'put',
    usage: 'put <key> <value>',
    summary: 'set a key to a value',
    writes: true,
    where: 'both',
    run(s, args) {
      arity(this, args, 2);
      if (s.pendingBatch) {
        s.pendingBatch.push({ type: 'put', key: args[0]!.bytes, value: args[1]!.bytes });
        ack(s, `(batched: ${s.pendingBatch.length} op${s.pendingBatch.length === 1 ? '' : 's'}; commit to apply)`);
        return EXIT_OK;
      }
      s.store().put(args[0]!.bytes, args[1]!.bytes);
      ack(s, 'ok');
      return EXIT_OK;
    },
  },
  {
    name: 'get',
    usage: 'get <key>',
    summary: 'print the value of a key (exit status 1 if there is none)',
    writes: false,
    where: 'both',
    run(s, args) {
      arity(this, args, 1);
      const v = s.store().get(args[0]!.bytes);
      if (v === undefined) {
        s.output.err(s.output.errPaint('gray', '(not found)'));
        return EXIT_NOT_FOUND;
      }
      s.output.out(showBytes(v));
      return EXIT_OK;
    },
  },
  {
    name: 'delete',
    aliases: ['del', 'rm'],
    usage: 'delete <key>',
    summary: 'remove a key (removing a missing key is fine)',
    writes: true,
    where: 'both',
    run(s, args) {
      arity(this, args, 1);
      if (s.pendingBatch) {
        s.pendingBatch.push({ type: 'delete', key: args[0]!.bytes });
        ack(s, `(batched: ${s.pendingBatch.length} op${s.pendingBatch.length === 1 ? '' : 's'}; commit to apply)`);
        return EXIT_OK;
      }
      s.store().delete(args[0]!.bytes);
      ack(s, 'ok');
      return EXIT_OK;
    },
  },
  {
    name: 'scan',
    usage: 'scan [from] [to] [--limit n] [--reverse] [--json]',
    summary: 'print pairs with from <= key < to, in key order, one "key<TAB>value" per line',
    writes: false,
    where: 'both',
    run(s, args, flags) {
      arity(this, args, 0, 2);
      const range: Range = {};
      if (args[0]) range.gte = args[0].bytes;
      if (args[1]) range.lt = args[1].bytes;
      if (flags.reverse) range.reverse = true;
      if (flags.limit !== undefined) range.limit = flags.limit;
      const pairs: { key: string; value: string }[] = [];
      let n = 0;
      for (const [k, v] of s.store().scan(range)) {
        n++;
        if (flags.json) pairs.push({ key: showBytes(k), value: showBytes(v) });
        else s.output.out(`${showBytes(k)}\t${showBytes(v)}`);
      }
      if (flags.json) printJson(s, pairs);
      else ack(s, `(${n} pair${n === 1 ? '' : 's'})`);
      return EXIT_OK;
    },
  },
  {
    name: 'batch',
    usage: 'batch [put <k> <v> | delete <k>]...',
    summary:
      'apply several ops all or nothing; with no ops, collect them (prompt: until commit; command line: from stdin, one per line)',
    writes: true,
    where: 'both',
    run(s, args) {
      if (s.pendingBatch) throw new UsageError('a batch is already open: commit or abort it first');
      if (args.length === 0) {
        if (s.interactive) {
          s.pendingBatch = [];
          ack(s, '(batch: type put and delete lines, then commit, or abort)');
          return EXIT_OK;
        }
        const ops = parseBatchText(s.readInput());
        if (ops.length === 0)
          throw new UsageError('batch read no ops from stdin (one "put k v" or "delete k" per line)');
        s.store().batch(ops);
        return EXIT_OK;
      }
      const ops = parseBatchOps(args);
      s.store().batch(ops);
      ack(s, `(applied ${ops.length} op${ops.length === 1 ? '' : 's'} as one batch)`);
      return EXIT_OK;
    },
  },
  {
    name: 'commit',
    usage: 'commit',
    summary: 'apply the batch being collected, all or nothing',
    writes: true,
    where: 'prompt',
    run(s, args) {
      arity(this, args, 0);
      const ops = s.pendingBatch;
      if (!ops) throw new UsageError('no batch is open; start one with batch');
      s.pendingBatch = undefined;
      if (ops.length) s.store().batch(ops);
      ack(s, `(applied ${ops.length} op${ops.length === 1 ? '' : 's'} as one batch)`);
      return EXIT_OK;
    },
  },
  {
    name: 'abort',
    usage: 'abort',
    summary: 'drop the batch being collected',
    writes: false,
    where: 'prompt',
    run(s, args) {
      arity(this, args, 0);
      if (!s.pendingBatch) throw new UsageError('no batch is open');
      const n = s.pendingBatch.length;
      s.pendingBatch = undefined;
      ack(s, `(dropped ${n} op${n === 1 ? '' : 's'})`);
      return EXIT_OK;
    },
  },
  {
    name: 'sync',
    usage: 'sync',
    summary: 'make every write so far durable',
    writes: true,
    where: 'both',
    run(s, args) {
      arity(this, args, 0);
      s.store().sync();
      ack(s, 'ok');
      return EXIT_OK;
    },
  },
  {
    name: 'compact',
    usage: 'compact',
    summary: "reclaim space: the engine's merge, compaction or rewrite",
    writes: true,
    where: 'both',
    run(s, args) {
      arity(this, args, 0);
      s.store().compact();
      ack(s, 'ok');
      return EXIT_OK;
    },
  },
  {
    name: 'stats',
    usage: 'stats [--json]',
    summary: 'counters: keys, bytes written and read, syncs, files, memory',
    writes: false,
    where: 'both',
    run(s, args, flags) {
      arity(this, args, 0);
      const st = s.store().stats();
      if (flags.json) printJson(s, st);
      else renderStats(st, s.dir, { paint: s.output.paint }).forEach((l) => s.output.out(l));
      return EXIT_OK;
    },
  },
  {
    name: 'inspect',
    usage: 'inspect [--json]',
    summary: "the engine's picture of its memory and files",
    writes: false,
    where: 'both',
    run(s, args, flags) {
      arity(this, args, 0);
      const pic = s.store().inspect();
      if (flags.json) printJson(s, pic);
      else renderInspect(pic, s.dir, { paint: s.output.paint }).forEach((l) => s.output.out(l));
      return EXIT_OK;
    },
  },
  {
    name: 'dump',
    usage: 'dump [--hex] [--json]',
    summary: "decode every file with the engine's own format code (--hex: annotated bytes)",
    writes: false,
    where: 'both',
    run(s, args, flags) {
      arity(this, args, 0);
      const report = onFiles(s, () => tools(s, 'dump').dump(s.fs, s.dir));
      if (flags.json) printJson(s, dumpJson(report, flags.hex));
      else renderDump(report, { hex: flags.hex, paint: s.output.paint }).forEach((l) => s.output.out(l));
      return EXIT_OK;
    },
  },
  {
    name: 'check',
    usage: 'check [--json]',
    summary: 'verify every checksum and invariant; exit status 0 only for a sound store',
    writes: false,
    where: 'both',
    run(s, args, flags) {
      arity(this, args, 0);
      const report = onFiles(s, () => tools(s, 'check').check(s.fs, s.dir));
      if (flags.json) printJson(s, report);
      else renderCheck(report, s.output.paint).forEach((l) => s.output.out(l));
      return checkStatus(report);
    },
  },
  {
    name: 'trace',
    usage: 'trace on|off',
    summary: 'print every trace event of each command as one line (command line: --trace)',
    writes: false,
    where: 'prompt',
    run(s, args) {
      arity(this, args, 0, 1);
      const w = args[0]?.text;
      if (w === 'on' || w === 'off') s.tracing = w === 'on';
      else if (w !== undefined) throw new UsageError(`trace takes on or off, not ${JSON.stringify(w)}`);
      s.output.out(s.output.paint('dim', `(trace is ${s.tracing ? 'on' : 'off'})`));
      return EXIT_OK;
    },
  },
  {
    name: 'history',
    usage: 'history',
    summary: 'list the lines typed so far (arrow keys recall them)',
    writes: false,
    where: 'prompt',
    run(s, args) {
      arity(this, args, 0);
      s.history.forEach((l, i) => s.output.out(`${String(i + 1).padStart(4)}  ${l}`));
      return EXIT_OK;
    },
  },
  {
    name: 'help',
    aliases: ['?'],
    usage: 'help [command]',
    summary: 'list the commands, or explain one',
    writes: false,
    where: 'both',
    run(s, args) {
      arity(this, args, 0, 1);
      commandHelp(args[0]?.text, s.interactive).forEach((l) => s.output.out(l));
      return EXIT_OK;
    },
  },
  {
    name: 'exit',
    aliases: ['quit', '.exit', '.quit'],
    usage: 'exit',
    summary: 'close the store (which syncs it) and leave (or press Ctrl-D)',
    writes: false,
    where: 'prompt',
    run() {
      return EXIT_OK;
    },
  },
];

/** Finds a command by name or alias. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

/** Every name and alias, for tab completion. */
export function commandNames(): string[] {
  return COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]).filter((n) => !n.startsWith('.'));
}

/** Help lines: every command available where we are, or the one named. */
export function commandHelp(name: string | undefined, atPrompt: boolean): string[] {
  if (name !== undefined) {
    const c = findCommand(name);
    if (!c) throw new UsageError(`no command ${JSON.stringify(name)}; type help for the list`);
    return [
      c.usage,
      `  ${c.summary}`,
      ...(c.aliases ? [`  also: ${c.aliases.filter((a) => !a.startsWith('.')).join(', ')}`] : []),
    ];
  }
  const shown = COMMANDS.filter((c) => c.where === 'both' || c.where === (atPrompt ? 'prompt' : 'line'));
  const w = Math.max(...shown.map((c) => c.usage.length));
  const lines = shown.map((c) => `  ${c.usage.padEnd(w)}  ${c.summary}`);
  lines.push(
    '',
    '  Keys and values are text; 0x followed by hex digits is bytes (0x00ff); quote text with spaces: "two words".',
  );
  return lines;
}

/**
 * Runs one command with its argument words and flags. Prints any error as one line on
 * the error stream and returns the exit status; never throws.
 */
export function runCommand(s: Session, name: string, args: Word[], flags: Flags): Outcome {
  try {
    const c = findCommand(name);
    if (!c)
      throw new UsageError(
        `unknown command ${JSON.stringify(name)}; ${s.interactive ? 'type help' : 'see kv --help'} for the list`,
      );
    if (c.where === 'prompt' && !s.interactive) {
      throw new UsageError(
        c.name === 'trace'
          ? 'trace on|off is for the prompt; on the command line use --trace'
          : `${c.name} works only at the kv prompt`,
      );
    }
    if (s.pendingBatch && !['put', 'delete', 'commit', 'abort', 'help', 'exit'].includes(c.name)) {
      throw new UsageError(`a batch is open: only put, delete, commit and abort work until it ends`);
    }
    if (c.name === 'exit') {
      if (s.pendingBatch)
        s.output.err(s.output.errPaint('yellow', `(dropping the open batch of ${s.pendingBatch.length} ops)`));
      return { status: EXIT_OK, exit: true };
    }
    if (!c.writes && !s.isOpen && !s.interactive && !['help'].includes(c.name) && !s.fs.exists(s.dir)) {
      throw new Error(
        `no store at ${s.dir}: the directory does not exist (put, delete, batch or the shell create one)`,
      );
    }
    return { status: c.run(s, args, flags) };
  } catch (e) {
    const paint = s.output.errPaint;
    s.output.err(paint('red', `error: ${messageOf(e)}`));
    if (isKVError(e, 'KV_CORRUPT'))
      s.output.err(paint('gray', `(kv ${s.engine} ${s.dir} check  names the first problem; dump shows the bytes)`));
    return { status: statusOf(e) };
  }
}

/** Runs one line typed at the prompt. Empty lines and # comments do nothing. */
export function runLine(s: Session, line: string): Outcome {
  if (/^\s*(#.*)?$/.test(line)) return { status: EXIT_OK };
  let split: { args: Word[]; flags: Flags };
  try {
    split = takeFlags(splitWords(line));
    if (split.args.length === 0) throw new UsageError('flags need a command before them, e.g. stats --json');
  } catch (e) {
    s.output.err(s.output.errPaint('red', `error: ${messageOf(e)}`));
    return { status: statusOf(e) };
  }
  const [first, ...rest] = split.args;
  return runCommand(s, first!.text, rest, split.flags);
}
