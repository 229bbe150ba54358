/**
 * recorder.ts: runs the real engine (engines/browser.ts) on a MemoryFileSystem and records
 * everything the workbench replays. No DOM here.
 *
 * Each console command becomes a CommandRecord: the steps it caused and what it printed.
 * Each step keeps the one state every pane draws at it (step.ts): right after the step's
 * event, the recorder asks the engine for inspect() and stats() (quietly: those calls count
 * no I/O and fire no injected fault), and for a write it copies the exact bytes written. The
 * engine runs once, when the command is typed; replaying (step back, scrub) never runs it
 * again, so every step shows exactly what the engine was at that instant.
 */
import { openStore } from '../../engines/browser.js';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import { display } from '../../engines/bytes.js';
import type { EngineName, EngineSnapshot, KVStore, StoreOptions, TraceEvent } from '../../engines/browser.js';
import { CommandError, HELP, fillValue, parseCommand, probeKey, quote, type Command } from './commands.js';
import { corruptByte, damageText } from './corrupt.js';
import { probeCounts, probeReport } from './probe.js';
import { clip, echo, errorText, memoryOnly, ordinal, valueText } from './console-text.js';

export { errorText } from './console-text.js';
import { applyIo, cloneDisk, emptyDisk, readDisk, type DiskState } from './disk.js';
import type { EngineAdapter } from './adapter.js';
import type { Counters, Picture, Step, StepEvent, StoreState, WorkbenchEvent } from './step.js';

export type { Counters, Picture, Step, StepEvent, StoreState, WorkbenchEvent } from './step.js';

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
  /** The disk when the command began (frames replay the command's io events from it). */
  diskBefore: DiskState;
  /** The disk when it ended (after a power loss, what survived). */
  diskAfter: DiskState;
  /** The picture when it ended. */
  after: Picture;
  /** For `clear`: the console should forget what it showed. */
  clear?: boolean;
  /** The scenario this command belongs to, when a `run` started it. */
  scenario?: string;
}

/** How a widget is set up. */
export interface RecorderConfig {
  /** Engine tuning (maxFileBytes, autosaveEvery...). */
  options?: Partial<StoreOptions>;
  /** The store's directory on the memory file system. */
  dir?: string;
  /** Called right after each step is recorded, with the file system as it is then (tests compare the two). */
  onStep?: (index: number, fs: MemoryFileSystem) => void;
}

/** The most pairs `scan` prints. */
const SCAN_PRINT = 40;

/** The picture when no store is open. */
const NO_STORE = (state: StoreState): Picture => ({ state, opening: false, inspect: null, stats: null });

/** Zeroed I/O totals. */
const ZERO: Counters = { bytesWritten: 0, bytesRead: 0, syncs: 0, writes: 0, reads: 0 };

/** Records a session of commands against one engine. */
export class Recorder {
  readonly engine: EngineName;
  readonly dir: string;
  readonly steps: Step[] = [];
  readonly commands: CommandRecord[] = [];
  private fs = new MemoryFileSystem();
  private store: KVStore | undefined;
  private state: StoreState = 'closed';
  /** True while openStore() runs (the store exists, its recovery is in progress). */
  private opening = false;
  private disk: DiskState = emptyDisk();
  private counters: Counters = { ...ZERO };
  private current = 0;
  private readonly options: Partial<StoreOptions>;
  private readonly onStep: RecorderConfig['onStep'];
  /** The last inspect() and its JSON, so unchanged pictures are shared, not stored again. */
  private last: { json: string; inspect: EngineSnapshot } | undefined;
  /** The scenario whose commands are running, if any. */
  private scenario: string | undefined;
  /** The options of the store on disk now: the widget's, and a scenario's own on top (Scenario.options). */
  private storeOptions: Partial<StoreOptions>;

  /** Opens a fresh store (the first command, "open"). */
  constructor(
    readonly adapter: EngineAdapter,
    config: RecorderConfig = {},
  ) {
    this.engine = adapter.engine;
    this.dir = config.dir ?? '/db';
    this.options = { ...adapter.defaultOptions, ...(config.options ?? {}) };
    this.onStep = config.onStep;
    this.storeOptions = this.options;
    this.record('open', (out) => this.open(out));
  }

  /** The memory file system (tests look at it; the widget never touches it). */
  get fileSystem(): MemoryFileSystem {
    return this.fs;
  }

  /** The store state now. */
  get storeState(): StoreState {
    return this.state;
  }

