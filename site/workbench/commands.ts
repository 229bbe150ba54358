/**
 * commands.ts: the workbench console's language, parsed into commands (no DOM here).
 *
 *   put <key> <value>          get <key>          delete <key>
 *   scan [from [to]] [reverse] [limit n]          (from inclusive, to exclusive)
 *   batch put a 1; delete b; put c 3              (one atomic batch)
 *   fill <n> [prefix] [bytes]  put n keys: prefix001 = v1, prefix002 = v2 ... (values of `bytes` bytes)
 *   sync   compact   close   reopen   reset   help   clear
 *   crash [torn] [keep <n>] [tear <bytes>] [dirs] (a simulated power loss)
 *   fault <call> [path] [skip <n>] [die]   make the next such file-system call fail (EIO), or let
 *                              n such calls pass first; `die`: the process dies at that call instead
 *   corrupt <file> <offset> [byte]   change one durable byte on the disk (flip its low bit, or set it to hex `byte`)
 *   probe <n> [prefix]         get n keys no fill made (prefix0001..): how often the store looks in vain
 *   run <scenario>             replay a canned scenario by name
 *
 * Tokens are separated by spaces; "double quotes" keep spaces and allow \" \\ \n escapes.
 * A parse error is a CommandError whose message a reader understands.
 */

/** One user command. */
export type Command =
  | { kind: 'put'; key: string; value: string }
  | { kind: 'get'; key: string }
  | { kind: 'delete'; key: string }
  | { kind: 'scan'; from?: string; to?: string; reverse: boolean; limit?: number }
  | { kind: 'batch'; ops: ({ type: 'put'; key: string; value: string } | { type: 'delete'; key: string })[] }
  | { kind: 'fill'; count: number; prefix: string; valueBytes?: number }
  | { kind: 'sync' }
  | { kind: 'compact' }
  | { kind: 'close' }
  | { kind: 'reopen' }
  | { kind: 'reset' }
  | { kind: 'crash'; torn: boolean; keep?: number; tear?: number; dirs?: boolean }
  | { kind: 'fault'; call: FaultCall; path?: string; skip?: number; die?: boolean }
  | { kind: 'corrupt'; file: string; offset: number; byte?: number }
  | { kind: 'probe'; count: number; prefix: string }
  | { kind: 'run'; scenario: string }
  | { kind: 'help' }
  | { kind: 'clear' };

/** The file-system calls `fault` can target. */
export const FAULT_CALLS = ['write', 'append', 'sync', 'syncDir', 'rename', 'remove', 'read', 'open'] as const;
export type FaultCall = (typeof FAULT_CALLS)[number];

/** A mistake in what the reader typed. */
export class CommandError extends Error {}

/** The most keys `fill` puts at once (the widget is for watching, not benchmarking). */
export const MAX_FILL = 200;
/** The most missing keys `probe` gets at once. */
export const MAX_PROBE = 500;

/** The key `probe` gets as its ith (1-based): four digits, so it sorts among fill's three-digit keys but is none of them. */
export function probeKey(prefix: string, i: number): string {
  return `${prefix}${String(i).padStart(4, '0')}`;
}
/** The largest value `fill` makes. */
export const MAX_FILL_VALUE = 4096;
/** The longest line the console reads: a value may be at most 16 MiB, and checking first keeps the tab responsive. */
export const MAX_LINE = 16 * 1024 * 1024 + 4096;

/** The value `fill` puts for key number i: `v<i>`, or exactly `bytes` bytes starting so. */
export function fillValue(i: number, bytes?: number): string {
  const v = `v${i}`;
  if (bytes === undefined) return v;
  if (bytes <= v.length) return v.slice(0, bytes);
  return (v + '-' + 'abcdefghijklmnopqrstuvwxyz'.repeat(Math.ceil(bytes / 26))).slice(0, bytes);
}

/** One-line help for each command, shown by `help`. */
export const HELP: readonly string[] = [
  'put <key> <value>      set a key ("quotes" keep spaces)',
  'get <key>              read a key',
  'delete <key>           remove a key',
  'scan [from [to]] [reverse] [limit n]   keys from <= k < to',
  'batch put a 1; delete b   several writes as one atomic batch',
  'fill <n> [prefix] [bytes]   put n keys key001.. (at most 200), values of that many bytes',
  'sync                   make every write so far durable',
  'compact                reclaim space (save / merge)',
  'crash [torn]           power loss: unsynced writes are lost (torn: the last lands half-written)',
  'crash keep <n> [tear <bytes>]   let n unsynced writes land, then tear the next',
  'crash dirs             ...and unsynced creates/renames/removes happen to survive',
  'fault <call> [path]    the next write/sync/rename/... fails with EIO',
  'fault sync db skip 1 die   let one sync pass, and the process dies at the next (then: crash torn)',
  'corrupt <file> <offset> [hex]   damage one byte on disk: flip its low bit, or set it to hex (e.g. ff)',
  'probe <n> [prefix]     get n keys that are not there (key0001..): count filter "no"s and false positives',
  'close, reopen          close the store / open it again (recovery)',
  'reset                  start over with an empty disk',
  'run <scenario>         replay a canned scenario',
  'clear                  clear this console',
];

