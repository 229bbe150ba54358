/**
 * corrupt.ts: the workbench's `corrupt <file> <offset> [byte]`: one byte of a file at rest on
 * the disk changes, as bit rot or a bad sector would change it. No DOM here.
 *
 * The change is made to the memory file system's durable bytes (written and fsynced quietly:
 * no trace event, no I/O counted, no injected fault used up), and the recorder adds one step
 * for it whose event carries the file, the offset and both values, so a frame rebuilds the
 * damaged disk from the event alone (frame.ts) and every pane stays a pure function of its step.
 *
 * Only bytes at rest can rot: a file with writes not yet synced is refused (syncing them here
 * would make durable what a crash could still drop, and change the lesson's crash story).
 */
import type { MemoryFileSystem } from '../../engines/storage/memory.js';
import { CommandError } from './commands.js';
import { selectionHex } from './linked.js';
import type { EngineAdapter } from './adapter.js';
import type { Frame } from './frame.js';
import type { HexModel } from './panes.js';

/** What one `corrupt` did: the byte at `offset` of `file` went from `before` to `after`. */
export interface Damage {
  file: string;
  offset: number;
  before: number;
  after: number;
}

/** The byte as the console writes it: 0x followed by two hex digits. */
export function hex8(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * Changes one durable byte of `dir/file` on `fs`: to `byte`, or with its lowest bit flipped.
 * Throws a CommandError a reader understands when there is no such file or byte, when the byte
 * already has that value, or when the file holds writes not yet synced.
 */
export function corruptByte(fs: MemoryFileSystem, dir: string, file: string, offset: number, byte?: number): Damage {
  // Step 1: the file must exist in the store's directory and hold that byte.
  const path = `${dir}/${file}`;
  const names = fs.exists(dir) ? fs.quietly(() => fs.list(dir)).filter((n) => n !== 'LOCK') : [];
  const bytes = file === 'LOCK' || file.includes('/') ? undefined : fs.peek(path);
  if (!bytes)
    throw new CommandError(
      `corrupt: there is no file "${file}" in the store; its files are ${names.length ? names.join(', ') : '(none)'}`,
    );
  if (offset >= bytes.length) {
    throw new CommandError(
      bytes.length === 0
        ? `corrupt: ${file} is empty: it has no byte to change`
        : `corrupt: ${file} has ${bytes.length} bytes, so the offset is 0 to ${bytes.length - 1}`,
    );
  }
  // Step 2: only bytes at rest: a file with unsynced writes is refused.
  const unsynced = fs.unsyncedRanges(path).reduce((n, [a, b]) => n + b - a, 0);
  if (unsynced > 0)
    throw new CommandError(
      `corrupt: ${file} has ${unsynced} B not yet synced; type sync (or crash) first: corrupt damages bytes at rest on the disk`,
    );
  const before = bytes[offset]!;
  const after = byte ?? before ^ 1;
  if (after === before) throw new CommandError(`corrupt: byte ${offset} of ${file} is already ${hex8(before)}`);
  // Step 3: write it and make it durable, outside the engine's view.
  fs.quietly(() => {
    const h = fs.open(path);
    try {
      h.write(offset, Uint8Array.of(after));
      h.sync();
    } finally {
      h.close();
    }
  });
  return { file, offset, before, after };
}

/** What the console and the event list say about a damage. */
export function damageText(d: Damage): string {
  return `byte ${d.offset} of ${d.file} damaged on disk: ${hex8(d.before)} → ${hex8(d.after)} (as bit rot would); the engine finds out when it next reads it`;
}

/** The hex view at a damage step: the bytes around the damaged one, fields named, the byte outlined. */
export function damageHex(frame: Frame, ad: EngineAdapter, d: Damage, perRow = 16): HexModel | undefined {
  const m = selectionHex(
    ad,
    frame.disk,
    { file: d.file, offset: d.offset, length: 1, label: `byte ${d.offset} of ${d.file}` },
    perRow,
  );
  if (!m) return undefined;
  return { ...m, title: `damaged byte ${d.offset} of ${d.file}: ${hex8(d.before)} → ${hex8(d.after)}` };
}
