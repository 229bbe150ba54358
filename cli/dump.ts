/**
 * dump.ts: prints what an engine's CLI module decoded from the store's files (`kv dump`).
 *
 * One block per file: its name, role and size, then one line per item (header, record,
 * page, block, hint entry, manifest edit) with its offset, children indented under it; with
 * --hex each item is followed by its annotated hexdump. A file whose decoding stopped at bad
 * bytes ends with the problem, offset included. --json prints the same report as JSON.
 */
import { toHex } from '../engines/bytes.js';
import { annotatedHex, plainHex } from './hexdump.js';
import { plainPaint, type Paint } from './colour.js';
import type { DumpFile, DumpItem, DumpReport } from './engines/types.js';

/** Options for printing a dump. */
export interface DumpOptions {
  hex?: boolean;
  paint?: Paint;
}

/** One item line, its hexdump if asked, then its children one level deeper. */
function itemLines(file: DumpFile, item: DumpItem, depth: number, o: Required<DumpOptions>): string[] {
  const pad = '  '.repeat(depth);
  const lines = [
    `${pad}${o.paint('gray', `@${item.offset}`.padEnd(9))} ${o.paint('bold', item.kind.padEnd(8))} ${item.summary}`,
  ];
  if (o.hex && file.bytes) {
    const indent = pad + '    ';
    if (item.fields && item.fields.length) {
      lines.push(
        ...annotatedHex(file.bytes, item.fields, {
          paint: o.paint,
          indent,
          start: item.offset,
          end: item.offset + item.length,
        }),
      );
    } else if (!item.children?.length) {
      const end = Math.min(item.offset + item.length, file.bytes.length);
      const shown = Math.min(end, item.offset + 256);
      lines.push(...plainHex(file.bytes, item.offset, shown, { paint: o.paint, indent }));
      if (shown < end) lines.push(`${indent}${o.paint('dim', `… ${end - shown} more bytes`)}`);
    }
  }
  for (const c of item.children ?? []) lines.push(...itemLines(file, c, depth + 1, o));
  return lines;
}

/** The dump as text lines. */
export function renderDump(report: DumpReport, options: DumpOptions = {}): string[] {
  const o: Required<DumpOptions> = { hex: false, paint: plainPaint, ...options };
  const lines = [
    o.paint(
      'bold',
      `${report.engine} store in ${report.dir}: ${report.files.length} file${report.files.length === 1 ? '' : 's'}`,
    ),
  ];
  if (report.files.length === 0) lines.push('  (no files: the store is empty and nothing has been written yet)');
  for (const f of report.files) {
    lines.push('');
    lines.push(`${o.paint('bold', o.paint('cyan', f.name))}  ${o.paint('dim', `(${f.role}, ${f.size} bytes)`)}`);
    for (const item of f.items) lines.push(...itemLines(f, item, 1, o));
    for (const n of f.notes) lines.push(`  ${o.paint('dim', 'note:')} ${n}`);
    if (f.problem) lines.push(`  ${o.paint('red', `PROBLEM at byte offset ${f.problem.offset}: ${f.problem.what}`)}`);
  }
  return lines;
}

/** An item as JSON, with its bytes as hex when asked. */
function itemJson(file: DumpFile, item: DumpItem, hex: boolean): unknown {
  const out: Record<string, unknown> = { ...item };
  if (hex && file.bytes) out.hex = toHex(file.bytes.subarray(item.offset, item.offset + item.length));
  if (item.children) out.children = item.children.map((c) => itemJson(file, c, hex));
  return out;
}

/** The dump as a JSON-ready object (file bytes left out; with `hex`, each item's bytes as hex). */
export function dumpJson(report: DumpReport, hex = false): unknown {
  return {
    engine: report.engine,
    dir: report.dir,
    files: report.files.map((f) => {
      const { bytes: _bytes, ...rest } = f;
      return { ...rest, items: f.items.map((i) => itemJson(f, i, hex)) };
    }),
  };
}
