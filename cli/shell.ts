/**
 * shell.ts: the interactive `kv` prompt, as in the sqlite3 shell.
 *
 *   kv snapshot ./data
 *   snapshot> put apple red
 *   snapshot> trace on
 *   snapshot> get apple
 *
 * On a terminal: a prompt, line editing, tab completion of command names, history recalled
 * with the arrow keys and kept in a file between sessions (history.ts), Ctrl-C to clear a
 * line (twice on an empty line to leave) and Ctrl-D or `exit` to close the store and leave.
 * The store opens at once, so a locked or corrupt store says so before the first command;
 * dump and check still work on a store that will not open.
 *
 * With input from a pipe or a file, the same commands run one per line with no prompt, and
 * the exit status is that of the last command that failed (0 when none did; a `get` that
 * finds nothing is not a failure here).
 */
import * as readline from 'node:readline';
import { commandNames, runLine } from './commands.js';
import { EXIT_FAILED, EXIT_NOT_FOUND, EXIT_OK, messageOf, statusOf } from './status.js';
import type { Session } from './session.js';
import { loadHistory, saveHistory } from './history.js';

/** Where the shell reads and writes. */
export interface ShellIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** True when a person is typing (a TTY): prompt, line editing, history. */
  terminal: boolean;
  /** The history file (terminal sessions only), or undefined for none. */
  historyFile?: string;
}

/** Completes the first word to a command name, and `trace` to on/off. */
export function complete(line: string): [string[], string] {
  const words = line.split(/\s+/);
  if (words.length <= 1) {
    const names = commandNames().filter((n) => n.startsWith(line));
    return [names, line];
  }
  if (words[0] === 'trace' && words.length === 2)
    return [['on', 'off'].filter((x) => x.startsWith(words[1]!)), words[1]!];
  return [[], line];
}

/** Runs the prompt until exit or end of input; returns the exit status. */
export async function runShell(session: Session, io: ShellIo): Promise<number> {
  const prompt = (): string => (session.pendingBatch ? 'batch> ' : `${session.engine}> `);
  const saved = io.terminal ? loadHistory(io.historyFile) : [];
  session.history = [...saved];
  const rl = readline.createInterface({
    input: io.input,
    output: io.terminal ? io.output : undefined,
    terminal: io.terminal,
    prompt: prompt(),
    history: [...saved].reverse(),
    historySize: 1000,
    removeHistoryDuplicates: true,
    completer: io.terminal ? complete : undefined,
  });
  let lastFailure = EXIT_OK;

  if (io.terminal) {
    const { out, paint } = { out: session.output.out, paint: session.output.paint };
    out(
      paint('bold', `kv: the ${session.engine} engine on ${session.dir}`) +
        paint('dim', '  (help lists the commands; exit or Ctrl-D leaves)'),
    );
    // Open now, so a locked or corrupt store says so before the first command.
    try {
      session.store();
    } catch (e) {
      session.output.err(session.output.errPaint('red', `error: ${messageOf(e)}`));
      session.output.err(
        session.output.errPaint('gray', '(the store did not open; dump and check still read its files)'),
      );
    }
    // Ctrl-C clears the line; a second one on an empty line leaves.
    let armed = false;
    rl.on('SIGINT', () => {
      const line = (rl as unknown as { line: string }).line;
      if (line === '' && armed) {
        rl.close();
        return;
      }
      armed = line === '';
      io.output.write(armed ? '\n(press Ctrl-C again, Ctrl-D or type exit to leave)\n' : '\n');
      (rl as unknown as { line: string }).line = '';
      rl.setPrompt(prompt());
      rl.prompt();
    });
    rl.prompt();
  }

  for await (const line of rl) {
    if (line.trim() !== '' && io.terminal) session.history.push(line);
    const outcome = runLine(session, line);
    if (outcome.status !== EXIT_OK && outcome.status !== EXIT_NOT_FOUND) lastFailure = outcome.status;
    if (outcome.exit) break;
    if (io.terminal) {
      rl.setPrompt(prompt());
      rl.prompt();
    }
  }
  rl.close();
  if (io.terminal) io.output.write('\n');
  if (io.terminal) saveHistory(io.historyFile, session.history);

  // Leaving closes the store, which syncs it.
  if (session.pendingBatch) {
    session.output.err(
      session.output.errPaint(
        'yellow',
        `(an open batch of ${session.pendingBatch.length} ops was not committed; it is dropped)`,
      ),
    );
    session.pendingBatch = undefined;
  }
  try {
    session.close();
  } catch (e) {
    session.output.err(session.output.errPaint('red', `error: closing the store: ${messageOf(e)}`));
    return statusOf(e) || EXIT_FAILED;
  }
  return io.terminal ? EXIT_OK : lastFailure;
}
