/**
 * main.ts: the `kv` command: parses the command line, then runs one command or the prompt,
 * and returns the exit status. Everything it touches (argv, streams, environment, file
 * system) comes in through `KvIo`, so tests can run it in-process as well as as a child.
 */
import { ENGINES, type EngineName } from '../engines/kv.js';
import type { FileSystem } from '../engines/storage/fs.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { paintFor, useColour } from './colour.js';
import { runCommand } from './commands.js';
import { argWord } from './literal.js';
import { Session, type Output } from './session.js';
import { runShell } from './shell.js';
import { EXIT_OK, EXIT_USAGE, UsageError, messageOf, statusOf } from './status.js';
import { usageLines } from './usage.js';
import { historyPath } from './history.js';

/** Everything the command reads and writes. */
export interface KvIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  fs: FileSystem;
  /** Reads all of stdin at once (for `batch` on the command line). */
  readStdin: () => string;
}

/** Checks the engine and directory words, or throws UsageError. */
function target(p: ParsedArgs): { engine: EngineName; dir: string } {
  if (p.engine === undefined) throw new UsageError('missing the engine and the directory: kv <engine> <dir> [command]');
  if (!(ENGINES as readonly string[]).includes(p.engine)) {
    throw new UsageError(`unknown engine ${JSON.stringify(p.engine)}; choose one of ${ENGINES.join(', ')}`);
  }
  if (p.dir === undefined || p.dir === '')
    throw new UsageError(`missing the directory: kv ${p.engine} <dir> [command]`);
  return { engine: p.engine as EngineName, dir: p.dir };
}

/** Runs `kv` with `argv` (without node and the script) and returns the exit status. */
export async function main(argv: readonly string[], io: KvIo): Promise<number> {
  const errLine = (s: string): void => void io.stderr.write(s + '\n');
  let p: ParsedArgs;
  let t: { engine: EngineName; dir: string };
  try {
    p = parseArgs(argv);
    if (p.help) {
      usageLines().forEach((l) => io.stdout.write(l + '\n'));
      return EXIT_OK;
    }
    t = target(p);
  } catch (e) {
    errLine(`kv: ${messageOf(e)}`);
    errLine('(kv --help shows how to use it)');
    return statusOf(e) || EXIT_USAGE;
  }

  const output: Output = {
    out: (s) => void io.stdout.write(s + '\n'),
    err: errLine,
    paint: paintFor(useColour(io.stdout.isTTY, io.env, p.colour)),
    errPaint: paintFor(useColour(io.stderr.isTTY, io.env, p.colour)),
  };

  // No command: the prompt (typed on a terminal, or a script on stdin).
  if (p.command === undefined) {
    const terminal = io.stdin.isTTY === true && io.stdout.isTTY === true;
    const session = new Session({
      ...t,
      fs: io.fs,
      output,
      tuning: p.options,
      trace: p.trace,
      interactive: true,
      chatty: terminal,
    });
    return runShell(session, { input: io.stdin, output: io.stdout, terminal, historyFile: historyPath(io.env) });
  }

  // One command: open (if it needs the store), run, close (which syncs).
  const session = new Session({ ...t, fs: io.fs, output, tuning: p.options, trace: p.trace, readInput: io.readStdin });
  const outcome = runCommand(session, p.command, p.args.map(argWord), {
    json: p.json,
    hex: p.hex,
    reverse: p.reverse,
    ...(p.limit !== undefined ? { limit: p.limit } : {}),
  });
  try {
    session.close();
  } catch (e) {
    errLine(output.errPaint('red', `error: closing the store: ${messageOf(e)}`));
    return outcome.status === EXIT_OK ? statusOf(e) : outcome.status;
  }
  return outcome.status;
}
