/**
 * report.ts: stats() and inspect() as readable reports (`kv stats`, `kv inspect`).
 *
 * Stats print as a table of counters with sizes in human units, plus two ratios a learner
 * asks about: write amplification (bytes written / user bytes written) and space
 * amplification (disk bytes / live bytes). Inspect pictures differ per engine, so they print
 * generically: nested objects indent, arrays of flat objects print as tables, long lists are
 * cut (--json prints everything).
 */
import type { StoreStats } from '../engines/kv.js';
import { plainPaint, type Paint } from './colour.js';

/** Options for the reports. */
export interface ReportOptions {
  paint?: Paint;
  /** Rows of a table or items of a list shown before "… N more" (default 20). */
  maxRows?: number;
}

/** A byte count as `1.50 KiB (1536 B)` (or `1.50 KiB` when not `exact`), or `12 B` when small. */
export function humanBytes(n: number, exact = true): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}${exact ? ` (${n} B)` : ''}`;
}

/** A ratio with two decimals, or "n/a" when the denominator is zero. */
function ratio(a: number, b: number): string {
  return b > 0 ? (a / b).toFixed(2) : 'n/a';
}

/** Aligns label/value rows into two columns. */
function columns(rows: [string, string, string?][], paint: Paint, indent = '  '): string[] {
  const w = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(
    ([l, v, note]) => `${indent}${paint('dim', l.padEnd(w))}  ${v}${note ? '  ' + paint('gray', note) : ''}`,
  );
}

/** The stats report as text lines. */
export function renderStats(s: StoreStats, dir: string, options: ReportOptions = {}): string[] {
  const paint = options.paint ?? plainPaint;
  const lines = [paint('bold', `${s.engine} store in ${dir}`)];
  lines.push(
    ...columns(
      [
        ['live keys', String(s.liveKeys)],
        ['live bytes', humanBytes(s.liveBytes), 'key + value bytes of the present keys'],
        ['memory', humanBytes(s.memoryBytes), "estimate of the engine's in-memory structures"],
        ['files', String(s.files)],
        ['disk bytes', humanBytes(s.diskBytes)],
        ['bytes written', humanBytes(s.bytesWritten), 'since open'],
        ['bytes read', humanBytes(s.bytesRead), 'since open'],
        ['syncs', String(s.syncs), 'file and directory fsyncs since open'],
        ['user bytes written', humanBytes(s.userBytesWritten), 'key + value bytes put since open'],
        ['write amplification', ratio(s.bytesWritten, s.userBytesWritten), 'bytes written / user bytes written'],
        ['space amplification', ratio(s.diskBytes, s.liveBytes), 'disk bytes / live bytes'],
      ],
      paint,
    ),
  );
  const extra = Object.entries(s.engineStats ?? {});
  if (extra.length) {
    lines.push(paint('bold', `${s.engine} counters`));
    lines.push(
      ...columns(
        extra.map(([k, v]) => [k, /bytes/i.test(k) ? humanBytes(v) : String(v)]),
        paint,
      ),
    );
  }
  return lines;
}

/** True for strings, numbers, booleans and null. */
function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v);
}

/** A scalar (or a small nested value) as one cell of text. */
function cell(v: unknown, width = 40): string {
  const s = typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
  return s.length > width ? s.slice(0, width - 1) + '…' : s;
}

/** An array of objects as a table, columns in first-seen key order. */
function table(rows: Record<string, unknown>[], paint: Paint, indent: string, max: number): string[] {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  const shown = rows.slice(0, max);
  const cells = shown.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const lines = [
    indent +
      paint(
        'dim',
        cols
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      ),
  ];
  for (const row of cells)
    lines.push(
      indent +
        row
          .map((x, i) => x.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
    );
  if (rows.length > shown.length)
    lines.push(indent + paint('gray', `… ${rows.length - shown.length} more (--json prints all)`));
  return lines;
}

/** True for a plain object (not an array, not null). */
function isObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/** True when every element is a plain object whose values are scalars or lists of scalars: one row each. */
function isTable(a: unknown[]): a is Record<string, unknown>[] {
  return (
    a.length > 0 &&
    a.every(
      (x) =>
        isObject(x) &&
        Object.values(x).every((v) => isScalar(v) || v === undefined || (Array.isArray(v) && v.every(isScalar))),
    )
  );
}

/** A heading for a nested object in a list: its first scalar field, e.g. `level 0` or `name 000001.data`. */
function titleOf(x: Record<string, unknown>, i: number): string {
  const first = Object.entries(x).find(([, v]) => isScalar(v));
  return first ? `${first[0]} ${cell(first[1])}` : `#${i}`;
}

