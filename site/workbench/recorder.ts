/**
 * recorder.ts: runs the real engine (engines/browser.ts) on a MemoryFileSystem and records
 * everything the workbench replays. No DOM here.
 *
 * Each console command becomes a CommandRecord: the trace events it caused (the steps), what
 * it printed, and two keyframes, the pictures before and after it (inspect(), stats() and
 * the disk). Between keyframes, frame.ts rebuilds the picture step by step from the events.
 * The engine runs once, when the command is typed; replaying (step back, scrub) never runs
 * it again, so every step shows exactly what the trace recorded.
 */
import { openStore } from '../../engines/browser.js';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import { KVError } from '../../engines/errors.js';
import { display, fromUtf8 } from '../../engines/bytes.js';
import type { KVStore, StoreOptions, StoreStats, EngineName } from '../../engines/kv.js';
import type { TraceEvent } from '../../engines/registry-types.js';
import { CommandError, HELP, parseCommand, quote, type Command } from './commands.js';
import { applyIo, cloneDisk, emptyDisk, readDisk, type DiskState } from './disk.js';
import type { EngineAdapter, MemoryPicture } from './adapter.js';

/** A step the workbench adds itself: things that happen to the machine, not in the engine. */
export interface WorkbenchEvent {
  type: 'workbench';
  what: 'crash' | 'fault' | 'reset';
  text: string;
}

/** Any event on the timeline. */
export type StepEvent = TraceEvent | WorkbenchEvent;

/** Whether a store is open, closed by the reader, or gone in a crash. */
export type StoreState = 'open' | 'closed' | 'crashed';

/** Running I/O totals since the page loaded (across reopens). */
export interface Counters {
  bytesWritten: number;
  bytesRead: number;
  syncs: number;
  writes: number;
  reads: number;
}

/** The whole picture between two commands. */
export interface Keyframe {
  state: StoreState;
  memory: MemoryPicture | null;
  disk: DiskState;
  stats: StoreStats | null;
}

/** One event on the timeline, with the I/O totals after it. */
export interface Step {
  command: number;
  event: StepEvent;
  counters: Counters;
}

/** A line the console prints. */
export interface OutputLine {
  kind: 'cmd' | 'out' | 'err' | 'info';
  text: string;
}

/** One typed (or scenario) command and what it did. */
export interface CommandRecord {
  index: number;
  text: string;
  /** The first step it caused and one past its last (equal when it caused none). */
  firstStep: number;
  endStep: number;
  output: OutputLine[];
  ok: boolean;
  before: Keyframe;
  after: Keyframe;
  /** For `clear`: the console should forget what it showed. */
  clear?: boolean;
}

/** How a widget is set up. */
export interface RecorderConfig {
  /** Engine tuning (maxFileBytes, autosaveEvery...). */
  options?: Partial<StoreOptions>;
  /** The store's directory on the memory file system. */
  dir?: string;
}

/** The most pairs `scan` prints. */
const SCAN_PRINT = 40;

/** Records a session of commands against one engine. */
export class Recorder {
  readonly engine: EngineName;
  readonly dir: string;
  readonly steps: Step[] = [];
  readonly commands: CommandRecord[] = [];
  private fs = new MemoryFileSystem();
  private store: KVStore | undefined;
  private state: StoreState = 'closed';
  private disk: DiskState = emptyDisk();
  private counters: Counters = { bytesWritten: 0, bytesRead: 0, syncs: 0, writes: 0, reads: 0 };
  private current = 0;
  private readonly options: Partial<StoreOptions>;

  /** Opens a fresh store (the first command, "open"). */
  constructor(
    readonly adapter: EngineAdapter,
    config: RecorderConfig = {},
  ) {
    this.engine = adapter.engine;
    this.dir = config.dir ?? '/db';
    this.options = { ...adapter.defaultOptions, ...(config.options ?? {}) };
    this.record('open', (out) => this.open(out));
  }

  /** The keyframe now. */
  keyframe(): Keyframe {
    let memory: MemoryPicture | null = null;
    let stats: StoreStats | null = null;
    if (this.state === 'open' && this.store) {
      try {
        memory = this.adapter.memory(this.store.inspect());
        stats = this.store.stats();
      } catch {
        memory = null;
      }
    }
    return { state: this.state, memory, disk: cloneDisk(this.disk), stats };
  }

  /** The memory file system (tests look at it; the widget never touches it). */
  get fileSystem(): MemoryFileSystem {
    return this.fs;
  }

  /** The store state now. */
  get storeState(): StoreState {
    return this.state;
  }

