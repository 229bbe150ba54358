/**
 * format.test.ts: the page encodings round-trip, and damaged or crafted pages are reported
 * as KV_CORRUPT with the file and offset, never a crash.
 */
import { describe, it, expect } from 'vitest';
import { KVError, utf8 } from '../../engines/index.js';
import {
  HEADER,
  META_SIZE,
  checkPage,
  decodeFreelist,
  decodeMeta,
  decodeOverflow,
  decodeTreePage,
  encodeFreelist,
  encodeMeta,
  encodeOverflow,
  encodeTreePage,
  geometry,
  isInline,
  type Meta,
  type TreePage,
} from '../../engines/btree/format.js';
import { crc32c, mask } from '../../engines/codec/crc32c.js';
import { Rng } from '../util/rng.js';

const P = 512;
const FILE = '/x/btree.db';

/** Expects KV_CORRUPT naming FILE. */
function expectCorrupt(f: () => unknown): KVError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(KVError);
    expect((e as KVError).code).toBe('KV_CORRUPT');
    expect((e as KVError).file).toBe(FILE);
    return e as KVError;
  }
  throw new Error('expected KV_CORRUPT');
}

describe('btree page formats', () => {
  it('has the sizes the byte table says', () => {
    expect(HEADER).toBe(16);
    expect(META_SIZE).toBe(88);
    const g = geometry(4096);
    expect(g.maxEntry).toBe(1020);
    expect(g.minFill).toBe(16 + 1020);
    expect(isInline(g, 10, 1003)).toBe(true);
    expect(isInline(g, 10, 1004)).toBe(false);
  });

  it('round-trips leaf and branch pages', () => {
    const leaf: TreePage = {
      leaf: true,
      keys: [utf8('a'), utf8('b'), utf8('c')],
      values: [{ bytes: utf8('1') }, { overflow: 9, length: 5000 }, { bytes: new Uint8Array(0) }],
      children: [],
    };
    const page = encodeTreePage(leaf, 5, P);
    const h = checkPage(page, 5, P, FILE);
    expect(decodeTreePage(page, h, P, 10, FILE)).toEqual(leaf);
    const branch: TreePage = {
      leaf: false,
      keys: [new Uint8Array(0), utf8('m'), utf8('t')],
      values: [],
      children: [3, 4, 6],
    };
    const bp = encodeTreePage(branch, 7, P);
    expect(decodeTreePage(bp, checkPage(bp, 7, P, FILE), P, 10, FILE)).toEqual(branch);
  });

  it('round-trips meta, overflow and freelist pages', () => {
    const m: Meta = {
      pageSize: P,
      txid: 2 ** 40 + 3,
      root: 4,
      height: 2,
      freelist: 5,
      freelistPages: 1,
      pageCount: 9,
      leafPages: 2,
      branchPages: 1,
      overflowPages: 0,
      keyCount: 77,
      liveBytes: 2 ** 35,
    };
    expect(decodeMeta(encodeMeta(m).subarray(0, META_SIZE), 1, P, FILE)).toEqual(m);
    const data = new Rng(1).bytes(300);
    const o = encodeOverflow(data, 6, 8, P);
    const oh = checkPage(o, 6, P, FILE);
    expect(oh.next).toBe(8);
    expect(decodeOverflow(o, oh, P, FILE)).toEqual(data);
    const f = encodeFreelist([2, 3, 8], 7, 0, P);
    expect(decodeFreelist(f, checkPage(f, 7, P, FILE), P, 9, FILE)).toEqual([2, 3, 8]);
  });

  it('reports a flipped byte anywhere in a page as a checksum mismatch at the page offset', () => {
    const page = encodeTreePage({ leaf: true, keys: [utf8('k')], values: [{ bytes: utf8('v') }], children: [] }, 3, P);
    for (const at of [0, 4, 8, 20, P - 1]) {
      const bad = page.slice();
      bad[at]! ^= 0x40;
      expect(expectCorrupt(() => checkPage(bad, 3, P, FILE)).offset).toBe(3 * P);
    }
    // A page written where another belongs.
    expect(expectCorrupt(() => checkPage(page, 4, P, FILE)).message).toMatch(/says it is page 3/);
    // A short read at the end of the file.
    expectCorrupt(() => checkPage(page.subarray(0, 100), 3, P, FILE));
  });

  it('never crashes on random bytes with a valid checksum', () => {
    const rng = new Rng(99);
    for (let t = 0; t < 300; t++) {
      // Craft a page: random body, a plausible header, and a checksum that matches.
      const page = rng.bytes(P);
      const dv = new DataView(page.buffer);
      dv.setUint8(4, 2 + rng.int(2));
      dv.setUint16(6, rng.int(40), true);
      dv.setUint32(8, 3, true);
      const resealed = reseal(page);
      try {
        const h = checkPage(resealed, 3, P, FILE);
        decodeTreePage(resealed, h, P, 10, FILE);
      } catch (e) {
        expect(e).toBeInstanceOf(KVError);
        expect((e as KVError).code).toBe('KV_CORRUPT');
      }
    }
  });
});

/** Re-seals a page's checksum after its header was changed (as a crafted file would). */
function reseal(page: Uint8Array): Uint8Array {
  const out = page.slice();
  new DataView(out.buffer).setUint32(0, mask(crc32c(out, 4, P)), true);
  return out;
}
