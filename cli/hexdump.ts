/**
 * hexdump.ts: hexdumps for `kv dump --hex`.
 *
 * annotatedHex() prints one field per line, the way the lessons annotate bytes:
 *
 *   00000000  4b 56 53 4e 41 50 76 31                          magic "KVSNAPv1"
 *   00000008  01 00                                            version 1
 *
 * A field longer than a row wraps onto more rows (label on the first); one longer than
 * `maxFieldBytes` shows its start and says how many bytes it left out. Bytes no field covers
 * print as "(not annotated)", so every byte in the range is accounted for.
 * plainHex() is the classic 16-bytes-per-row dump with an ASCII column, for bytes no
 * decoder understood (a torn tail, a file of unknown kind).
 */
import { plainPaint, type Paint } from './colour.js';

/** A run of bytes and what it means. */
export interface HexField {
  offset: number;
  length: number;
  label: string;
}

/** Options for the hexdumps. */
export interface HexOptions {
  paint?: Paint;
  /** Bytes per row (default 16). */
  width?: number;
  /** The most bytes of one field shown before it is cut (default 64). */
  maxFieldBytes?: number;
  /** Prefix for every line (default two spaces). */
  indent?: string;
}

/** An offset as 8 hex digits. */
export function hexOffset(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** The bytes [start, end) as spaced hex pairs. */
function pairs(bytes: Uint8Array, start: number, end: number): string {
  const out: string[] = [];
  for (let i = start; i < end; i++) out.push(bytes[i]!.toString(16).padStart(2, '0'));
  return out.join(' ');
}

/** Hex rows for `bytes[from, to)` labelled `label`, cut after `max` bytes. */
function fieldRows(bytes: Uint8Array, from: number, to: number, label: string, o: Required<HexOptions>): string[] {
  const rows: string[] = [];
  const colWidth = o.width * 3 - 1;
  const shownEnd = Math.min(to, from + o.maxFieldBytes, bytes.length);
  if (from >= shownEnd) {
    // An empty field (an empty value) still gets a line, so the reader sees it is there.
    return [
      `${o.indent}${o.paint('gray', hexOffset(from))}  ${''.padEnd(colWidth)}  ${o.paint('cyan', label)} ${o.paint('dim', '(0 bytes)')}`,
    ];
  }
  for (let r = from; r < shownEnd; r += o.width) {
    const hex = pairs(bytes, r, Math.min(r + o.width, shownEnd)).padEnd(colWidth);
    const note = r === from ? o.paint('cyan', label) : '';
    rows.push(`${o.indent}${o.paint('gray', hexOffset(r))}  ${hex}  ${note}`.trimEnd());
  }
  const left = Math.min(to, bytes.length) - shownEnd;
  if (left > 0) rows.push(`${o.indent}${''.padEnd(8)}  ${o.paint('dim', `… ${left} more bytes`)}`);
  if (to > bytes.length)
    rows.push(
      `${o.indent}${''.padEnd(8)}  ${o.paint('red', `… ${to - bytes.length} bytes missing: the file ends here`)}`,
    );
  return rows;
}

/** One line per field (wrapped at `width` bytes), in offset order, covering [start, end). */
export function annotatedHex(
  bytes: Uint8Array,
  fields: readonly HexField[],
  options: HexOptions & { start?: number; end?: number } = {},
): string[] {
  const o: Required<HexOptions> = { paint: plainPaint, width: 16, maxFieldBytes: 64, indent: '  ', ...options };
  const sorted = [...fields].sort((a, b) => a.offset - b.offset);
  const start = options.start ?? sorted[0]?.offset ?? 0;
  const end = options.end ?? Math.max(start, ...sorted.map((f) => f.offset + f.length));
  const rows: string[] = [];
  let at = start;
  for (const f of sorted) {
    // Bytes between fields that no field explains.
    if (f.offset > at) rows.push(...fieldRows(bytes, at, f.offset, '(not annotated)', o));
    rows.push(...fieldRows(bytes, f.offset, f.offset + f.length, f.label, o));
    at = Math.max(at, f.offset + f.length);
  }
  if (at < end) rows.push(...fieldRows(bytes, at, end, '(not annotated)', o));
  return rows;
}

/** The classic dump: offset, 16 hex bytes, and the printable ASCII. */
export function plainHex(bytes: Uint8Array, start = 0, end = bytes.length, options: HexOptions = {}): string[] {
  const paint = options.paint ?? plainPaint;
  const width = options.width ?? 16;
  const indent = options.indent ?? '  ';
  const rows: string[] = [];
  for (let r = start; r < end; r += width) {
    const stop = Math.min(r + width, end);
    let ascii = '';
    for (let i = r; i < stop; i++)
      ascii += bytes[i]! >= 0x20 && bytes[i]! < 0x7f ? String.fromCharCode(bytes[i]!) : '.';
    rows.push(
      `${indent}${paint('gray', hexOffset(r))}  ${pairs(bytes, r, stop).padEnd(width * 3 - 1)}  ${paint('dim', '|' + ascii + '|')}`,
    );
  }
  return rows;
}
