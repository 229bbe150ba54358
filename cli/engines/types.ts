/**
 * types.ts: what each engine's CLI module gives the `dump` and `check` commands.
 *
 * Every engine stores different files (a snapshot, data and hint files, pages, a WAL and
 * SSTables and a MANIFEST), so each has a module here that reads them with the engine's own
 * code: its describers (engines/<engine>/ layout code, which name every byte as a span; see
 * engines/layout.ts) for `dump`, and its decoders and checker for `check`, turned into this
 * common shape by items.ts. The printers (cli/dump.ts, cli/check.ts) know only this shape,
 * never an engine's bytes; no module here reads a field of a file itself.
 */
import type { EngineName } from '../../engines/kv.js';
import type { FileSystem } from '../../engines/storage/fs.js';
import type { HexField } from '../hexdump.js';

/** The first thing wrong with a store: which file, which byte, and what. */
export interface Problem {
  file: string;
  offset: number;
  what: string;
}

/** One decoded unit of a file: a header, a record, a page, a block, a hint entry, an edit. */
export interface DumpItem {
  offset: number;
  length: number;
  /** What it is: 'header', 'record', 'page', 'block', 'hint', 'edit', 'trailer', ... */
  kind: string;
  /** One line saying what it holds, e.g. `key=apple value=red`. */
  summary: string;
  /** Its fields, for the annotated hexdump (--hex); absent means one unlabelled run. */
  fields?: HexField[];
  /** Nested units (entries in a page, blocks in a table), printed indented under it. */
  children?: DumpItem[];
}

/** One file of the store, decoded. */
export interface DumpFile {
  name: string;
  size: number;
  /** What the engine uses it for: 'snapshot', 'data file', 'hint file', 'sstable', ... */
  role: string;
  items: DumpItem[];
  /** Sentences about the file as a whole (e.g. "left by an interrupted save"). */
  notes: string[];
  /** Set when decoding stopped at bad bytes. */
  problem?: Problem;
  /** The file's bytes, for --hex (not part of the JSON output). */
  bytes?: Uint8Array;
}

/** Everything `dump` found. */
export interface DumpReport {
  engine: EngineName;
  dir: string;
  files: DumpFile[];
}

/** What `check` verified and the first problem, if any. */
export interface CheckReport {
  engine: EngineName;
  dir: string;
  /** True when every checksum and invariant held. */
  sound: boolean;
  /** One line per thing verified, e.g. "snapshot.db: 10 records, CRC-32C ok". */
  checked: string[];
  /** Things worth knowing that are not problems (a leftover temp file, a foreign file). */
  notes: string[];
  problem?: Problem;
}

/** An engine's CLI module. Both functions read files only; neither opens the store. */
export interface EngineTools {
  engine: EngineName;
  /** Decodes every file of the store in `dir`. */
  dump(fs: FileSystem, dir: string): DumpReport;
  /** Verifies every checksum and structural invariant; stops at the first problem. */
  check(fs: FileSystem, dir: string): CheckReport;
}