/** How deep lists of nested objects are opened before they are summarized in one line. */
const MAX_DEPTH = 3;

/**
 * Any JSON value as indented text lines under `indent`. Lists of flat objects are tables;
 * lists of objects that hold lists open as titled blocks, down to MAX_DEPTH, below which
 * they are counted in one line (--json has them all).
 */
export function renderValue(v: unknown, paint: Paint, indent: string, max: number, depth = 0): string[] {
  if (isScalar(v)) return [indent + cell(v, 200)];
  if (Array.isArray(v)) {
    if (v.length === 0) return [indent + paint('gray', '(none)')];
    if (v.every(isScalar)) {
      const shown = v
        .slice(0, max)
        .map((x) => cell(x))
        .join(', ');
      return [indent + `[${shown}${v.length > max ? `, … ${v.length - max} more` : ''}]`];
    }
    if (isTable(v)) return table(v, paint, indent, max);
    if (depth >= MAX_DEPTH)
      return [indent + paint('gray', `(${v.length} nested item${v.length === 1 ? '' : 's'}; --json prints them)`)];
    // Objects holding lists of objects: one titled block each, their lists nested below.
    const lines: string[] = [];
    v.slice(0, max).forEach((x, i) => {
      if (isObject(x)) {
        const title = titleOf(x, i);
        const rest = Object.fromEntries(Object.entries(x).filter(([k]) => k !== title.split(' ')[0]));
        lines.push(`${indent}${paint('bold', title)}`);
        lines.push(...renderValue(rest, paint, indent + '  ', max, depth + 1));
        return;
      }
      // A mixed list: each element under a dash.
      const sub = renderValue(x, paint, indent + '  ', max, depth + 1);
      lines.push(indent + '- ' + sub[0]!.trimStart(), ...sub.slice(1));
    });
    if (v.length > max) lines.push(indent + paint('gray', `… ${v.length - max} more (--json prints all)`));
    return lines;
  }
  const lines: string[] = [];
  const entries = Object.entries(v as Record<string, unknown>);
  const w = Math.max(0, ...entries.filter(([, x]) => isScalar(x)).map(([k]) => k.length));
  for (const [k, x] of entries) {
    if (isScalar(x)) lines.push(`${indent}${paint('dim', k.padEnd(w))}  ${cell(x, 200)}`);
    else if (Array.isArray(x) && (x.length === 0 || x.every(isScalar)))
      lines.push(`${indent}${paint('dim', k.padEnd(w))}  ${stripIndent(renderValue(x, paint, '', max)[0]!)}`);
    else {
      lines.push(`${indent}${paint('bold', k)}${Array.isArray(x) ? paint('gray', ` (${x.length})`) : ''}`);
      lines.push(...renderValue(x, paint, indent + '  ', max, depth + 1));
    }
  }
  return lines;
}

/** Trims leading spaces (colour codes kept). */
function stripIndent(s: string): string {
  return s.replace(/^\s+/, '');
}

/** The inspect report as text lines. */
export function renderInspect(picture: unknown, dir: string, options: ReportOptions = {}): string[] {
  const paint = options.paint ?? plainPaint;
  const engine = (picture as { engine?: string }).engine ?? 'unknown';
  const { engine: _e, ...rest } = picture as Record<string, unknown>;
  return [
    paint('bold', `${engine} store in ${dir}: inspect()`),
    ...renderValue(rest, paint, '  ', options.maxRows ?? 20),
  ];
}
