/**
 * frame.ts: the picture at one step of the timeline, rebuilt from the recording. No DOM.
 *
 * frame(i) starts from the keyframe before step i's command and applies that command's
 * events up to step i: io events to the disk (disk.ts), engine events to the in-memory pane
 * (the adapter). At a command's last step the in-memory pane is the keyframe after it, i.e.
 * exactly what inspect() said. A frame depends only on the recording and i, so stepping back
 * and forward again gives the same picture.
 */
import type { IoEvent } from '../../engines/trace.js';
import { basename } from '../../engines/storage/path.js';
import type { EngineAdapter, MemoryPicture } from './adapter.js';
import { applyIo, cloneDisk, diskBytes, hexBytes, unsyncedBytes, type DiskState } from './disk.js';
import type { CommandRecord, Counters, Recorder, StepEvent, StoreState } from './recorder.js';

/** The bytes one step wrote or read. */
export interface Touch {
  kind: 'write' | 'read';
  file: string;
  offset: number;
  length: number;
  /** The bytes (the first HEX_LIMIT of them when the event was cut). */
  bytes: Uint8Array;
  /** The step that touched them (it may be earlier than the frame's step). */
  step: number;
  /** The whole file as it was right after that step (a later rename or remove cannot hide it). */
  fileBytes: Uint8Array;
}

/** The numbers the counters pane shows. */
export interface FrameCounters extends Counters {
  diskBytes: number;
  unsyncedBytes: number;
  files: number;
  memoryBytes: number | null;
  liveKeys: number | null;
}

/** Everything the panes draw at one step. */
export interface Frame {
  step: number;
  command: CommandRecord;
  event: StepEvent;
  state: StoreState;
  memory: MemoryPicture | null;
  disk: DiskState;
  /** The bytes this step (or the latest earlier step of its command) wrote or read. */
  touch: Touch | undefined;
  /** The in-memory row this step is about. */
  focusKey: string | undefined;
  counters: FrameCounters;
}

/** How often (in steps within one command) frameAt saves its running state. */
const CHECKPOINT_EVERY = 32;

/** The running state of a replay just before a step: what frameAt resumes from. */
interface Checkpoint {
  state: StoreState;
  memory: MemoryPicture | null;
  disk: DiskState;
  touch: Touch | undefined;
  focusKey: string | undefined;
}

/**
 * Checkpoints per recording, so a frame deep in a long command (fill 200 is a thousand
 * steps) replays at most CHECKPOINT_EVERY events. A recording only grows, and a step's
 * events never change, so a checkpoint stays valid.
 */
const CHECKPOINTS = new WeakMap<Recorder, Map<number, Checkpoint>>();

/** The checkpoints of one recording. */
function checkpoints(rec: Recorder): Map<number, Checkpoint> {
  let m = CHECKPOINTS.get(rec);
  if (!m) CHECKPOINTS.set(rec, (m = new Map()));
  return m;
}

/** The command that step `i` belongs to (binary search over the records). */
export function commandOf(rec: Recorder, i: number): CommandRecord {
  const cs = rec.commands;
  let lo = 0;
  let hi = cs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (cs[mid]!.firstStep <= i) lo = mid;
    else hi = mid - 1;
  }
  // Commands without steps share a firstStep with the next one; take the one that owns i.
  while (lo > 0 && cs[lo]!.endStep <= i) lo--;
  return cs[lo]!;
}

