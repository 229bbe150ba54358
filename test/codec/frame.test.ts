import { describe, it, expect } from 'vitest';
import { decodeFrame, encodeFrame, FRAME_HEADER } from '../../engines/codec/frame.js';
import { concatBytes, utf8 } from '../../engines/bytes.js';

describe('record frame', () => {
  it('round-trips payloads, including an empty one', () => {
    for (const p of [new Uint8Array(0), utf8('x'), utf8('a longer payload with bytes \u0000\u00ff')]) {
      const f = encodeFrame(p);
      expect(f.length).toBe(FRAME_HEADER + p.length);
      const r = decodeFrame(f, 0);
      expect(r.kind).toBe('ok');
      if (r.kind === 'ok') {
        expect(r.payload).toEqual(p);
        expect(r.next).toBe(f.length);
      }
    }
  });

  it('reads consecutive frames', () => {
    const buf = concatBytes([encodeFrame(utf8('one')), encodeFrame(utf8('two'))]);
    const a = decodeFrame(buf, 0);
    expect(a.kind).toBe('ok');
    const b = decodeFrame(buf, (a as { next: number }).next);
    expect(b.kind === 'ok' && new TextDecoder().decode(b.payload)).toBe('two');
  });

  it('calls a frame cut short "torn", at every cut point', () => {
    const f = encodeFrame(utf8('payload bytes'));
    for (let cut = 0; cut < f.length; cut++) expect(decodeFrame(f.subarray(0, cut), 0).kind).toBe('torn');
  });

  it('calls a frame with any flipped bit "corrupt" or "torn", never ok', () => {
    const f = encodeFrame(utf8('payload bytes'));
    for (let i = 0; i < f.length * 8; i++) {
      const g = f.slice();
      g[i >> 3]! ^= 1 << (i & 7);
      expect(decodeFrame(g, 0).kind).not.toBe('ok');
    }
  });
});
