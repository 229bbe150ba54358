/**
 * merge.ts: merge, bitcask's compaction. It rewrites only the live records, so the space
 * that overwritten and deleted values took comes back.
 *
 *   1. Seal the active file (sync it); from here every data file is an input. Let A be the
 *      largest id in use: inputs have ids <= A, outputs will have ids A+1, A+2, ...
 *   2. Create the empty marker MERGE-started-A (its name is all it says).
 *   3. For each input, oldest first, read it whole and copy each record the keydir points
 *      into it to the current output file (rolling over at maxFileBytes). Tombstones and
 *      dead records are not copied: every file is an input, so nothing older survives for
 *      a tombstone to hide. Each finished output is synced, then its hint file is written
 *      and synced.
 *   4. (Nothing to do: see "directory syncs" below.)
 *   5. Commit: rename the marker to MERGE-committed-A. This rename is the switch: a crash that keeps it finishes the merge at the next open; a
 *      crash that loses it undoes the merge (recovery.ts).
 *   6. Point the keydir at the copies; remove the inputs and their hints, then the marker.
 *
 * Directory syncs: none. A merge changes no contents, so a crash that forgets every name it
 * created, renamed or removed leaves the pre-merge files, which hold the same pairs. What
 * must hold is the order in which names become durable, and one directory's entries become
 * durable together (the next file the store creates syncs the directory): the outputs, the
 * "committed" marker and the removals all at once, or a prefix of them in the order they
 * were made (a backend that persists each call at once, as the Node one does).
 *
 * A merge that fails before step 5 removes its outputs and the marker (the marker last, so
 * recovery never sees "committed" without its outputs), and the store goes on with the inputs. Copies keep their sequence numbers, so a record present both in
 * an input and in an output (after a crash) is one record, never two versions.
 */
import { KVError, corrupt } from '../errors.js';
import { display, equalBytes } from '../bytes.js';
import type { FileHandle } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { DataFile } from './datafile.js';
import {
  RECORD_HEADER,
  dataName,
  decodeRecord,
  encodeHint,
  encodeRecord,
  hintName,
  mergeMarkerName,
  type HintEntry,
} from './format.js';
import { keyBytes, type KeydirEntry } from './keydir.js';
import type { MergeReason } from './events.js';
import type { BitcaskState } from './state.js';

/** An output file being written. */
interface Output {
  id: number;
  handle: FileHandle;
  size: number;
  hints: HintEntry[];
  liveBytes: number;
}

