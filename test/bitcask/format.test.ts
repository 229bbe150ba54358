import { describe, it, expect } from 'vitest';
import { utf8 } from '../../engines/bytes.js';
import {
  RECORD_HEADER,
  FLAG_TOMBSTONE,
  encodeRecord,
  decodeRecord,
  recordFields,
  encodeHint,
  decodeHint,
  mergeMarkerName,
  parseMergeMarker,
  parseName,
  dataName,
} from '../../engines/bitcask/format.js';
import { binKey, keyBytes, lowerIndex } from '../../engines/bitcask/keydir.js';
import { compareBytes } from '../../engines/bytes.js';
import { Rng } from '../util/rng.js';

describe('bitcask record format', () => {
  it('round-trips a put and a tombstone, with fields tiling the record', () => {
    const rec = encodeRecord(42, 0, utf8('key'), utf8('value'));
    expect(rec.length).toBe(RECORD_HEADER + 3 + 5);
    const r = decodeRecord(rec, 0);
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') expect([r.record.seq, new TextDecoder().decode(r.record.value)]).toEqual([42, 'value']);
    let at = 0;
    for (const f of recordFields(0, 3, 5)) {
      expect(f.offset).toBe(at);
      at += f.length;
    }
    expect(at).toBe(rec.length);
    const t = decodeRecord(encodeRecord(7, FLAG_TOMBSTONE, utf8('k'), new Uint8Array(0)), 0);
    expect(t.kind === 'ok' && t.record.flags).toBe(FLAG_TOMBSTONE);
  });

  it('calls every truncation torn and every flipped bit corrupt, never ok', () => {
    const rec = encodeRecord(5, 0, utf8('apple'), utf8('red'));
    for (let n = 0; n < rec.length; n++) expect(decodeRecord(rec.subarray(0, n), 0).kind).toBe('torn');
    for (let bit = 0; bit < rec.length * 8; bit++) {
      const bad = rec.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(decodeRecord(bad, 0).kind, `bit ${bit}`).toBe('corrupt');
    }
  });

  it('never throws on random bytes', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 2000; i++) {
      const b = rng.bytes(rng.int(80));
      expect(() => decodeRecord(b, 0)).not.toThrow();
      expect(() => decodeHint(b, 1, 100)).not.toThrow();
    }
  });

  it('round-trips a hint file, and rejects one for another size, id or with a flipped bit', () => {
    const entries = [{ seq: 3, key: utf8('a'), valueLength: 4, recordOffset: 0 }];
    const h = encodeHint(9, 100, entries);
    expect(decodeHint(h, 9, 100)).toEqual({ entries });
    expect('invalid' in decodeHint(h, 9, 101)).toBe(true);
    expect('invalid' in decodeHint(h, 8, 100)).toBe(true);
    for (let bit = 0; bit < h.length * 8; bit++) {
      const bad = h.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect('invalid' in decodeHint(bad, 9, 100), `bit ${bit}`).toBe(true);
    }
  });

  it('names files and merge markers so that they parse back', () => {
    expect(parseName(dataName(12))).toEqual({ id: 12, kind: 'data' });
    expect(parseName('000012.hint')).toEqual({ id: 12, kind: 'hint' });
    expect(parseName('LOCK')).toBeUndefined();
    expect(parseMergeMarker(mergeMarkerName('committed', 7))).toEqual({ state: 'committed', lastInput: 7 });
  });
});

describe('bitcask keydir keys', () => {
  it('orders binary-string keys exactly as bytewise comparison does', () => {
    const rng = new Rng(2);
    const keys = Array.from({ length: 300 }, () => rng.bytes(1 + rng.int(6)));
    const bytewise = [...keys].sort(compareBytes).map(binKey);
    expect(keys.map(binKey).sort()).toEqual(bytewise);
    for (const k of keys) expect(keyBytes(binKey(k))).toEqual(k);
    const sorted = keys.map(binKey).sort();
    for (const k of sorted) expect(sorted[lowerIndex(sorted, k, true)]).toBe(k);
  });
});