  /** The open store, for tests that compare the panes with the engine (undefined when none). */
  get openStore(): KVStore | undefined {
    return this.state === 'open' ? this.store : undefined;
  }

  /**
   * Runs one console line. A scenario (`run name`) starts from a fresh store with this
   * widget's options and runs each of its lines as its own command. Returns the records made
   * (none for a blank line).
   */
  run(line: string): CommandRecord[] {
    let cmd: Command | undefined;
    try {
      cmd = parseCommand(line);
    } catch (e) {
      const msg = e instanceof CommandError ? e.message : String(e);
      return [this.record(echo(line), (out) => (out.push({ kind: 'err', text: msg }), false))];
    }
    if (!cmd) return [];
    if (cmd.kind === 'run') return this.runScenario(cmd.scenario, line.trim());
    const c = cmd;
    return [this.record(echo(line), (out) => this.execute(c, out))];
  }

  /** Runs a canned scenario by name, from a fresh, empty store. */
  runScenario(name: string, text = `run ${name}`): CommandRecord[] {
    const sc = this.adapter.scenarios.find((s) => s.name === name);
    if (!sc) {
      const names = this.adapter.scenarios.map((s) => s.name).join(', ');
      return [
        this.record(
          text,
          (out) => (out.push({ kind: 'err', text: `no scenario "${name}"; try one of: ${names}` }), false),
        ),
      ];
    }
    const out: CommandRecord[] = [];
    this.scenario = name;
    try {
      out.push(...this.run('reset'));
      for (const line of sc.commands) out.push(...this.run(line));
    } finally {
      this.scenario = undefined;
    }
    return out;
  }

  /**
   * Events the engine emitted while the recorder was reading its picture: inspect() and
   * stats() must do no I/O and change nothing, so this stays 0 (a test checks it).
   */
  sideEffects = 0;
  /** True while picture() runs. */
  private capturing = false;

  /** The trace listener: every event becomes a step with the engine's picture right after it. */
  private listen = (event: TraceEvent): void => {
    if (this.capturing) {
      this.sideEffects++;
      return;
    }
    let data: Uint8Array | undefined;
    if (event.type === 'io') {
      if (event.call === 'write' && !event.error && event.length) {
        // The exact bytes: the trace's hex is cut for big writes.
        const bytes = this.fs.peek(event.path);
        data = bytes?.slice(event.offset ?? 0, (event.offset ?? 0) + event.length);
      }
      applyIo(this.disk, this.dir, event, data);
      if (!event.error) {
        const c = this.counters;
        if (event.call === 'write') {
          c.bytesWritten += event.length ?? 0;
          c.writes++;
        } else if (event.call === 'read') {
          c.bytesRead += event.length ?? 0;
          c.reads++;
        } else if (event.call === 'sync' || event.call === 'syncDir') c.syncs++;
      }
    }
    this.push(event, data);
  };

  /** Adds a step for `event` with the picture now. */
  private push(event: StepEvent, data?: Uint8Array): void {
    const step: Step = { command: this.current, event, counters: { ...this.counters }, picture: this.picture() };
    if (data) step.data = data;
    this.steps.push(step);
    this.onStep?.(this.steps.length - 1, this.fs);
  }

  /** The engine's picture now: its inspect() and stats(), read without counting I/O. */
  private picture(): Picture {
    const store = this.store;
    if (!store || (this.state !== 'open' && !this.opening)) return NO_STORE(this.state);
    // The last event of a close comes after the store closed: nothing is in memory any more.
    if ((store as { isClosed?: boolean }).isClosed) return NO_STORE('closed');
    const state: StoreState = 'open';
    let inspect: EngineSnapshot | null = null;
    let stats = null;
    this.capturing = true;
    try {
      ({ inspect, stats } = this.fs.quietly(() => ({ inspect: store.inspect(), stats: store.stats() })));
    } catch {
      // Recovery part-way, before the engine's structures exist: no picture yet.
      return { state, opening: this.opening, inspect: null, stats: null };
    } finally {
      this.capturing = false;
    }
    // An unchanged picture is shared with the step before.
    const json = JSON.stringify(inspect);
    if (this.last && this.last.json === json) inspect = this.last.inspect;
    else this.last = { json, inspect };
    return { state, opening: this.opening, inspect, stats };
  }

  /** Adds a workbench step (crash, fault, reset). */
  private note(what: WorkbenchEvent['what'], text: string): void {
    this.push({ type: 'workbench', what, text });
  }