  /**
   * Runs one console line. A scenario (`run name`) runs each of its lines as its own
   * command. Returns the records made (none for a blank line).
   */
  run(line: string): CommandRecord[] {
    let cmd: Command | undefined;
    try {
      cmd = parseCommand(line);
    } catch (e) {
      const msg = e instanceof CommandError ? e.message : String(e);
      return [this.record(line.trim(), (out) => (out.push({ kind: 'err', text: msg }), false))];
    }
    if (!cmd) return [];
    if (cmd.kind === 'run') return this.runScenario(cmd.scenario, line.trim());
    const c = cmd;
    return [this.record(line.trim(), (out) => this.execute(c, out))];
  }

  /** Runs a canned scenario by name. */
  runScenario(name: string, text = `run ${name}`): CommandRecord[] {
    const sc = this.adapter.scenarios.find((s) => s.name === name);
    if (!sc) {
      const names = this.adapter.scenarios.map((s) => s.name).join(', ');
      return [this.record(text, (out) => (out.push({ kind: 'err', text: `no scenario "${name}"; try one of: ${names}` }), false))];
    }
    const out: CommandRecord[] = [];
    for (const line of sc.commands) out.push(...this.run(line));
    return out;
  }

  /** The trace listener: every event becomes a step, io events update the disk and totals. */
  private listen = (event: TraceEvent): void => {
    if (event.type === 'io') {
      applyIo(this.disk, this.dir, event);
      if (!event.error) {
        const c = this.counters;
        if (event.call === 'write') (c.bytesWritten += event.length ?? 0), c.writes++;
        else if (event.call === 'read') (c.bytesRead += event.length ?? 0), c.reads++;
        else if (event.call === 'sync' || event.call === 'syncDir') c.syncs++;
      }
    }
    this.steps.push({ command: this.current, event, counters: { ...this.counters } });
  };

  /** Adds a workbench step (crash, fault, reset). */
  private note(what: WorkbenchEvent['what'], text: string): void {
    this.steps.push({ command: this.current, event: { type: 'workbench', what, text }, counters: { ...this.counters } });
  }

  /** Runs `f` as command `text`, keeping its steps, output and keyframes. */
  private record(text: string, f: (out: OutputLine[]) => boolean | void): CommandRecord {
    this.current = this.commands.length;
    const before = this.keyframe();
    const firstStep = this.steps.length;
    const output: OutputLine[] = [{ kind: 'cmd', text }];
    let ok = true;
    try {
      ok = f(output) !== false;
    } catch (e) {
      ok = false;
      output.push({ kind: 'err', text: errorText(e) });
    }
    const rec: CommandRecord = { index: this.current, text, firstStep, endStep: this.steps.length, output, ok, before, after: this.keyframe() };
    if (text === 'clear') rec.clear = true;
    this.commands.push(rec);
    return rec;
  }

  /** Opens the store (recovering whatever is on disk). */
  private open(out: OutputLine[]): void {
    this.store = openStore(this.engine, { ...this.options, dir: this.dir, fs: this.fs, trace: this.listen });
    this.state = 'open';
    const s = this.store.stats();
    out.push({ kind: 'info', text: `opened the ${this.engine} store: ${s.liveKeys} keys, ${s.files} files, ${s.diskBytes} B on disk` });
  }

  /** The open store, or a plain error saying why there is none. */
  private need(): KVStore {
    if (this.state === 'open' && this.store) return this.store;
    throw new CommandError(this.state === 'crashed' ? 'the store died in the crash: type reopen to recover it' : 'the store is closed: type reopen');
  }

