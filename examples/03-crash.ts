/**
 * 03-crash.ts: a crash, and what survived. Runs on the in-memory file system, which knows
 * which bytes have reached the disk (were synced) and can simulate pulling the plug:
 * fs.powerLoss() drops every write and directory change that was not synced.
 *
 * The rule every engine keeps: after a crash, the store holds exactly the state after some
 * prefix of your operations, and that prefix includes everything before the last completed
 * sync(). What came after the sync may survive or not, depending on the engine: the
 * snapshot engine loses it all, an engine with a log may keep some of it.
 *
 *   npx tsx examples/03-crash.ts              every engine
 *   npx tsx examples/03-crash.ts bitcask      one engine
 */
import {
  openStore,
  isKVError,
  fromUtf8,
  MemoryFileSystem,
  ENGINES,
  type EngineName,
  type KVStore,
} from '../engines/index.js';

const asked = process.argv.slice(2) as EngineName[];
const engines = asked.length ? asked : [...ENGINES];

/** Every pair in the store, as `key=value` text. */
function contents(db: KVStore): string {
  const pairs = [...db.scan()].map(([k, v]) => `${fromUtf8(k)}=${fromUtf8(v)}`);
  return pairs.length ? pairs.join(' ') : '(empty)';
}

for (const engine of engines) {
  const fs = new MemoryFileSystem();
  const dir = '/db';
  let db: KVStore;
  try {
    db = openStore(engine, { dir, fs });
  } catch (e) {
    if (isKVError(e, 'KV_UNKNOWN_ENGINE')) {
      console.log(`${engine}: (${e.message})\n`);
      continue;
    }
    throw e;
  }
  console.log(`${engine}:`);

  // Two writes, made durable by sync().
  db.put('apple', 'red');
  db.put('banana', 'yellow');
  db.sync();
  console.log(`  after sync:        ${contents(db)}`);

  // More writes that no sync() covers; remember the state after each one.
  const states = [contents(db)];
  db.put('cherry', 'dark red');
  states.push(contents(db));
  db.delete('apple');
  states.push(contents(db));
  db.put('banana', 'brown');
  states.push(contents(db));
  console.log(`  before the crash:  ${contents(db)}`);

  // Pull the plug. The old store object is dead now (like the process that held it).
  fs.powerLoss();

  // Reopen on the same (memory) disk: recovery reads back whatever reached it.
  const after = openStore(engine, { dir, fs });
  const now = contents(after);
  console.log(`  after reopening:   ${now}`);
  // Which prefix of the three unsynced writes is this? The rule says it must be one.
  const kept = states.indexOf(now);
  console.log(
    kept < 0
      ? '  NOT the state after any prefix: the durability rule is broken!\n'
      : `  = the state after the sync plus ${kept} of the 3 unsynced writes\n`,
  );
  after.close();
}
