/**
 * share.ts: a workbench session in a link. No DOM.
 *
 * A session is the engine, its options, every console line run since the store was opened
 * (scenario buttons as `run <name>`), and the step shown. Replaying the lines on the real
 * engine rebuilds the same recording, so the link carries no trace, only what was typed.
 *
 * Encoding (version 1), in the URL hash as `#w<widget>=<code>`, several joined by `&`:
 *   code = "1" + base64url(deflate-raw(text))
 *   text = engine "\n" options-JSON "\n" step "\n" line "\n" line ...
 * with the commonest command words replaced by one control character each before deflate
 * (put -> \x01 ..., never \n), which keeps thirty typical commands well under 400 characters.
 *
 * decodeSession never throws: a malformed code is a ShareError saying what is wrong.
 */

/** A session to share. */
export interface Session {
  engine: string;
  options: Record<string, string | number | boolean>;
  lines: string[];
  step: number;
}

/** Why a link could not be read. */
export class ShareError extends Error {
  constructor(
    readonly reason:
      'version' | 'base64' | 'compression' | 'too-large' | 'shape' | 'engine' | 'options' | 'step' | 'lines',
    message: string,
  ) {
    super(message);
    this.name = 'ShareError';
  }
}

/** What decodeSession returns: a session, or the error (never a throw). */
export type DecodeResult = { ok: true; session: Session } | { ok: false; error: ShareError };

/** The version character a code starts with. */
const VERSION = '1';
/** The most text a code may inflate to (a guard against a crafted bomb). */
export const MAX_TEXT = 64 * 1024;
/** The most console lines a link replays. */
export const MAX_LINES = 500;
/** The most characters one line may have. */
const MAX_LINE = 400;

/** Command words replaced by a control character before compression. */
const WORDS = [
  'put ',
  'get ',
  'delete ',
  'scan ',
  'sync',
  'crash',
  'reopen',
  'compact',
  'fill ',
  'run ',
  'batch ',
  'close',
  'reset',
  'fault ',
  'torn',
  'clear',
];
/** The character each word becomes: control characters, skipping \n (the line separator). */
const CODES = WORDS.map((_, i) => String.fromCharCode(i + 1 < 10 ? i + 1 : i + 2));
const WORD_OF = new Map(CODES.map((c, i) => [c, WORDS[i]!]));

/** Replaces the command words by their tokens. Lines never hold control characters (they are stripped). */
export function tokenise(line: string): string {
  let s = '';
  let i = 0;
  outer: while (i < line.length) {
    for (let w = 0; w < WORDS.length; w++) {
      if (line.startsWith(WORDS[w]!, i)) {
        s += CODES[w];
        i += WORDS[w]!.length;
        continue outer;
      }
    }
    s += line[i];
    i++;
  }
  return s;
}

/** The inverse of tokenise. */
export function detokenise(s: string): string {
  let out = '';
  for (const c of s) out += WORD_OF.get(c) ?? c;
  return out;
}

/** A console line as a link keeps it: one line, no control characters, trimmed. */
export function cleanLine(line: string): string {
  const one = line
    // eslint-disable-next-line no-control-regex -- control characters are exactly what goes
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, MAX_LINE);
  // A lone surrogate (half an emoji, e.g. cut by the slice) has no UTF-8 form.
  return one.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Bytes to base64url (no padding). */
