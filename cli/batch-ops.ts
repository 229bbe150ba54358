/**
 * batch-ops.ts: the batch syntax `kv` reads: `put <k> <v>` and `delete <k>` ops after the
 * batch command (separated by spaces, `;` or `,`), or one op per line of text (blank lines
 * and # comments skipped). A malformed op is a UsageError naming which op it is.
 */
import type { BatchOp } from '../engines/kv.js';
import { type Word, splitWords } from './literal.js';
import { UsageError } from './status.js';

/** Parses the words after `batch` into ops: put <k> <v> | delete <k>, repeated. */
export function parseBatchOps(args: Word[]): BatchOp[] {
  const ops: BatchOp[] = [];
  for (let i = 0; i < args.length;) {
    const w = args[i]!.text;
    if (w === ';' || w === ',') {
      i++;
      continue;
    }
    if (w === 'put') {
      if (args[i + 1] === undefined || args[i + 2] === undefined)
        throw new UsageError(`batch: put needs a key and a value (op ${ops.length + 1})`);
      ops.push({ type: 'put', key: args[i + 1]!.bytes, value: args[i + 2]!.bytes });
      i += 3;
    } else if (w === 'delete' || w === 'del') {
      if (args[i + 1] === undefined) throw new UsageError(`batch: delete needs a key (op ${ops.length + 1})`);
      ops.push({ type: 'delete', key: args[i + 1]!.bytes });
      i += 2;
    } else {
      throw new UsageError(`batch: expected put or delete, not ${JSON.stringify(w)} (op ${ops.length + 1})`);
    }
  }
  return ops;
}

/** Parses batch ops from text, one `put k v` or `delete k` per line (blank lines and # comments skipped). */
export function parseBatchText(text: string): BatchOp[] {
  const ops: BatchOp[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    if (/^\s*(#.*)?$/.test(line)) return;
    try {
      ops.push(...parseBatchOps(splitWords(line)));
    } catch (e) {
      throw new UsageError(`batch input line ${n + 1}: ${(e as Error).message}`);
    }
  });
  return ops;
}
