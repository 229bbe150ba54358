/**
 * events.ts: the bitcask engine's trace events. Keys and values are shown with
 * bytes.display(); files by name; offsets are byte offsets in the file.
 *
 *   bitcask.append          a record (put or tombstone) was appended to the active file
 *   bitcask.batch           a batch's records were appended together, in one write
 *   bitcask.keydir          the keydir changed: a key now points somewhere new, or is gone
 *   bitcask.lookup          a get consulted the keydir (and, if found, read one record)
 *   bitcask.rollover        a new active file was created and listed in the MANIFEST: the
 *                           first write after open or a merge, or the active file reached
 *                           maxFileBytes (then it was synced and sealed first)
 *   bitcask.merge.start     a merge began (why, which files, how many dead bytes)
 *   bitcask.merge.copy      a live record was copied from an input file into an output file
 *   bitcask.merge.output    an output data file was finished and synced
 *   bitcask.hint.write      a hint file was written and synced beside an output file
 *   bitcask.merge.commit    the MANIFEST listing only the outputs is durable: the outputs now count
 *   bitcask.merge.remove    an input file (and its hint) was removed
 *   bitcask.merge.done      the merge finished
 *   bitcask.merge.abort     the merge failed and its outputs were removed
 *   bitcask.recover.clean   open removed a file a crash left behind (MANIFEST.tmp, or a data or
 *                           hint file the MANIFEST does not list)
 *   bitcask.recover.merge   (earlier format) open found a merge marker: it finished the merge (committed)
 *                           or undid it (started), removing the listed files
 *   bitcask.recover.hint    open loaded a data file's keydir entries from its hint file
 *   bitcask.recover.badhint open found a hint it could not trust, and scanned the data file
 *   bitcask.recover.scan    open read a data file and replayed its records
 *   bitcask.recover.truncate open cut a torn tail (or an unfinished batch) off the newest file
 *   bitcask.open            open finished: files, keys, next sequence number, active file
 *   bitcask.manifest        the MANIFEST was replaced (why; how many sealed files; the active one)
 */

/** Why the MANIFEST was rewritten: a new active file, a merge's commit, or close sealing the active file. */
export type ManifestReason = 'rollover' | 'merge' | 'close';

/** Why a merge ran. */
export type MergeReason = 'compact' | 'auto';

export type BitcaskEvent =
  | {
      type: 'bitcask.append';
      file: string;
      offset: number;
      bytes: number;
      seq: number;
      kind: 'put' | 'delete';
      key: string;
      value?: string;
    }
  | { type: 'bitcask.batch'; file: string; offset: number; bytes: number; ops: number; firstSeq: number }
  | {
      type: 'bitcask.keydir';
      action: 'set' | 'remove';
      key: string;
      file?: string;
      valueOffset?: number;
      valueSize?: number;
      seq: number;
      keys: number;
      /** Bytes that became dead (the record this key pointed at before), 0 if none. */
      dead: number;
    }
  | { type: 'bitcask.lookup'; key: string; found: boolean; file?: string; offset?: number; bytes?: number }
  | { type: 'bitcask.rollover'; from?: string; to: string; size: number }
  | {
      type: 'bitcask.merge.start';
      reason: MergeReason;
      inputs: string[];
      deadBytes: number;
      totalBytes: number;
      liveKeys: number;
    }
  | {
      type: 'bitcask.merge.copy';
      key: string;
      from: string;
      fromOffset: number;
      to: string;
      toOffset: number;
      bytes: number;
    }
  | { type: 'bitcask.merge.output'; file: string; records: number; bytes: number }
  | { type: 'bitcask.hint.write'; file: string; entries: number; bytes: number }
  | { type: 'bitcask.merge.commit'; outputs: string[] }
  | { type: 'bitcask.merge.remove'; file: string }
  | { type: 'bitcask.merge.done'; outputs: string[]; removed: number; bytesBefore: number; bytesAfter: number }
  | { type: 'bitcask.merge.abort'; error: string }
  | { type: 'bitcask.recover.clean'; file: string }
  | { type: 'bitcask.recover.merge'; action: 'finish' | 'undo'; lastInput: number; removed: string[] }
  | { type: 'bitcask.recover.hint'; file: string; entries: number }
  | { type: 'bitcask.recover.badhint'; file: string; reason: string }
  | { type: 'bitcask.recover.scan'; file: string; records: number; bytes: number }
  | { type: 'bitcask.recover.truncate'; file: string; offset: number; dropped: number; reason: string }
  | { type: 'bitcask.open'; files: number; keys: number; nextSeq: number; active?: string }
  | { type: 'bitcask.manifest'; reason: ManifestReason; sealed: number; active?: string; bytes: number };