  /** Runs `f` as command `text`, keeping its steps and output. */
  private record(text: string, f: (out: OutputLine[]) => boolean | void): CommandRecord {
    this.current = this.commands.length;
    const diskBefore = cloneDisk(this.disk);
    const firstStep = this.steps.length;
    const output: OutputLine[] = [{ kind: 'cmd', text }];
    let ok = true;
    try {
      ok = f(output) !== false;
    } catch (e) {
      ok = false;
      output.push({ kind: 'err', text: errorText(e) });
    }
    const rec: CommandRecord = {
      index: this.current,
      text,
      firstStep,
      endStep: this.steps.length,
      output,
      ok,
      diskBefore,
      diskAfter: cloneDisk(this.disk),
      after: this.picture(),
    };
    if (text === 'clear') rec.clear = true;
    if (this.scenario) rec.scenario = this.scenario;
    this.commands.push(rec);
    return rec;
  }

  /** Opens the store (recovering whatever is on disk); every recovery step gets its picture. */
  private open(out: OutputLine[]): void {
    const before = this.state;
    this.opening = true;
    try {
      this.store = openStore(this.engine, {
        ...this.storeOptions,
        dir: this.dir,
        fs: this.fs,
        trace: this.listen,
        observe: (s) => (this.store = s),
      });
    } catch (e) {
      this.store = undefined;
      this.state = before;
      this.opening = false;
      // The last step says so: the panes show no open store, not the half-recovered one.
      this.note('refused', `open refused (${errorText(e)}): no store is open`);
      throw e;
    } finally {
      this.opening = false;
    }
    this.state = 'open';
    this.capturing = true;
    let s;
    try {
      s = this.fs.quietly(() => this.store!.stats());
    } finally {
      this.capturing = false;
    }
    out.push({
      kind: 'info',
      text: `opened the ${this.engine} store: ${s.liveKeys} keys, ${s.files} files, ${s.diskBytes} B on disk`,
    });
  }