export function toBase64Url(b: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < b.length; i++) bin += String.fromCharCode(b[i]!);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url to bytes; undefined when it is not base64url. */
export function fromBase64Url(s: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** Runs bytes through a (de)compression stream, stopping past `limit` output bytes. */
async function pipe(
  b: Uint8Array,
  stream: CompressionStream | DecompressionStream,
  limit = Infinity,
): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Writing and closing reject along with the read when the data is bad; the read reports it.
  writer.write(b as Uint8Array<ArrayBuffer>).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
    if (n > limit) {
      await reader.cancel().catch(() => {});
      throw new ShareError('too-large', `the link holds more than ${limit} bytes of commands`);
    }
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

/** The text form of a session (before compression). */
export function sessionText(s: Session): string {
  return [s.engine, JSON.stringify(s.options), String(s.step), ...s.lines.map((l) => tokenise(cleanLine(l)))].join(
    '\n',
  );
}

/** Encodes a session as a link code. */
export async function encodeSession(s: Session): Promise<string> {
  const text = new TextEncoder().encode(sessionText(s));
  return VERSION + toBase64Url(await pipe(text, new CompressionStream('deflate-raw')));
}

/** Reads a session back from its text form; throws ShareError. */
export function parseSessionText(text: string, engines: readonly string[]): Session {
  const parts = text.split('\n');
  if (parts.length < 3) throw new ShareError('shape', 'the link is cut short: it names no engine, options or step');
  const [engine, optionsText, stepText, ...tokens] = parts as [string, string, string, ...string[]];
  if (!engines.includes(engine))
    throw new ShareError(
      'engine',
      `the link names an engine this page does not have ("${engine.slice(0, 40)}"); it has ${engines.join(', ')}`,
    );
  let options: unknown;
  try {
    options = JSON.parse(optionsText);
  } catch {
    throw new ShareError('options', 'the engine options in the link are not valid JSON');
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new ShareError('options', 'the engine options in the link are not an object');
  for (const [k, v] of Object.entries(options)) {
    const ok = (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'string' || typeof v === 'boolean';
    if (!ok || !/^[A-Za-z][A-Za-z0-9]{0,40}$/.test(k))
      throw new ShareError(
        'options',
        `the engine option "${k.slice(0, 40)}" in the link is not a plain number, string or flag`,
      );
  }
  if (!/^\d{1,7}$/.test(stepText))
    throw new ShareError('step', `the step in the link ("${stepText.slice(0, 20)}") is not a step number`);
  if (tokens.length > MAX_LINES)
    throw new ShareError('lines', `the link holds ${tokens.length} commands; at most ${MAX_LINES} are replayed`);
  const lines = tokens.map(detokenise);
  if (lines.some((l) => l.length > MAX_LINE + 20))
    throw new ShareError('lines', 'a command in the link is too long to be one the console made');
  return { engine, options: options as Session['options'], lines, step: Number(stepText) };
}

/** Decodes a link code; never throws. `engines` are the engine names the page knows. */
export async function decodeSession(code: string, engines: readonly string[]): Promise<DecodeResult> {
  try {
    if (!code.startsWith(VERSION))
      throw new ShareError(
        'version',
        code.length === 0
          ? 'the link holds no workbench session'
          : 'the link was made by another version of this site (or was mistyped)',
      );
    const packed = fromBase64Url(code.slice(1));
    if (!packed)
      throw new ShareError(
        'base64',
        'the link has characters a workbench link never has (it may have been cut or mistyped)',
      );
    let raw: Uint8Array;
    try {
      raw = await pipe(packed, new DecompressionStream('deflate-raw'), MAX_TEXT);
    } catch (e) {
      if (e instanceof ShareError) throw e;
      throw new ShareError(
        'compression',
        'the link is damaged: its commands do not decompress (it may have been cut short)',
      );
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new ShareError('shape', 'the link is damaged: its commands are not text');
    }
    return { ok: true, session: parseSessionText(text, engines) };
  } catch (e) {
    return {
      ok: false,
      error:
        e instanceof ShareError
          ? e
          : new ShareError('shape', `the link could not be read: ${e instanceof Error ? e.message : String(e)}`),
    };
  }
}

/** The hash entries: widget key -> code. Entries not shaped `w<key>=<code>` (heading anchors) are ignored. */
export function parseHash(hash: string): Map<string, string> {
  const out = new Map<string, string>();
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of h.split('&')) {
    const m = /^w([A-Za-z0-9_-]{1,40})=(.*)$/.exec(part);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** A hash with widget `key`'s entry set to `code` (or removed when undefined), others kept. */
export function withEntry(hash: string, key: string, code: string | undefined): string {
  const entries = parseHash(hash);
  if (code === undefined) entries.delete(key);
  else entries.set(key, code);
  const s = [...entries].map(([k, v]) => `w${k}=${v}`).join('&');
  return s ? `#${s}` : '';
}
