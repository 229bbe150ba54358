/**
 * 01-hello.ts: your first store. Opens an engine on a real directory, puts, gets, scans and
 * closes, printing every trace event as it happens: the operations you call (→ and ←), the
 * engine's own steps, and every read, write and fsync it makes on disk.
 *
 *   npx tsx examples/01-hello.ts                 the snapshot engine, in a new temp directory
 *   npx tsx examples/01-hello.ts bitcask         another engine (snapshot, bitcask, btree, lsm)
 *   npx tsx examples/01-hello.ts lsm ./data      a directory of your choice
 *
 * Afterwards, `npx kv <engine> <dir> dump` shows the bytes it left on disk.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, fromUtf8, ENGINES, type EngineName } from '../engines/index.js';
import { formatTraceEvent } from '../cli/trace-line.js';
import { paintFor, useColour } from '../cli/colour.js';

const engine = (process.argv[2] ?? 'snapshot') as EngineName;
if (!ENGINES.includes(engine)) throw new Error(`unknown engine ${engine}; choose one of ${ENGINES.join(', ')}`);
const dir = process.argv[3] ?? mkdtempSync(join(tmpdir(), `kv-hello-${engine}-`));
const paint = paintFor(useColour(process.stdout.isTTY, process.env));

// A trace listener is a plain function; here it prints each event as one line.
const trace = (e: Parameters<typeof formatTraceEvent>[0]) => console.log('   ' + formatTraceEvent(e, { dir, paint }));

console.log(`Opening the ${engine} engine in ${dir}`);
const db = openStore(engine, { dir, trace });

console.log('\ndb.put("hello", "world")');
db.put('hello', 'world');

console.log('\ndb.put("goodbye", "moon")');
db.put('goodbye', 'moon');

console.log('\ndb.get("hello")');
const value = db.get('hello');
console.log(`=> ${value ? fromUtf8(value) : 'undefined'}`);

console.log('\ndb.scan(): every pair, in bytewise key order');
for (const [k, v] of db.scan()) console.log(`=> ${fromUtf8(k)} = ${fromUtf8(v)}`);

console.log('\ndb.sync(): from here on, a crash cannot lose these two puts');
db.sync();

console.log('\ndb.close()');
db.close();

console.log(`\nWhat is on disk now:  npx kv ${engine} ${dir} dump --hex`);
