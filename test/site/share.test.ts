/**
 * Shareable scenarios: a session survives the round trip through a link code, thirty typical
 * commands make a short link, and a malformed link is a ShareError, never a throw.
 */
import { describe, expect, it } from 'vitest';
import {
  cleanLine,
  decodeSession,
  detokenise,
  encodeSession,
  fromBase64Url,
  parseHash,
  tokenise,
  toBase64Url,
  withEntry,
  ShareError,
  type Session,
} from '../../site/workbench/share.js';

const ENGINES = ['snapshot', 'bitcask', 'btree', 'lsm'];

/** A small deterministic random generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random console line, sometimes with odd characters (unicode, quotes, the command words inside values). */
function randomLine(r: () => number): string {
  const word = (): string => {
    const alphabet = Array.from('abcdefghijklmnopqrstuvwxyz0123456789"\\ é€🙂put get ');
    let s = '';
    for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  const forms = [
    () => `put ${word()} ${word()}`,
    () => `get ${word()}`,
    () => `delete ${word()}`,
    () => 'sync',
    () => 'crash torn',
    () => 'reopen',
    () => `scan ${word()} ${word()}`,
    () => `fill ${Math.floor(r() * 99)}`,
    () => 'run fill30',
    () => 'compact',
    () => word(),
  ];
  return cleanLine(forms[Math.floor(r() * forms.length)]!());
}

/** Thirty commands a reader might type. */
const TYPICAL = [
  'put apple red',
  'put banana yellow',
  'put cherry dark red',
  'get apple',
  'put apple green',
  'sync',
  'put date brown',
  'delete banana',
  'get banana',
  'scan a z',
  'put elder purple',
  'put fig purple',
  'crash',
  'reopen',
  'get fig',
  'get elder',
  'put grape green',
  'put honeydew pale green',
  'sync',
  'fill 20',
  'compact',
  'scan',
  'put kiwi brown',
  'delete cherry',
  'crash torn',
  'reopen',
  'scan a z',
  'run overwrite',
  'get apple',
  'put lemon yellow',
];

describe('shareable sessions', () => {
  it('round-trips many random sessions exactly', async () => {
    const r = rng(11);
    for (let i = 0; i < 150; i++) {
      const lines = Array.from({ length: Math.floor(r() * 40) }, () => randomLine(r));
      const s: Session = {
        engine: ENGINES[i % 4]!,
        options: i % 3 ? { maxFileBytes: Math.floor(r() * 4096), pageSize: 512 } : {},
        lines,
        step: Math.floor(r() * 5000),
      };
      const code = await encodeSession(s);
      expect(code).toMatch(/^1[A-Za-z0-9_-]*$/);
      const back = await decodeSession(code, ENGINES);
      expect(back).toEqual({ ok: true, session: s });
    }
  });

  it('keeps a link for thirty typical commands under 400 characters', async () => {
    const code = await encodeSession({ engine: 'bitcask', options: { maxFileBytes: 256 }, lines: TYPICAL, step: 412 });
    const link = `https://example.org/bitcask/#w0=${code}`;
    expect(TYPICAL).toHaveLength(30);
    expect(link.length).toBeLessThan(400);
  });

  it('tokenises command words and back, exactly', () => {
    for (const l of TYPICAL) expect(detokenise(tokenise(l))).toBe(l);
    expect(tokenise('put put get').length).toBeLessThan('put put get'.length);
  });

  it('cleans a line to one line without control characters or half characters', () => {
    expect(cleanLine('  put a\nb\u0001 ')).toBe('put a b');
    expect(cleanLine('put a \uD83D')).toBe('put a \uFFFD');
  });

  it('reads base64url back and refuses other alphabets', () => {
    const b = new Uint8Array([0, 1, 250, 251, 252, 253, 254, 255]);
    expect(fromBase64Url(toBase64Url(b))).toEqual(b);
    expect(fromBase64Url('ab+/')).toBeUndefined();
    expect(fromBase64Url('a')).toBeUndefined();
  });

  it.each([
    ['empty', '', 'version'],
    ['another version', '2abc', 'version'],
    ['not base64url', '1ab$%', 'base64'],
    ['not deflate', '1AAAAAAAAAAAA', 'compression'],
    ['one character', '1', 'compression'],
  ])('a malformed code (%s) is a ShareError, not a throw', async (_, code, reason) => {
    const r = await decodeSession(code, ENGINES);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toBeInstanceOf(ShareError);
      expect(r.error.reason).toBe(reason);
      expect(r.error.message.length).toBeGreaterThan(10);
    }
  });

  it('a cut link is a ShareError', async () => {
    const code = await encodeSession({ engine: 'lsm', options: {}, lines: TYPICAL, step: 3 });
    for (const cut of [code.length - 1, Math.floor(code.length / 2), 5]) {
      const r = await decodeSession(code.slice(0, cut), ENGINES);
      // A cut deflate stream either fails to inflate or inflates to something the parser refuses.
      if (r.ok) expect(r.session.lines.length).toBeLessThanOrEqual(TYPICAL.length);
      else expect(r.error).toBeInstanceOf(ShareError);
    }
  });

  /** A code for arbitrary text, as a crafted link would be made. */
  async function codeOf(text: string): Promise<string> {
    const cs = new CompressionStream('deflate-raw');
    const out = new Response(new Blob([text]).stream().pipeThrough(cs));
    return '1' + toBase64Url(new Uint8Array(await out.arrayBuffer()));
  }

  it.each([
    ['no step', 'bitcask\n{}', 'shape'],
    ['an unknown engine', 'rocksdb\n{}\n0', 'engine'],
    ['options not JSON', 'bitcask\n{x\n0', 'options'],
    ['options an array', 'bitcask\n[1]\n0', 'options'],
    ['an option that is an object', 'bitcask\n{"a":{}}\n0', 'options'],
    ['a step that is not a number', 'bitcask\n{}\n-1', 'step'],
    ['too many lines', `bitcask\n{}\n0${'\nsync'.repeat(501)}`, 'lines'],
  ])('a well-packed link with bad contents (%s) is a ShareError', async (_, text, reason) => {
    const r = await decodeSession(await codeOf(text), ENGINES);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe(reason);
  });

  it('refuses a decompression bomb without inflating it all', async () => {
    const r = await decodeSession(await codeOf('bitcask\n{}\n0\n' + 'x'.repeat(1_000_000)), ENGINES);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.reason).toBe('too-large');
  });

  it('keeps one entry per widget in the hash and ignores heading anchors', () => {
    expect(parseHash('#the-keydir')).toEqual(new Map());
    const h = withEntry(withEntry('#the-keydir', '0', '1abc'), '2', '1def');
    expect(h).toBe('#w0=1abc&w2=1def');
    expect(parseHash(h)).toEqual(
      new Map([
        ['0', '1abc'],
        ['2', '1def'],
      ]),
    );
    expect(withEntry(h, '0', undefined)).toBe('#w2=1def');
  });
});
