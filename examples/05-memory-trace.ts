/**
 * 05-memory-trace.ts: the in-memory file system and a trace listener, in your own script.
 *
 * Two tools the tests, the site and the benchmarks all use:
 *   - MemoryFileSystem: files that live in memory (nothing touches your disk), which know
 *     what is durable, so you can simulate a crash (see 03-crash.ts) or a failing disk;
 *   - a trace listener: a function openStore() calls with every event, as plain JSON. Keep
 *     them, count them, draw them; the site replays them as step-by-step diagrams.
 *
 *   npx tsx examples/05-memory-trace.ts            the bitcask engine if built, else snapshot
 *   npx tsx examples/05-memory-trace.ts lsm
 */
import { openStore, MemoryFileSystem, isKVError, type EngineName, type TraceEvent } from '../engines/index.js';

/** Picks the engine: the one asked for, else bitcask, else the snapshot engine. */
function open(fs: MemoryFileSystem, trace: (e: TraceEvent) => void) {
  const asked = process.argv[2] as EngineName | undefined;
  for (const engine of asked ? [asked] : (['bitcask', 'snapshot'] as EngineName[])) {
    try {
      return openStore(engine, { dir: '/store', fs, trace });
    } catch (e) {
      if (!isKVError(e, 'KV_UNKNOWN_ENGINE') || asked) throw e;
    }
  }
  throw new Error('no engine is built');
}

// 1. A file system in memory, and a listener that keeps every event.
const fs = new MemoryFileSystem();
const events: TraceEvent[] = [];
const db = open(fs, (e) => events.push(e));

// 2. Some work.
for (let i = 0; i < 100; i++) db.put(`key${i}`, `value ${i}`);
for (let i = 0; i < 100; i += 3) db.delete(`key${i}`);
db.sync();
db.get('key50');
db.close();

// 3. What happened, counted by event type: ops, io calls, and the engine's own steps.
const counts = new Map<string, number>();
for (const e of events) {
  const name = e.type === 'op' ? `op ${e.op} (${e.phase})` : e.type === 'io' ? `io ${e.call}` : e.type;
  counts.set(name, (counts.get(name) ?? 0) + 1);
}
console.log(`${db.engine}: ${events.length} trace events`);
for (const [name, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(5)}  ${name}`);

// 4. The bytes that reached the "disk": every io write event carries them as hex.
const written = events
  .filter((e) => e.type === 'io' && e.call === 'write')
  .reduce((n, e) => n + ((e as { length?: number }).length ?? 0), 0);
console.log(`\nbytes written, summed from io events: ${written}`);

// 5. An event is plain JSON: here is the last engine event, as the site receives it.
const last = [...events].reverse().find((e) => e.type !== 'op' && e.type !== 'io');
console.log(`\nthe last engine event:\n${JSON.stringify(last, null, 2)}`);

// 6. And the files, still there in memory.
console.log('\nfiles in /store:');
for (const name of fs.list('/store')) console.log(`  ${name.padEnd(24)} ${fs.fileSize(`/store/${name}`)} bytes`);
