/**
 * merge.ts: merge, bitcask's compaction. It rewrites only the live records, so the space
 * that overwritten and deleted values took comes back.
 *
 *   1. Seal the active file (sync it); from here every data file is an input. Let A be the
 *      largest id in use: inputs have ids <= A, outputs will have ids A+1, A+2, ...
 *   2. For each input, oldest first, read it whole and copy each record the keydir points
 *      into it to the current output file (rolling over at maxFileBytes). Tombstones and
 *      dead records are not copied: every file is an input, so nothing older survives for
 *      a tombstone to hide. Each finished output is synced, then its hint file is written
 *      and synced.
 *   3. Commit: write a MANIFEST that lists only the outputs, sealed at their sizes, with
 *      hints (manifest.ts: temp file, fsync, rename, directory fsync). This rename is the
 *      switch: until it is durable the old MANIFEST lists the inputs, and open removes the
 *      outputs as unlisted leftovers; once it is, open removes the inputs instead.
 *   4. Point the keydir at the copies; remove the inputs and their hints. No directory sync:
 *      a removal a crash forgets is redone by the next open.
 *
 * A merge that fails before step 3 removes its outputs (best effort: open removes any it
 * misses), and the store goes on with the inputs. A failure inside step 3 leaves every file
 * where it is: the MANIFEST may or may not have been replaced, the error is KV_IO so the
 * store takes no more writes, and both answers are safe for the next open. Copies keep
 * their sequence numbers, so a record is never two versions of its key.
 */
import { KVError, corrupt } from '../errors.js';
import { display, equalBytes } from '../bytes.js';
import type { FileHandle } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { DataFile } from './datafile.js';
import { RECORD_HEADER, dataName, decodeRecord, encodeHint, encodeRecord, hintName, type HintEntry } from './format.js';
import { writeManifest } from './manifest.js';
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
  try {
    // Step 2: copy the live records, input by input, in file order.
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
        if (r.record.seq !== e.seq || !equalBytes(r.record.key, key))
          throw corrupt(input.path, at, 'the record there is not the one the keydir points at');
        // Re-encode without the batch flag: in the output, every record stands alone.
        const rec = encodeRecord(e.seq, 0, key, r.record.value);
        if (out && out.size > 0 && out.size + rec.length > s.tuning.maxFileBytes) {
          finishOutput(s, out);
          out = undefined;
        }
        if (!out) {
          const oid = lastInput + outputs.length + 1;
          out = {
            id: oid,
            handle: fs.open(join(dir, dataName(oid)), { create: true, truncate: true }),
            size: 0,
            hints: [],
            liveBytes: 0,
          };
          outputs.push(out);
        }
        const to = out.handle.append(rec);
        out.size = to + rec.length;
        out.liveBytes += rec.length;
        out.hints.push({ seq: e.seq, key, valueLength: e.valueSize, recordOffset: to });
        moved.push([
          k,
          { file: out.id, valueOffset: to + RECORD_HEADER + key.length, valueSize: e.valueSize, seq: e.seq },
        ]);
        s.trace?.({
          type: 'bitcask.merge.copy',
          key: display(key),
          from: input.name,
          fromOffset: at,
          to: dataName(out.id),
          toOffset: to,
          bytes: rec.length,
        });
      }
    }
    if (out) finishOutput(s, out);
  } catch (e) {
    abort(s, outputs, e);
    throw e;
  }
  // Step 3: the switch. A failure in here leaves every file as it is (see above).
  const lastId = lastInput + outputs.length;
  const bytes = writeManifest(fs, dir, {
    lastId,
    active: 0,
    sealed: outputs.map((o) => ({ id: o.id, size: o.size, hint: true })),
  });
  s.manifestActive = 0;
  s.trace?.({ type: 'bitcask.manifest', reason: 'merge', sealed: outputs.length, bytes });
  s.trace?.({ type: 'bitcask.merge.commit', outputs: outputs.map((o) => dataName(o.id)) });

  // Step 4: memory follows the commit, then the inputs go.
  for (const id of inputs) {
    s.fileOf(id).close();
    s.files.delete(id);
    s.cache.evictFile(id);
  }
  for (const o of outputs) {
    const f = new DataFile(o.id, dir, o.size);
    f.merged = true;
    f.hint = true;
    f.adopt(o.handle);
    f.liveBytes = o.liveBytes;
    s.files.set(o.id, f);
  }
  for (const [k, e] of moved) s.keydir.set(k, e);
  s.lastId = lastId;
  s.merges++;
  for (const id of inputs) {
    fs.remove(join(dir, dataName(id)));
    if (fs.exists(join(dir, hintName(id)))) fs.remove(join(dir, hintName(id)));
    s.trace?.({ type: 'bitcask.merge.remove', file: dataName(id) });
  }
  s.trace?.({
    type: 'bitcask.merge.done',
    outputs: outputs.map((o) => dataName(o.id)),
    removed: inputs.length,
    bytesBefore,
    bytesAfter: sum(outputs.map((o) => o.size)),
  });
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
 * Undoes a merge that failed before its commit: removes the outputs. The MANIFEST never
 * listed them, so this is only tidying: if it fails too (the disk is failing), the next
 * open removes them. The merge's own error is what the caller sees.
 */
function abort(s: BitcaskState, outputs: Output[], cause: unknown): void {
  const { fs, dir } = s;
  try {
    for (const o of outputs) o.handle.close();
    for (const o of outputs) {
      if (fs.exists(join(dir, hintName(o.id)))) fs.remove(join(dir, hintName(o.id)));
      fs.remove(join(dir, dataName(o.id)));
    }
  } catch {
    return;
  }
  s.trace?.({ type: 'bitcask.merge.abort', error: cause instanceof KVError ? cause.code : String(cause) });
}

/** The sum of some numbers. */
function sum(xs: number[]): number {
  let n = 0;
  for (const x of xs) n += x;
  return n;
}
