/**
 * usage.ts: the text of `kv --help`.
 */
import { ENGINES } from '../engines/kv.js';
import { commandHelp } from './commands.js';

/** The full help text, as lines. */
export function usageLines(): string[] {
  return [
    'kv: run a storage engine of the workbench from the terminal',
    '',
    'usage:',
    '  kv <engine> <dir>                  an interactive prompt on the store in <dir>',
    '  kv <engine> <dir> <command> [args] run one command and exit with its status',
    '  kv <engine> <dir> < script.txt     run the commands in a file, one per line',
    '',
    `engines: ${ENGINES.join(', ')}`,
    '',
    'commands:',
    ...commandHelp(undefined, false),
    '',
    'at the prompt also: trace on|off, batch (then put/delete lines, then commit or abort), history, exit',
    '',
    'flags:',
    '  --json                machine-readable output (scan, stats, inspect, dump, check)',
    '  --hex                 dump: an annotated hexdump of every item',
    '  --trace               print every trace event of the command, one line each, on stderr',
    '  --limit n, --reverse  scan options',
    '  -o name=value         an engine tuning option, e.g. -o pageSize=1024 -o autosaveEvery=10 -o compaction=tiered',
    '  --color, --no-color   colour is on for a terminal unless NO_COLOR is set',
    '  --                    the end of flags: what follows is keys and values',
    '',
    'exit status: 0 ok; 1 get found no such key; 2 usage error; 3 the store refused or failed',
    '             (locked, bad key, I/O); 4 the store is corrupt (check found a problem)',
    '',
    'examples:',
    '  npx kv snapshot ./data put apple red',
    '  npx kv snapshot ./data get apple',
    '  npx kv snapshot ./data scan a z --limit 10',
    '  npx kv snapshot ./data dump --hex',
    '  npx kv snapshot ./data check && echo sound',
  ];
}
