/**
 * frame.ts: the picture at one step of the timeline, from the recording. No DOM.
 *
 * Every pane draws from one Frame, and a frame is a pure function of the recording and the
 * step: the engine's picture recorded at that step (inspect() and stats() right after its
 * event), the disk rebuilt from the command's starting disk and its io events up to the step
 * (with checkpoints, so a deep step replays few events), the bytes the step touched, and the
 * row it is about. Nothing is tallied from earlier steps, so two panes that show the same
 * fact read it from the same place, and stepping back and forth gives the same picture.
 */
import type { IoEvent, StoreStats } from '../../engines/browser.js';
import { basename } from '../../engines/storage/path.js';
import type { EngineAdapter, MemoryPicture, StepView } from './adapter.js';
import { applyDamage, applyIo, cloneDisk, diskBytes, unsyncedBytes, type DiskState } from './disk.js';
import type { CommandRecord, Recorder } from './recorder.js';
import type { Counters, Picture, StepEvent } from './step.js';

/** The bytes one step wrote or read. */
export interface Touch {
  kind: 'write' | 'read';
  file: string;
  offset: number;
  length: number;
  /** The bytes. */
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
  /** The engine's own estimate of its memory at this step (stats().memoryBytes). */
  memoryBytes: number | null;
  /** Live keys as the engine counts them at this step (stats().liveKeys). */
  liveKeys: number | null;
}

/** Everything the panes draw at one step. */
export interface Frame extends StepView {
  step: number;
  command: CommandRecord;
  picture: Picture;
  /** The in-memory pane, from this step's inspect() (null: nothing in memory to show). */
  memory: MemoryPicture | null;
  /** The bytes this step (or the latest earlier step of its command) wrote or read. */
  touch: Touch | undefined;
  /** The in-memory row this step is about. */
  focusKey: string | undefined;
  counters: FrameCounters;
}

/** How often (in steps within one command) frameAt saves its running disk. */
const CHECKPOINT_EVERY = 32;

/** The running state of a replay just before a step: what frameAt resumes from. */
interface Checkpoint {
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

/** Memory pictures per inspect() object (steps that share a picture share its pane). */
const MEMORY = new WeakMap<object, MemoryPicture>();

/** The checkpoints of one recording. */
function checkpoints(rec: Recorder): Map<number, Checkpoint> {
  let m = CHECKPOINTS.get(rec);
  if (!m) CHECKPOINTS.set(rec, (m = new Map()));
  return m;
}

/** The command that step `i` belongs to. */
export function commandOf(rec: Recorder, i: number): CommandRecord {
  const step = rec.steps[i];
  if (!step) throw new RangeError(`no step ${i}; the recording has ${rec.steps.length}`);
  return rec.commands[step.command]!;
}

/** The in-memory pane of a picture (shared by every step with the same inspect()). */
export function memoryOf(ad: EngineAdapter, p: Picture): MemoryPicture | null {
  if (!p.inspect) return null;
  let m = MEMORY.get(p.inspect);
  if (!m) MEMORY.set(p.inspect, (m = ad.memory(p.inspect, p.stats)));
  return m;
}

/** The picture at step `i` (0 <= i < rec.steps.length). */
export function frameAt(rec: Recorder, i: number): Frame {
  const step = rec.steps[i];
  if (!step) throw new RangeError(`no step ${i}; the recording has ${rec.steps.length}`);
  const cmd = rec.commands[step.command]!;
  const ad = rec.adapter;
  let disk = cloneDisk(cmd.diskBefore);
  let touch: Touch | undefined;
  let focusKey: string | undefined;
  let from = cmd.firstStep;
  // Start from the nearest checkpoint of this command at or before i, if one was saved.
  const saved = checkpoints(rec);
  for (let c = i - ((i - cmd.firstStep) % CHECKPOINT_EVERY); c > cmd.firstStep; c -= CHECKPOINT_EVERY) {
    const cp = saved.get(c);
    if (!cp) continue;
    ({ touch, focusKey } = cp);
    disk = cloneDisk(cp.disk);
    from = c;
    break;
  }
  for (let j = from; j <= i; j++) {
    // Save the running state before replaying step j, every CHECKPOINT_EVERY steps of the command.
    if (j > cmd.firstStep && (j - cmd.firstStep) % CHECKPOINT_EVERY === 0 && !saved.has(j)) {
      saved.set(j, { disk: cloneDisk(disk), touch, focusKey });
    }
    const s = rec.steps[j]!;
    const e = s.event;
    if (e.type === 'io') {
      applyIo(disk, rec.dir, e, s.data);
      const t = touchOf(e, s.data, j, disk);
      if (t) touch = t;
    } else if (e.type === 'workbench') {
      // After a power loss the disk holds what survived; after a reset, nothing.
      if (e.what === 'crash') disk = cloneDisk(cmd.diskAfter);
      else if (e.what === 'reset') disk = { files: [] };
      else if (e.damage) applyDamage(disk, e.damage);
    } else if (e.type === 'op') {
      if (e.phase === 'begin' && e.key !== undefined) focusKey = e.key;
    } else {
      focusKey = ad.focusKey(e) ?? focusKey;
    }
  }
  const picture = step.picture;
  const memory = memoryOf(ad, picture);
  const stats: StoreStats | null = picture.stats;
  const counters: FrameCounters = {
    ...step.counters,
    diskBytes: diskBytes(disk),
    unsyncedBytes: unsyncedBytes(disk),
    files: disk.files.length,
    memoryBytes: stats?.memoryBytes ?? null,
    liveKeys: stats?.liveKeys ?? null,
  };
  const commandEvents: StepEvent[] = [];
  for (let j = cmd.firstStep; j <= i; j++) commandEvents.push(rec.steps[j]!.event);
  return {
    step: i,
    command: cmd,
    commandText: cmd.text,
    event: step.event,
    commandEvents,
    picture,
    state: picture.state,
    inspect: picture.inspect,
    stats,
    memory,
    disk,
    touch,
    focusKey,
    counters,
  };
}

/** The bytes an io event wrote or read, if it did. */
function touchOf(e: IoEvent, data: Uint8Array | undefined, step: number, disk: DiskState): Touch | undefined {
  if ((e.call !== 'write' && e.call !== 'read') || e.error) return undefined;
  const file = basename(e.path);
  const fileBytes = disk.files.find((f) => f.name === file)?.bytes.slice() ?? new Uint8Array(0);
  const offset = e.offset ?? 0;
  const length = e.length ?? 0;
  // A read's bytes are the file's at that range (reads change nothing); a write's, the exact ones.
  const bytes = data ?? fileBytes.slice(offset, offset + length);
  return { kind: e.call, file, offset, length, bytes, step, fileBytes };
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