  /** The open store, or a plain error saying why there is none. */
  private need(): KVStore {
    if (this.state === 'open' && this.store) return this.store;
    throw new CommandError(
      this.state === 'crashed'
        ? 'the store died in the crash: type reopen to recover it'
        : 'the store is closed: type reopen',
    );
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
        out.push({ kind: 'out', text: v === undefined ? '(not found)' : quote(clip(valueText(v))) });
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
        for (let i = 1; i <= cmd.count; i++)
          s.put(`${cmd.prefix}${String(i).padStart(w, '0')}`, fillValue(i, cmd.valueBytes));
        const size = cmd.valueBytes !== undefined ? ` (${cmd.valueBytes}-byte values)` : '';
        out.push({
          kind: 'out',
          text: `ok: put ${cmd.prefix}${'1'.padStart(w, '0')} .. ${cmd.prefix}${String(cmd.count).padStart(w, '0')}${size}`,
        });
        return;
      }
      case 'scan': {
        const range: { gte?: string; lt?: string; reverse?: boolean; limit?: number } = { reverse: cmd.reverse };
        if (cmd.from !== undefined) range.gte = cmd.from;
        if (cmd.to !== undefined) range.lt = cmd.to;
        if (cmd.limit !== undefined) range.limit = cmd.limit;
        let n = 0;
        for (const [k, v] of this.need().scan(range)) {
          if (n < SCAN_PRINT) out.push({ kind: 'out', text: `${k.length === 0 ? '""' : display(k)} = ${display(v)}` });
          n++;
        }
        out.push({
          kind: 'info',
          text: `(${n} pair${n === 1 ? '' : 's'}${n > SCAN_PRINT ? `, first ${SCAN_PRINT} shown` : ''})`,
        });
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
        this.close();
        out.push({ kind: 'out', text: 'closed' });
        return;
      case 'reopen':
        // A clean close first (it saves or syncs), as a program would.
        if (this.state === 'open' && this.store) this.close();
        this.open(out);
        return;
      case 'reset':
        if (this.state === 'open' && this.store) {
          try {
            this.close();
          } catch {
            // The old disk is thrown away anyway.
          }
        }
        this.fs = new MemoryFileSystem();
        this.disk = emptyDisk();
        this.counters = { ...ZERO };
        this.state = 'closed';
        this.last = undefined;
        {
          // A scenario may set engine options of its own (Scenario.options) for the store it makes.
          const own = this.scenario ? this.adapter.scenarios.find((x) => x.name === this.scenario)?.options : undefined;
          this.storeOptions = own ? { ...this.options, ...own } : this.options;
          const said = own
            ? ` (this scenario's options: ${Object.entries(own)
                .map(([k, v]) => `${k} ${String(v)}`)
                .join(', ')})`
            : '';
          this.note('reset', `a new, empty disk${said}`);
          if (said) out.push({ kind: 'info', text: `a new store${said}` });
        }
        this.open(out);
        return;
      case 'crash':
        return this.crash(cmd, out);
      case 'fault': {
        this.fs.injectFault({
          call: cmd.call,
          ...(cmd.path !== undefined ? { path: cmd.path } : {}),
          ...(cmd.skip ? { skip: cmd.skip } : {}),
          ...(cmd.die ? { crash: true } : {}),
        });
        const which = `the ${cmd.skip ? `${ordinal(cmd.skip + 1)} ` : 'next '}${cmd.call}${cmd.path ? ` on ${cmd.path}` : ''}`;
        const what = cmd.die
          ? 'the process dies at it (its writes stay pending, for a crash to keep, drop or tear)'
          : 'it will fail with EIO';
        this.note('fault', `${which}: ${what}`);
        out.push({ kind: 'info', text: `armed: ${which}${cmd.path ? ' (a path containing it)' : ''}: ${what}` });
        return;
      }
      case 'corrupt': {
        const d = corruptByte(this.fs, this.dir, cmd.file, cmd.offset, cmd.byte);
        this.disk.files.find((f) => f.name === d.file)!.bytes[d.offset] = d.after;
        const text = damageText(d);
        this.push({ type: 'workbench', what: 'corrupt', text, damage: d });
        out.push({ kind: 'info', text });
        return;
      }
      case 'probe': {
        const s = this.need();
        const first = this.steps.length;
        for (let i = 1; i <= cmd.count; i++) s.get(probeKey(cmd.prefix, i));
        const counts = probeCounts(this.steps.slice(first).map((st) => st.event));
        for (const text of probeReport(counts, probeKey(cmd.prefix, 1), probeKey(cmd.prefix, cmd.count)))
          out.push({ kind: 'out', text });
        return;
      }
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

  /** Closes the store; from its last event on, the picture is "closed". */
  private close(): void {
    const s = this.store!;
    // The close's own events are drawn while the store still holds its state.
    try {
      s.close();
    } finally {
      this.state = 'closed';
    }
  }

  /**
   * A simulated power loss: what was never synced is dropped (or lands torn). "Lost" counts
   * every acknowledged write that no longer exists anywhere: the unsynced disk writes that did
   * not land, and, for an engine that holds writes in memory until it saves, those writes too.
   */
  private crash(cmd: Extract<Command, { kind: 'crash' }>, out: OutputLine[]): void {
    const pending = this.fs.pendingWrites();
    // Writes that lived only in the engine's memory die with the process.
    const inMemory =
      this.state === 'open' && this.store ? memoryOnly(this.fs.quietly(() => this.store!.inspect())) : undefined;
    let keep = cmd.keep ?? (cmd.torn ? Math.max(0, pending - 1) : 0);
    keep = Math.min(keep, pending);
    let tear: number | undefined;
    if (cmd.torn && keep < pending) tear = cmd.tear ?? Math.floor(this.fs.pendingWriteLength(keep) / 2);
    this.fs.powerLoss({
      keepWrites: keep,
      ...(tear !== undefined ? { tornBytes: tear } : {}),
      ...(cmd.dirs ? { keepDirChanges: true } : {}),
    });
    this.fs.clearFaults();
    this.store = undefined;
    this.state = 'crashed';
    this.last = undefined;
    this.disk = readDisk(this.fs, this.dir);
    const lost = pending - keep - (tear !== undefined ? 1 : 0);
    const parts = [`${pending} unsynced disk write${pending === 1 ? '' : 's'}`];
    if (keep > 0) parts.push(`${keep} landed anyway`);
    if (tear !== undefined) parts.push(`1 landed torn after ${tear} B`);
    parts.push(`${lost} lost`);
    if (inMemory) parts.push(`and ${inMemory}, lost with the process`);
    if (cmd.dirs) parts.push('unsynced directory changes survived');
    const text = `power lost: ${parts.join(', ')}; the process and its memory are gone`;
    this.note('crash', text);
    out.push({ kind: 'info', text });
  }
}
