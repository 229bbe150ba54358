/**
 * format.ts: the bitcask files, byte by byte.
 *
 * Data file `NNNNNN.data` (NNNNNN = the file id, six or more decimal digits): records, one
 * after another, with no file header. Only the active file is ever appended to; every other
 * file is sealed, and the MANIFEST (below) holds its exact size.
 *
 *   offset  size  field
 *   0       4     CRC-32C (masked) of bytes 4 .. end of record, uint32 LE
 *   4       4     header CRC: CRC-32C (masked) of bytes 8 .. 22, uint32 LE
 *   8       8     sequence number, uint64 LE (two uint32 halves, low first; < 2^53)
 *   16      1     flags: bit 0 tombstone (a delete), bit 1 batch-continues; others zero
 *   17      2     key length k, uint16 LE (0 .. 65535; the store allows 0 .. 1024: 0 is the empty key)
 *   19      4     value length v, uint32 LE (0 for a tombstone)
 *   23      k     key
 *   23+k    v     value
 *
 * RECORD_HEADER = 4 + 4 + 8 + 1 + 2 + 4 = 23. The header CRC lets recovery trust the two
 * lengths before it uses them: a record that runs past the end of the file with a good
 * header is a torn append, while a flipped length bit is corruption, not a "torn tail". A batch of n ops is n records written in one
 * append: the first n-1 carry the batch-continues flag, the last does not. Recovery applies
 * a batch only once it reads the record that closes it, so a batch torn by a crash is
 * dropped whole. The keydir points at the value (offset 23+k of its record); a get reads the
 * whole record in one read so it can check the CRC and the key before returning the value.
 *
 * Hint file `NNNNNN.hint`, written by a merge beside each data file it produces: the keydir
 * entries of that file, so that open can skip reading the data file.
 *
 *   offset  size  field
 *   0       8     magic "BCHINT01" (ASCII)
 *   8       4     data file id, uint32 LE
 *   12      8     data file size in bytes, uint64 LE (the hint is valid only for that size)
 *   20      4     entry count, uint32 LE
 *   24      ...   entries
 *   end-4   4     CRC-32C (masked) of every byte before it, uint32 LE
 *
 *   entry:  0  8  sequence number, uint64 LE
 *           8  2  key length k, uint16 LE
 *           10 4  value length, uint32 LE
 *           14 8  record offset in the data file, uint64 LE
 *           22 k  key
 *
 * HINT_HEADER = 8 + 4 + 8 + 4 = 24, HINT_ENTRY = 8 + 2 + 4 + 8 = 22, HINT_TRAILER = 4.
 *
 * MANIFEST: the list of data files the store consists of, replaced whole and atomically
 * (written to MANIFEST.tmp, fsynced, renamed over MANIFEST, directory fsynced) whenever the
 * set of files changes: a new active file (first write after open, rollover), a merge's
 * commit, and close, which seals the active file. A sealed file is immutable, fully synced,
 * and must be exactly its recorded size; a listed file that is missing, shorter or longer
 * is KV_CORRUPT. A data or hint file the MANIFEST does not list is a crash's leftover (an
 * uncommitted merge's output, a committed merge's input, a file created just before the
 * MANIFEST naming it) and open removes it.
 *
 *   offset  size  field
 *   0       8     magic "BCMANI01" (ASCII)
 *   8       4     last id: the largest data file id ever used, uint32 LE
 *   12      4     active file id, uint32 LE (0: none; the active file is the only unsealed one)
 *   16      4     hinted through: every sealed file with an id up to this one has a hint
 *                 file beside it (a merge's outputs, which always hold the lowest ids), uint32 LE
 *   20      4     sealed file count n, uint32 LE
 *   24      12n   sealed files, in increasing id order
 *   end-4   4     CRC-32C (masked) of every byte before it, uint32 LE
 *
 *   sealed file:  0  4  data file id, uint32 LE
 *                 4  8  its exact size in bytes, uint64 LE
 *
 * MANIFEST_HEADER = 8 + 4 + 4 + 4 + 4 = 24, MANIFEST_ENTRY = 4 + 8 = 12, MANIFEST_TRAILER = 4.
 *
 * Merge marker (an earlier format; no longer written, still recognised so tools can name
 * it): an empty file `MERGE-started-NNNNNN` / `MERGE-committed-NNNNNN`.
 *
 * The code, one module per file type, each with its encoder, its decoder and its describer
 * (the decoder's walk as named spans, engines/layout.ts): names.ts (file names),
 * record-format.ts (data files), hint-format.ts, manifest-format.ts. This module is their one
 * entry, and describeBitcaskFile() picks the describer by a file's name. FORMAT.md explains
 * the choices.
 */
import { fieldGroup, span, type Group } from '../layout.js';
import { describeHintFile } from './hint-format.js';
import { describeManifestFile } from './manifest-format.js';
import { MANIFEST_NAME, MANIFEST_TMP, parseMergeMarker, parseName } from './names.js';
import { describeDataFile } from './record-format.js';

export * from './names.js';
export * from './record-format.js';
export * from './hint-format.js';
export * from './manifest-format.js';

/**
 * An old-format merge marker as spans: it should be empty (its name says everything), so any
 * bytes in it are unused.
 */
export function describeMarker(bytes: Uint8Array): Group[] {
  if (bytes.length === 0) return [];
  return [
    fieldGroup('bytes', `${bytes.length} bytes (a marker is empty: its name says everything)`, [
      span(0, bytes.length, 'markerBytes', 'unused'),
    ]),
  ];
}

/**
 * Any file of a bitcask store as spans, by its name: a data file, a hint file, the MANIFEST
 * or MANIFEST.tmp, a merge marker. Undefined for a name the engine does not use.
 */
export function describeBitcaskFile(name: string, bytes: Uint8Array): Group[] | undefined {
  const p = parseName(name);
  if (p?.kind === 'data') return describeDataFile(bytes);
  if (p?.kind === 'hint') return describeHintFile(bytes);
  if (name === MANIFEST_NAME || name === MANIFEST_TMP) return describeManifestFile(bytes);
  if (parseMergeMarker(name)) return describeMarker(bytes);
  return undefined;
}