/** The picture at step `i` (0 <= i < rec.steps.length). */
export function frameAt(rec: Recorder, i: number): Frame {
  const step = rec.steps[i];
  if (!step) throw new RangeError(`no step ${i}; the recording has ${rec.steps.length}`);
  const cmd = rec.commands[step.command]!;
  const ad = rec.adapter;
  let state: StoreState = cmd.before.state;
  let memory: MemoryPicture | null = cmd.before.memory;
  let disk = cloneDisk(cmd.before.disk);
  let touch: Touch | undefined;
  let focusKey: string | undefined;
  let from = cmd.firstStep;
  // Start from the nearest checkpoint of this command at or before i, if one was saved.
  const saved = checkpoints(rec);
  for (let c = i - ((i - cmd.firstStep) % CHECKPOINT_EVERY); c > cmd.firstStep; c -= CHECKPOINT_EVERY) {
    const cp = saved.get(c);
    if (!cp) continue;
    ({ state, memory, touch, focusKey } = cp);
    disk = cloneDisk(cp.disk);
    from = c;
    break;
  }
  for (let j = from; j <= i; j++) {
    // Save the running state before replaying step j, every CHECKPOINT_EVERY steps of the command.
    if (j > cmd.firstStep && (j - cmd.firstStep) % CHECKPOINT_EVERY === 0 && !saved.has(j)) {
      saved.set(j, { state, memory, disk: cloneDisk(disk), touch, focusKey });
    }
    const e = rec.steps[j]!.event;
    if (e.type === 'io') {
      applyIo(disk, rec.dir, e);
      const t = touchOf(e, j, disk);
      if (t) touch = t;
    } else if (e.type === 'workbench') {
      if (e.what === 'crash' || e.what === 'reset') {
        state = e.what === 'crash' ? 'crashed' : 'closed';
        memory = null;
        // After a power loss the disk holds what survived; the keyframe read it back.
        if (e.what === 'crash') disk = cloneDisk(cmd.after.disk);
        else disk = { files: [] };
      }
    } else if (e.type === 'op') {
      if (e.op === 'open' && e.phase === 'begin') {
        state = 'open';
        memory = ad.emptyMemory();
      } else if (e.op === 'close' && e.phase === 'end') {
        state = 'closed';
        memory = null;
      }
      if (e.phase === 'begin' && e.key !== undefined) focusKey = e.key;
    } else if (memory) {
      memory = ad.applyEvent(memory, e, cmd.after.memory);
      focusKey = ad.focusKey(e) ?? focusKey;
    }
  }
  // The last step of a command shows exactly what inspect() said after it.
  if (i === cmd.endStep - 1) {
    state = cmd.after.state;
    memory = cmd.after.memory;
  }
  // Counters the trace does not carry (memory) come from the keyframes: the one after the
  // command at its last step, or while a reopen is recovering; else the one before it.
  const stats = i === cmd.endStep - 1 || !cmd.before.stats ? cmd.after.stats : cmd.before.stats;
  const counters: FrameCounters = {
    ...step.counters,
    diskBytes: diskBytes(disk),
    unsyncedBytes: unsyncedBytes(disk),
    files: disk.files.length,
    memoryBytes: state === 'open' ? (stats?.memoryBytes ?? null) : null,
    liveKeys: state === 'open' ? ((memory?.keys === undefined ? memory?.total : memory.keys) ?? stats?.liveKeys ?? null) : null,
  };
  return { step: i, command: cmd, event: step.event, state, memory, disk, touch, focusKey, counters };
}

/** The bytes an io event wrote or read, if it did. */
function touchOf(e: IoEvent, step: number, disk: DiskState): Touch | undefined {
  if ((e.call !== 'write' && e.call !== 'read') || e.error || e.hex === undefined) return undefined;
  const file = basename(e.path);
  const fileBytes = disk.files.find((f) => f.name === file)?.bytes.slice() ?? new Uint8Array(0);
  return { kind: e.call, file, offset: e.offset ?? 0, length: e.length ?? 0, bytes: hexBytes(e.hex), step, fileBytes };
}

/** The field index a byte at `offset` falls in (fields sorted by offset), or -1. */
export function fieldAt(fields: readonly { offset: number; length: number }[], offset: number): number {
  let lo = 0;
  let hi = fields.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const f = fields[mid]!;
    if (offset < f.offset) hi = mid - 1;
    else if (offset >= f.offset + f.length) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** An engine's adapter is attached to the recorder; a helper for panes that need it. */
export function adapterOf(rec: Recorder): EngineAdapter {
  return rec.adapter;
}
