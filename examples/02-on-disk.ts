/**
 * 02-on-disk.ts: what is on disk after ten puts? Puts ten pairs into a store on a real
 * directory, closes it, then decodes every file it left with the engine's own format code
 * (the same decoder `npx kv <engine> <dir> dump` uses) and prints each record, page, block or
 * hint entry with its byte offset.
 *
 *   npx tsx examples/02-on-disk.ts              every engine, one after the other
 *   npx tsx examples/02-on-disk.ts btree        one engine
 *   npx tsx examples/02-on-disk.ts lsm --hex    with an annotated hexdump of every item
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, isKVError, ENGINES, NodeFileSystem, type EngineName } from '../engines/index.js';
import { toolsFor } from '../cli/engines/index.js';
import { renderDump } from '../cli/dump.js';
import { paintFor, useColour } from '../cli/colour.js';

const hex = process.argv.includes('--hex');
const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const engines = (asked.length ? asked : ENGINES) as EngineName[];
const paint = paintFor(useColour(process.stdout.isTTY, process.env));
const fruit = ['apple', 'banana', 'cherry', 'damson', 'elder', 'fig', 'grape', 'hawthorn', 'kiwi', 'lemon'];

for (const engine of engines) {
  const dir = mkdtempSync(join(tmpdir(), `kv-disk-${engine}-`));
  try {
    // Ten puts, then close: close() syncs, so everything is on disk.
    let db;
    try {
      db = openStore(engine, { dir });
    } catch (e) {
      if (isKVError(e, 'KV_UNKNOWN_ENGINE')) {
        console.log(`(${engine}: ${e.message})\n`);
        continue;
      }
      throw e;
    }
    fruit.forEach((name, i) => db.put(name, `fruit number ${i + 1}`));
    db.close();

    // Decode the files with the engine's format code, without opening the store.
    const tools = toolsFor(engine);
    if (!tools) {
      console.log(`(${engine}: the dump tool does not read this engine's files yet)\n`);
      continue;
    }
    const report = tools.dump(new NodeFileSystem(), dir);
    for (const line of renderDump(report, { hex, paint })) console.log(line);
    console.log('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
