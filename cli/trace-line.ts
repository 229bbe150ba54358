/**
 * trace-line.ts: prints one trace event as one readable line, coloured by family.
 *
 *   → put key=hello value=world             an op begins (bold cyan)
 *     snapshot.set key=hello keys=1 ...     an engine event (blue type, dim field names)
 *     io write snapshot.db.tmp @0 +41 4b56…  a file-system call (reads green, writes yellow,
 *                                           syncs magenta, create/rename/remove blue)
 *   ← put ok                                the op ends (green), or with its error (red)
 *
 * The printer knows the three families (op, io, engine) but no engine's events by name:
 * an engine event prints as its type and then every field as name=value, so events added
 * by any engine print without changes here. Long fields are cut with an ellipsis.
 */
import type { IoEvent, OpBeginEvent, OpEndEvent } from '../engines/trace.js';
import type { TraceEvent } from '../engines/registry-types.js';
import { plainPaint, type Paint, type Style } from './colour.js';

/** Options for printing a trace line. */
export interface TraceLineOptions {
  paint?: Paint;
  /** The store directory: paths under it print relative to it. */
  dir?: string;
  /** The most characters one field value prints before it is cut (default 60). */
  fieldWidth?: number;
  /** The most bytes of an io event's data shown as hex (default 16). */
  hexBytes?: number;
}

/** The colour of each io call. */
const IO_STYLE: Record<IoEvent['call'], Style> = {
  read: 'green',
  write: 'yellow',
  truncate: 'yellow',
  sync: 'magenta',
  syncDir: 'magenta',
  create: 'blue',
  rename: 'blue',
  remove: 'blue',
};

/** Cuts text to `n` characters with an ellipsis. */
function cut(s: string, n: number): string {
  return s.length > n ? s.slice(0, Math.max(0, n - 1)) + '…' : s;
}

/** A field value as text: bare when it is a simple word, else JSON. */
export function fieldText(v: unknown, width = 60): string {
  if (typeof v === 'string') return cut(/^[^\s"=]+$/.test(v) ? v : JSON.stringify(v), width);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return String(v);
  return cut(JSON.stringify(v), width);
}

/** `path` relative to `dir` when it is inside it. */
function relative(path: string, dir: string | undefined): string {
  if (!dir) return path;
  const d = dir.replace(/\/+$/, '');
  if (path === d) return '.';
  return path.startsWith(d + '/') ? path.slice(d.length + 1) : path;
}

/** Formats an op event. */
function opLine(e: OpBeginEvent | OpEndEvent, paint: Paint, width: number): string {
  if (e.phase === 'begin') {
    const parts = [paint('cyan', '→'), paint('bold', paint('cyan', e.op))];
    if (e.key !== undefined) parts.push(`${paint('dim', 'key=')}${fieldText(e.key, width)}`);
    if (e.value !== undefined) parts.push(`${paint('dim', 'value=')}${fieldText(e.value, width)}`);
    if (e.detail !== undefined) parts.push(e.detail);
    return parts.join(' ');
  }
  if (e.error !== undefined)
    return `${paint('red', '←')} ${paint('bold', paint('red', e.op))} ${paint('red', `failed: ${e.error}`)}`;
  return `${paint('green', '←')} ${paint('bold', paint('green', e.op))} ${paint('green', e.result ?? 'ok')}`;
}

/** Formats an io event. */
function ioLine(
  e: IoEvent,
  paint: Paint,
  o: Required<Pick<TraceLineOptions, 'fieldWidth' | 'hexBytes'>> & TraceLineOptions,
): string {
  const parts = ['  ' + paint('gray', 'io'), paint(IO_STYLE[e.call] ?? 'gray', e.call), relative(e.path, o.dir)];
  if (e.to !== undefined) parts.push('→', relative(e.to, o.dir));
  if (e.offset !== undefined) parts.push(paint('dim', `@${e.offset}`));
  if (e.length !== undefined) parts.push(paint('dim', `${e.call === 'truncate' ? '=' : '+'}${e.length}`));
  if (e.hex) {
    const shown = e.hex.slice(0, o.hexBytes * 2);
    const more = e.hex.length > shown.length || e.cut === true;
    parts.push(paint('gray', shown.replace(/(.{8})(?=.)/g, '$1 ') + (more ? '…' : '')));
  }
  if (e.error !== undefined) parts.push(paint('red', `failed: ${e.error}`));
  return parts.join(' ');
}

/** Formats an engine event: its type, then each field as name=value. */
function engineLine(e: { type: string } & Record<string, unknown>, paint: Paint, width: number): string {
  const parts = ['  ' + paint('blue', e.type)];
  for (const [k, v] of Object.entries(e)) {
    if (k === 'type' || v === undefined) continue;
    parts.push(`${paint('dim', k + '=')}${fieldText(v, width)}`);
  }
  return parts.join(' ');
}

/** One trace event as one line (no newline). */
export function formatTraceEvent(event: TraceEvent, options: TraceLineOptions = {}): string {
  const paint = options.paint ?? plainPaint;
  const o = { fieldWidth: 60, hexBytes: 16, ...options };
  if (event.type === 'op') return opLine(event as OpBeginEvent | OpEndEvent, paint, o.fieldWidth);
  if (event.type === 'io') return ioLine(event as IoEvent, paint, o);
  return engineLine(event as { type: string } & Record<string, unknown>, paint, o.fieldWidth);
}
