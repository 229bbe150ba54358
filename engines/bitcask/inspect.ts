/**
 * inspect.ts: the bitcask engine's picture of itself: the keydir, and every file as a strip
 * of records (which of them the keydir points at); the bytes of each record are described by
 * the file describers (record-format.ts, hint-format.ts), not here.
 */

/** One keydir entry as a diagram draws it. */
export interface KeydirRow {
  key: string;
  file: string;
  valueOffset: number;
  valueSize: number;
  seq: number;
}

/** One record in a data file's strip. */
export interface RecordStrip {
  offset: number;
  size: number;
  seq: number;
  kind: 'put' | 'delete';
  /** True when more records of the same batch follow this one. */
  batchContinues: boolean;
  key: string;
  value?: string;
  /** True when the keydir points at this record (the rest are dead, or tombstones). */
  live: boolean;
}

/** A data file. */
export interface DataFileStrip {
  name: string;
  id: number;
  size: number;
  role: 'active' | 'immutable' | 'merged';
  liveBytes: number;
  deadBytes: number;
  /** Its hint file's name, when a merge wrote one. */
  hint?: string;
  /** The records from the start (at most `shownRecords`; `records` says how many there are). */
  strip: RecordStrip[];
  records: number;
  /** Bytes at the end that do not parse as a whole record (a torn tail; 0 normally). */
  tailBytes: number;
}

/** A hint entry. */
export interface HintRow {
  key: string;
  seq: number;
  recordOffset: number;
  valueSize: number;
}

/** A hint file. */
export interface HintFileStrip {
  name: string;
  size: number;
  /** The data file it describes. */
  data: string;
  entries: HintRow[];
}

/** The bitcask engine's inspect() result. */
export interface BitcaskInspect {
  engine: 'bitcask';
  /** The keydir in key order (at most `shown` rows; `keys` says how many there are). */
  keydir: KeydirRow[];
  keys: number;
  /** The file new writes go to (undefined until the first write after open or a merge). */
  active?: string;
  dataFiles: DataFileStrip[];
  hintFiles: HintFileStrip[];
  /** The MANIFEST on disk: the largest id used, the active file, and every sealed file at its size (absent before the first write). */
  manifest?: { lastId: number; active?: string; sealed: { file: string; size: number; hint: boolean }[] };
  /** A merge marker (MERGE-started-A or MERGE-committed-A), if one is present (only ever seen mid-merge or after a crash). */
  mergeMarker?: string;
  nextSeq: number;
  maxFileBytes: number;
  /** The automatic merge threshold, and where the immutable files stand against it. */
  merge: {
    deadRatio: number;
    minDeadBytes: number;
    immutableDeadBytes: number;
    immutableBytes: number;
    merges: number;
  };
  /** The most keydir rows and records per file shown. */
  shown: number;
}