  /** Runs one parsed command; returns false when it failed. */
  private execute(cmd: Command, out: OutputLine[]): boolean | void {
    switch (cmd.kind) {
      case 'put':
        this.need().put(cmd.key, cmd.value);
        out.push({ kind: 'out', text: 'ok' });
        return;
      case 'get': {
        const v = this.need().get(cmd.key);
        out.push({ kind: 'out', text: v === undefined ? '(not found)' : quote(valueText(v)) });
        return;
      }
      case 'delete':
        this.need().delete(cmd.key);
        out.push({ kind: 'out', text: 'ok' });
        return;
      case 'batch':
        this.need().batch(cmd.ops);
        out.push({ kind: 'out', text: `ok: ${cmd.ops.length} ops applied as one` });
        return;
      case 'fill': {
        const s = this.need();
        const w = String(cmd.count).length < 3 ? 3 : String(cmd.count).length;
        for (let i = 1; i <= cmd.count; i++) s.put(`${cmd.prefix}${String(i).padStart(w, '0')}`, `v${i}`);
        out.push({ kind: 'out', text: `ok: put ${cmd.prefix}${'1'.padStart(w, '0')} .. ${cmd.prefix}${String(cmd.count).padStart(w, '0')}` });
        return;
      }
      case 'scan': {
        const range: { gte?: string; lt?: string; reverse?: boolean; limit?: number } = { reverse: cmd.reverse };
        if (cmd.from !== undefined) range.gte = cmd.from;
        if (cmd.to !== undefined) range.lt = cmd.to;
        if (cmd.limit !== undefined) range.limit = cmd.limit;
        let n = 0;
        for (const [k, v] of this.need().scan(range)) {
          if (n < SCAN_PRINT) out.push({ kind: 'out', text: `${display(k)} = ${display(v)}` });
          n++;
        }
        out.push({ kind: 'info', text: `(${n} pair${n === 1 ? '' : 's'}${n > SCAN_PRINT ? `, first ${SCAN_PRINT} shown` : ''})` });
        return;
      }
      case 'sync':
        this.need().sync();
        out.push({ kind: 'out', text: 'ok: every write so far is durable' });
        return;
      case 'compact':
        this.need().compact();
        out.push({ kind: 'out', text: 'ok: compacted' });
        return;
      case 'close':
        this.need().close();
        this.state = 'closed';
        out.push({ kind: 'out', text: 'closed' });
        return;
      case 'reopen':
        if (this.state === 'open' && this.store) {
          // A clean close first (it saves or syncs), as a program would.
          const s = this.store;
          this.state = 'closed';
          s.close();
        }
        this.open(out);
        return;
      case 'reset':
        if (this.state === 'open' && this.store) {
          try {
            this.store.close();
          } catch {
            // The old disk is thrown away anyway.
          }
        }
        this.fs = new MemoryFileSystem();
        this.disk = emptyDisk();
        this.state = 'closed';
        this.note('reset', 'a new, empty disk');
        this.open(out);
        return;
      case 'crash':
        return this.crash(cmd, out);
      case 'fault':
        this.fs.injectFault(cmd.path !== undefined ? { call: cmd.call, path: cmd.path } : { call: cmd.call });
        this.note('fault', `the next ${cmd.call}${cmd.path ? ` on ${cmd.path}` : ''} will fail with EIO`);
        out.push({ kind: 'info', text: `armed: the next ${cmd.call}${cmd.path ? ` on a path containing ${cmd.path}` : ''} fails with EIO` });
        return;
      case 'help':
        for (const h of HELP) out.push({ kind: 'info', text: h });
        out.push({ kind: 'info', text: `scenarios: ${this.adapter.scenarios.map((s) => s.name).join(', ')}` });
        return;
      case 'clear':
        return;
      case 'run':
        return;
    }
  }

  /** A simulated power loss: unsynced writes and directory entries are dropped (or torn). */
  private crash(cmd: Extract<Command, { kind: 'crash' }>, out: OutputLine[]): void {
    const pending = this.fs.pendingWrites();
    let keep = cmd.keep ?? (cmd.torn ? Math.max(0, pending - 1) : 0);
    keep = Math.min(keep, pending);
    let tear: number | undefined;
    if (cmd.torn && keep < pending) tear = cmd.tear ?? Math.floor(this.fs.pendingWriteLength(keep) / 2);
    this.fs.powerLoss({ keepWrites: keep, ...(tear !== undefined ? { tornBytes: tear } : {}), ...(cmd.dirs ? { keepDirChanges: true } : {}) });
    this.fs.clearFaults();
    this.store = undefined;
    this.state = 'crashed';
    this.disk = readDisk(this.fs, this.dir);
    const lost = pending - keep - (tear !== undefined ? 1 : 0);
    const parts = [`${pending} unsynced write${pending === 1 ? '' : 's'}`];
    if (keep > 0) parts.push(`${keep} landed anyway`);
    if (tear !== undefined) parts.push(`1 landed torn after ${tear} B`);
    parts.push(`${lost} lost`);
    if (cmd.dirs) parts.push('unsynced directory changes survived');
    const text = `power lost: ${parts.join(', ')}; the process and its memory are gone`;
    this.note('crash', text);
    out.push({ kind: 'info', text });
  }
}

/** A value for the console: its text if UTF-8, else hex. */
function valueText(v: Uint8Array): string {
  try {
    return fromUtf8(v);
  } catch {
    return display(v, 200);
  }
}

/** An error as the console shows it. */
export function errorText(e: unknown): string {
  if (e instanceof KVError) return `${e.code}: ${e.message}`;
  if (e instanceof CommandError) return e.message;
  return e instanceof Error ? e.message : String(e);
}