/** Runs a whole merge of every data file. */
export function merge(s: BitcaskState, reason: MergeReason): void {
  const { fs, dir } = s;
  // Step 1: everything becomes an input.
  s.sealActive();
  const inputs = s.ids();
  if (inputs.length === 0) return;
  const lastInput = s.lastId;
  const bytesBefore = sum(inputs.map((id) => s.fileOf(id).size));
  s.trace?.({
    type: 'bitcask.merge.start',
    reason,
    inputs: inputs.map(dataName),
    deadBytes: sum(inputs.map((id) => s.fileOf(id).deadBytes)),
    totalBytes: bytesBefore,
    liveKeys: s.keydir.size,
  });

  const outputs: Output[] = [];
  const moved: [string, KeydirEntry][] = [];
  const commit = { renaming: false };
  const started = mergeMarkerName('started', lastInput);
  const committed = mergeMarkerName('committed', lastInput);
  try {
    // Step 2: say a merge is under way, and which ids are its inputs.
    fs.open(join(dir, started), { create: true, truncate: true }).close();
    // Step 3: copy the live records, input by input, in file order.
    const byFile = new Map<number, [string, KeydirEntry][]>();
    for (const [k, e] of s.keydir.entries()) {
      let list = byFile.get(e.file);
      if (!list) byFile.set(e.file, (list = []));
      list.push([k, e]);
    }
    let out: Output | undefined;
    for (const id of inputs) {
      const live = byFile.get(id);
      if (!live) continue;
      live.sort((a, b) => a[1].valueOffset - b[1].valueOffset);
      const input = s.fileOf(id);
      const bytes = input.file(fs).read(0, input.size);
      for (const [k, e] of live) {
        const key = keyBytes(k);
        const at = e.valueOffset - RECORD_HEADER - key.length;
        const r = decodeRecord(bytes, at);
        if (r.kind !== 'ok') throw corrupt(input.path, at, r.reason);
        if (r.record.seq !== e.seq || !equalBytes(r.record.key, key)) throw corrupt(input.path, at, 'the record there is not the one the keydir points at');
        // Re-encode without the batch flag: in the output, every record stands alone.
        const rec = encodeRecord(e.seq, 0, key, r.record.value);
        if (out && out.size > 0 && out.size + rec.length > s.tuning.maxFileBytes) {
          finishOutput(s, out);
          out = undefined;
        }
        if (!out) {
          const oid = lastInput + outputs.length + 1;
          out = { id: oid, handle: fs.open(join(dir, dataName(oid)), { create: true, truncate: true }), size: 0, hints: [], liveBytes: 0 };
          outputs.push(out);
        }
        const to = out.handle.append(rec);
        out.size = to + rec.length;
        out.liveBytes += rec.length;
        out.hints.push({ seq: e.seq, key, valueLength: e.valueSize, recordOffset: to });
        moved.push([k, { file: out.id, valueOffset: to + RECORD_HEADER + key.length, valueSize: e.valueSize, seq: e.seq }]);
        s.trace?.({ type: 'bitcask.merge.copy', key: display(key), from: input.name, fromOffset: at, to: dataName(out.id), toOffset: to, bytes: rec.length });
      }
    }
    if (out) finishOutput(s, out);
    // Step 5: the switch.
    commit.renaming = true;
    fs.rename(join(dir, started), join(dir, committed));
    s.trace?.({ type: 'bitcask.merge.commit', outputs: outputs.map((o) => dataName(o.id)) });
  } catch (e) {
    // A failure inside the commit's rename leaves the marker's state unknown: the commit may
    // be on disk. Both answers are safe for recovery (the outputs are complete), but removing
    // the outputs now is not; so leave every file as it is (the error is KV_IO, so the store
    // takes no more writes) and let the next open finish or undo the merge.
    if (!commit.renaming) abort(s, outputs, started, e);
    throw e;
  }

  // Step 6: memory follows the commit, then the inputs go.
  for (const id of inputs) {
    s.fileOf(id).close();
    s.files.delete(id);
  }
  for (const o of outputs) {
    const f = new DataFile(o.id, dir, o.size);
    f.merged = true;
    f.adopt(o.handle);
    f.liveBytes = o.liveBytes;
    s.files.set(o.id, f);
  }
  for (const [k, e] of moved) s.keydir.set(k, e);
  s.lastId = lastInput + outputs.length;
  s.merges++;
  for (const id of inputs) {
    fs.remove(join(dir, dataName(id)));
    fs.remove(join(dir, hintName(id)));
    s.trace?.({ type: 'bitcask.merge.remove', file: dataName(id) });
  }
  // Until the removals are durable, so is the committed marker (or nothing of the merge is),
  // and an open after a crash removes the inputs again.
  fs.remove(join(dir, committed));
  s.trace?.({ type: 'bitcask.merge.done', outputs: outputs.map((o) => dataName(o.id)), removed: inputs.length, bytesBefore, bytesAfter: sum(outputs.map((o) => o.size)) });
}

/** Syncs a finished output, then writes and syncs its hint file. */
function finishOutput(s: BitcaskState, out: Output): void {
  out.handle.sync();
  s.trace?.({ type: 'bitcask.merge.output', file: dataName(out.id), records: out.hints.length, bytes: out.size });
  const bytes = encodeHint(out.id, out.size, out.hints);
  const h = s.fs.open(join(s.dir, hintName(out.id)), { create: true, truncate: true });
  try {
    h.write(0, bytes);
    h.sync();
  } finally {
    h.close();
  }
  s.trace?.({ type: 'bitcask.hint.write', file: hintName(out.id), entries: out.hints.length, bytes: bytes.length });
}

/**
 * Undoes a merge that failed before its commit: removes the outputs and the marker. If that
 * fails too (the disk is failing), an I/O error is thrown so the store stops taking writes;
 * the marker still says MERGE-started, and the next open undoes the merge.
 */
function abort(s: BitcaskState, outputs: Output[], marker: string, cause: unknown): void {
  const { fs, dir } = s;
  try {
    for (const o of outputs) o.handle.close();
    for (const o of outputs) {
      fs.remove(join(dir, hintName(o.id)));
      fs.remove(join(dir, dataName(o.id)));
    }
    fs.remove(join(dir, marker));
    fs.syncDir(dir);
  } catch (e) {
    if (cause instanceof KVError && cause.code === 'KV_IO') return;
    throw e;
  }
  s.trace?.({ type: 'bitcask.merge.abort', error: cause instanceof KVError ? cause.code : String(cause) });
}

/** The sum of some numbers. */
function sum(xs: number[]): number {
  let n = 0;
  for (const x of xs) n += x;
  return n;
}