/** Splits a line into tokens, honouring double quotes (in time linear in the line, by slices). */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  const space = /\s/g;
  const nonSpace = /\S/g;
  let i = 0;
  for (;;) {
    // Skip spaces between tokens.
    nonSpace.lastIndex = i;
    const start = nonSpace.exec(line);
    if (!start) break;
    i = start.index;
    if (line[i] !== '"') {
      // A bare token runs to the next space.
      space.lastIndex = i;
      const end = space.exec(line);
      const j = end ? end.index : line.length;
      out.push(line.slice(i, j));
      i = j;
      continue;
    }
    // A quoted token runs to the next unescaped quote; copy the runs between escapes.
    let tok = '';
    let j = i + 1;
    let closed = false;
    while (j < line.length) {
      const q = line.indexOf('"', j);
      const bs = line.indexOf('\\', j);
      if (q < 0) break;
      if (bs >= 0 && bs < q && bs + 1 < line.length) {
        const n = line[bs + 1]!;
        tok += line.slice(j, bs) + (n === 'n' ? '\n' : n === 't' ? '\t' : n);
        j = bs + 2;
        continue;
      }
      tok += line.slice(j, q);
      j = q + 1;
      closed = true;
      break;
    }
    if (!closed) throw new CommandError('a quote is not closed: add a " at the end');
    out.push(tok);
    i = j;
  }
  return out;
}

/** Parses one console line into a command, or throws CommandError. Blank lines give undefined. */
export function parseCommand(line: string): Command | undefined {
  // Refuse a line too long for any value before doing anything with it.
  if (line.length > MAX_LINE) {
    throw new CommandError(
      `that line is ${(line.length / 1024 / 1024).toFixed(1)} MiB; a value may be at most 16 MiB (KV_TOO_LARGE), so it is refused before anything runs`,
    );
  }
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const [word, ...args] = tokenize(trimmed);
  const verb = (word ?? '').toLowerCase();
  switch (verb) {
    case 'put':
    case 'set':
      need(verb, args, 2, 'put <key> <value>');
      return { kind: 'put', key: args[0]!, value: args[1]! };
    case 'get':
      need(verb, args, 1, 'get <key>');
      return { kind: 'get', key: args[0]! };
    case 'delete':
    case 'del':
    case 'rm':
      need(verb, args, 1, 'delete <key>');
      return { kind: 'delete', key: args[0]! };
    case 'scan':
      return parseScan(args);
    case 'batch':
      return parseBatch(trimmed.slice(word!.length));
    case 'fill': {
      if (args.length < 1 || args.length > 3) throw new CommandError('usage: fill <n> [prefix] [value bytes]');
      const count = whole(args[0]!, 'fill needs a number of keys');
      if (count < 1 || count > MAX_FILL) throw new CommandError(`fill takes 1 to ${MAX_FILL} keys`);
      const out: Command = { kind: 'fill', count, prefix: args[1] ?? 'key' };
      if (args[2] !== undefined) {
        const bytes = whole(args[2], 'fill: the value size is a number of bytes');
        if (bytes < 1 || bytes > MAX_FILL_VALUE) throw new CommandError(`fill: values of 1 to ${MAX_FILL_VALUE} bytes`);
        out.valueBytes = bytes;
      }
      return out;
    }
    case 'sync':
    case 'compact':
    case 'close':
    case 'reopen':
    case 'reset':
    case 'help':
    case 'clear':
      need(verb, args, 0, verb);
      return { kind: verb };
    case 'open':
      need(verb, args, 0, 'reopen');
      return { kind: 'reopen' };
    case 'merge':
      need(verb, args, 0, 'compact');
      return { kind: 'compact' };
    case 'crash':
      return parseCrash(args);
    case 'fault': {
      const usage = `usage: fault <call> [path] [skip <n>] [die], where call is one of ${FAULT_CALLS.join(', ')}`;
      if (args.length < 1) throw new CommandError(usage);
      const call = args[0]! as FaultCall;
      if (!(FAULT_CALLS as readonly string[]).includes(call)) {
        throw new CommandError(`fault: "${args[0]}" is not a call; use one of ${FAULT_CALLS.join(', ')}`);
      }
      const out: Extract<Command, { kind: 'fault' }> = { kind: 'fault', call };
      for (let i = 1; i < args.length; i++) {
        const a = args[i]!;
        if (a === 'die') out.die = true;
        else if (a === 'skip') out.skip = whole(args[++i] ?? '', 'fault: skip needs a number of calls');
        else if (out.path === undefined) out.path = a;
        else throw new CommandError(usage);
      }
      return out;
    }
    case 'corrupt': {
      if (args.length < 2 || args.length > 3)
        throw new CommandError('usage: corrupt <file> <offset> [byte in hex], e.g. corrupt 000001.data 12 ff');
      const offset = whole(args[1]!, 'corrupt: the offset is a byte number in the file');
      const out: Command = { kind: 'corrupt', file: args[0]!, offset };
      if (args[2] !== undefined) {
        if (!/^(0x)?[0-9a-fA-F]{1,2}$/.test(args[2]))
          throw new CommandError(`corrupt: the byte is one to two hex digits (00 to ff), not "${args[2]}"`);
        out.byte = parseInt(args[2].replace(/^0x/, ''), 16);
      }
      return out;
    }
    case 'probe': {
      if (args.length < 1 || args.length > 2) throw new CommandError('usage: probe <n> [prefix]');
      const count = whole(args[0]!, 'probe needs a number of keys');
      if (count < 1 || count > MAX_PROBE) throw new CommandError(`probe takes 1 to ${MAX_PROBE} keys`);
      return { kind: 'probe', count, prefix: args[1] ?? 'key' };
    }
    case 'run':
    case 'scenario':
      if (args.length < 1) throw new CommandError('usage: run <scenario>');
      return { kind: 'run', scenario: args.join(' ') };
    default:
      throw new CommandError(`unknown command "${word}"; type help for the list`);
  }
}

