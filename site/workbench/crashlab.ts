/**
 * crashlab.ts: pull the plug on an engine after any file-system call of a workload, reopen it,
 * and judge what survived by the durability rule. No DOM (crashlab-element.ts draws it).
 *
 * The engine runs for real on a MemoryFileSystem. The crash happens inside the trace listener,
 * right after the chosen call returned: the file system loses power at once (every unsynced
 * write and directory change is dropped, or the last write torn), and the run is stopped by an
 * exception, so the engine never gets to do anything after that call. Then a new store opens
 * the same disk, its recovery is traced, and a scan says what it holds. The verdict compares
 * that with the state after each prefix of the workload's commands.
 */
import { openStore } from '../../engines/browser.js';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import { display } from '../../engines/bytes.js';
import type { EngineName, KVStore, StoreOptions } from '../../engines/kv.js';
import type { IoEvent } from '../../engines/trace.js';
import type { TraceEvent } from '../../engines/registry-types.js';
import { parseCommand, type Command } from './commands.js';
import { describeEvent } from './panes.js';
import { adapterFor } from './engines/index.js';
import { errorText } from './recorder.js';

/** The workload the crash page offers by default: writes, syncs, a delete and a batch. */
export const CRASH_WORKLOAD: readonly string[] = [
  'put apple red',
  'put pear green',
  'sync',
  'put plum purple',
  'delete apple',
  'batch put fig brown; put kiwi green',
  'sync',
  'put lime sour',
  'put pear ripe',
];

/** The calls that change the disk: the only places a crash can make a difference. */
const MUTATING = new Set(['create', 'write', 'truncate', 'sync', 'syncDir', 'rename', 'remove']);

/** One place the plug can be pulled: right after the `index`-th disk-changing call. */
export interface CrashPoint {
  index: number;
  /** The workload command running at that call (-1: while opening the store). */
  command: number;
  /** The call, described as the event list describes it. */
  text: string;
}

/** What one crash did and what reopening found. */
export interface CrashResult {
  engine: EngineName;
  point: number;
  torn: boolean;
  /** Commands that completed before the crash. */
  completed: number;
  /** The command the crash interrupted, if any. */
  inFlight: number | undefined;
  /** One past the last `sync` that completed: the rule demands every command before it. */
  durableThrough: number;
  /** What the power loss dropped. */
  lost: string;
  /** The pairs after reopening, in key order. */
  recovered: [string, string][];
  /** The prefix length (in commands) whose state equals what was recovered, or -1 if none does. */
  prefix: number;
  /** True when the recovered state is a prefix state including every command before the last sync. */
  holds: boolean;
  /** The reopen's engine events, described. */
  recovery: string[];
  /** An error reopen or scan threw, if any. */
  error?: string;
}

/** Thrown from the trace listener to stop the dead process. */
class PowerCut extends Error {}

/** A small tuning per engine so the workload exercises each one's machinery. */
export function crashOptions(engine: EngineName): Partial<StoreOptions> {
  return adapterFor(engine).defaultOptions;
}

/** Runs one parsed command on a store. */
function apply(store: KVStore, c: Command): void {
  if (c.kind === 'put') store.put(c.key, c.value);
  else if (c.kind === 'delete') store.delete(c.key);
  else if (c.kind === 'batch') store.batch(c.ops);
  else if (c.kind === 'sync') store.sync();
  else throw new Error(`the crash lab runs put, delete, batch and sync, not ${c.kind}`);
}

/** The map after each prefix of the workload: states[k] is after the first k commands. */
export function prefixStates(workload: readonly string[]): Map<string, string>[] {
  const states = [new Map<string, string>()];
  for (const line of workload) {
    const m = new Map(states[states.length - 1]!);
    const c = parseCommand(line);
    if (c?.kind === 'put') m.set(c.key, c.value);
    else if (c?.kind === 'delete') m.delete(c.key);
    else if (c?.kind === 'batch') {
      for (const op of c.ops) {
        if (op.type === 'put') m.set(op.key, op.value);
        else m.delete(op.key);
      }
    }
    states.push(m);
  }
  return states;
}

/** Every disk-changing call of the workload (opening the store included), in order. */
export function crashPoints(
  engine: EngineName,
  workload: readonly string[],
  options = crashOptions(engine),
): CrashPoint[] {
  const fs = new MemoryFileSystem();
  const ad = adapterFor(engine);
  const out: CrashPoint[] = [];
  let command = -1;
  const trace = (e: TraceEvent): void => {
    if (e.type === 'io' && MUTATING.has(e.call) && !e.error)
      out.push({ index: out.length, command, text: describeEvent(e, ad) });
  };
  const store = openStore(engine, { ...options, dir: '/db', fs, trace });
  workload.forEach((line, i) => {
    command = i;
    const c = parseCommand(line);
    if (c) apply(store, c);
  });
  return out;
}