/** Throws unless `args` has exactly `n` entries. */
function need(verb: string, args: string[], n: number, usage: string): void {
  if (args.length === n) return;
  if (args.length < n) throw new CommandError(`${verb} needs ${n === 1 ? 'a key' : `${n} arguments`}: ${usage}`);
  throw new CommandError(
    `${verb} takes ${n === 0 ? 'no arguments' : `${n} argument${n > 1 ? 's' : ''}`} (use "quotes" for spaces): ${usage}`,
  );
}

/** Parses a whole number or throws `message`. */
function whole(s: string, message: string): number {
  if (!/^\d+$/.test(s)) throw new CommandError(`${message}, not "${s}"`);
  return Number(s);
}

/** scan [from [to]] [reverse] [limit n] */
function parseScan(args: string[]): Command {
  const bounds: string[] = [];
  let reverse = false;
  let limit: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'reverse') reverse = true;
    else if (a === 'limit') {
      if (args[i + 1] === undefined) throw new CommandError('scan: limit needs a number');
      limit = whole(args[++i]!, 'scan: limit needs a number');
    } else bounds.push(a);
  }
  if (bounds.length > 2) throw new CommandError('usage: scan [from [to]] [reverse] [limit n]');
  const out: Command = { kind: 'scan', reverse };
  if (bounds[0] !== undefined && bounds[0] !== '') out.from = bounds[0];
  if (bounds[1] !== undefined && bounds[1] !== '') out.to = bounds[1];
  if (limit !== undefined) out.limit = limit;
  return out;
}

/** batch put a 1; delete b; ... */
function parseBatch(rest: string): Command {
  const ops: Extract<Command, { kind: 'batch' }>['ops'] = [];
  for (const part of splitOutsideQuotes(rest, ';')) {
    const toks = tokenize(part);
    if (toks.length === 0) continue;
    const verb = toks[0]!.toLowerCase();
    if ((verb === 'put' || verb === 'set') && toks.length === 3)
      ops.push({ type: 'put', key: toks[1]!, value: toks[2]! });
    else if ((verb === 'delete' || verb === 'del') && toks.length === 2) ops.push({ type: 'delete', key: toks[1]! });
    else throw new CommandError(`batch: "${part.trim()}" is not "put <key> <value>" or "delete <key>"`);
  }
  if (ops.length === 0) throw new CommandError('usage: batch put a 1; delete b; put c 3');
  return { kind: 'batch', ops };
}

/** crash [torn] [keep n] [tear bytes] [dirs] */
function parseCrash(args: string[]): Command {
  const out: Extract<Command, { kind: 'crash' }> = { kind: 'crash', torn: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'torn') out.torn = true;
    else if (a === 'dirs') out.dirs = true;
    else if (a === 'keep') out.keep = whole(args[++i] ?? '', 'crash: keep needs a number of writes');
    else if (a === 'tear') {
      out.tear = whole(args[++i] ?? '', 'crash: tear needs a number of bytes');
      out.torn = true;
    } else
      throw new CommandError(
        `crash: unknown option "${a}"; use crash, crash torn, crash dirs, or crash keep <n> [tear <bytes>]`,
      );
  }
  return out;
}

/** Splits `s` on `sep` where it is not inside double quotes. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && quoted && i + 1 < s.length) {
      cur += c + s[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts;
}

/** Quotes a token for display when it needs it (the inverse of tokenize for one token). */
export function quote(s: string): string {
  return s === '' || /[\s";\\]/.test(s)
    ? `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
    : s;
}