/** Runs the workload, cuts the power right after disk-changing call `point`, reopens, judges. */
export function crashAt(
  engine: EngineName,
  workload: readonly string[],
  point: number,
  torn = false,
  options = crashOptions(engine),
): CrashResult {
  const fs = new MemoryFileSystem();
  const ad = adapterFor(engine);
  let calls = 0;
  let command = -1;
  let completed = 0;
  let durableThrough = 0;
  let lost = 'the workload finished before that call: nothing was cut';
  let cut = false;
  // The power cut, inside the listener, right after the chosen call returned.
  const trace = (e: TraceEvent): void => {
    if (cut) throw new PowerCut('dead');
    if (e.type !== 'io' || !MUTATING.has((e as IoEvent).call) || (e as IoEvent).error) return;
    if (calls++ !== point) return;
    cut = true;
    const pending = fs.pendingWrites();
    const keep = torn ? Math.max(0, pending - 1) : 0;
    const tear = torn && pending > 0 ? Math.floor(fs.pendingWriteLength(keep) / 2) : undefined;
    fs.powerLoss({ keepWrites: keep, ...(tear !== undefined ? { tornBytes: tear } : {}) });
    const dropped = pending - keep - (tear !== undefined ? 1 : 0);
    lost = `${pending} unsynced disk write${pending === 1 ? '' : 's'} at the crash: ${keep ? `${keep} landed, ` : ''}${tear !== undefined ? `1 torn after ${tear} B, ` : ''}${dropped} lost; unsynced directory changes lost`;
    throw new PowerCut('power cut');
  };
  let inFlight: number | undefined;
  try {
    const store = openStore(engine, { ...options, dir: '/db', fs, trace });
    for (let i = 0; i < workload.length; i++) {
      command = i;
      const c = parseCommand(workload[i]!);
      if (c) apply(store, c);
      completed = i + 1;
      if (c?.kind === 'sync') durableThrough = i + 1;
    }
  } catch (e) {
    if (!cut) throw e;
    inFlight = command >= 0 ? command : undefined;
  }
  // Reopen on the same disk and read everything back.
  const recovery: string[] = [];
  const states = prefixStates(workload);
  const result: CrashResult = {
    engine,
    point,
    torn,
    completed,
    inFlight,
    durableThrough,
    lost,
    recovered: [],
    prefix: -1,
    holds: false,
    recovery,
  };
  try {
    const store = openStore(engine, {
      ...options,
      dir: '/db',
      fs,
      trace: (e) => {
        if (e.type !== 'io' && e.type !== 'op') recovery.push(describeEvent(e, ad));
      },
    });
    for (const [k, v] of store.scan()) result.recovered.push([display(k), display(v)]);
    store.close();
  } catch (e) {
    result.error = errorText(e);
    return result;
  }
  // Which prefix is it? A sync leaves the map as it was, so several prefixes can match:
  // the rule holds when one of them lies between the last completed sync and the crash.
  const same = (m: Map<string, string>): boolean =>
    m.size === result.recovered.length && result.recovered.every(([k, v]) => m.get(k) === v);
  const started = inFlight !== undefined ? inFlight + 1 : completed;
  const matches = states.map((m, k) => (same(m) ? k : -1)).filter((k) => k >= 0);
  const allowed = matches.filter((k) => k >= durableThrough && k <= started);
  result.holds = allowed.length > 0;
  result.prefix = allowed.length ? allowed[allowed.length - 1]! : (matches[matches.length - 1] ?? -1);
  // Lost, as a reader counts it: acknowledged commands that did not come back (writes the
  // engine held only in memory included, which no disk write shows).
  if (result.prefix >= 0) {
    const gone = Math.max(0, completed - result.prefix);
    result.lost += `; ${gone} acknowledged command${gone === 1 ? '' : 's'} not recovered${gone > 0 && completed > durableThrough ? ' (all after the last sync: the rule allows it)' : ''}`;
  }
  return result;
}

/** Why each engine survives, in one paragraph, for the page. */
export const WHY: Record<EngineName, string> = {
  snapshot:
    'The snapshot engine writes the whole dict to snapshot.db.tmp, fsyncs it, renames it over snapshot.db and fsyncs the directory. A crash before the rename leaves the old snapshot whole (reopen deletes the temp file); after the directory fsync the new one is durable. Writes since the last save exist only in memory and are lost.',
  bitcask:
    'Bitcask appends records to the active data file and fsyncs it at sync. After a crash it scans the data files (or their hint files) to rebuild the keydir; a record cut short or failing its checksum at the tail was never synced, so recovery truncates it. Everything synced is a whole, checksummed record.',
  btree:
    'The B+tree never overwrites a page the last commit uses: changes go to fresh pages, and a commit writes them, fsyncs, then writes one meta page and fsyncs again. Open takes the valid meta page with the higher txid, so a crash anywhere before the second fsync reopens at the previous commit, and after it at the new one.',
  lsm: 'The LSM tree appends every write to its log before the memtable, and fsyncs the log at sync. Tables are written whole and synced before the manifest names them. Open replays the manifest (which tables are live), then the log up to its last whole record: an unsynced, torn tail is dropped.',
};
