/**
 * page-search.test.ts: searching a page in place, on its bytes, finds what a search of the
 * decoded page finds, for keys with and without the page's shared prefix.
 */
import { describe, it, expect } from 'vitest';
import { compareBytes } from '../../engines/bytes.js';
import { checkPage } from '../../engines/btree/format.js';
import {
  decodeView,
  encodeTreePage,
  indexTreePage,
  viewOfEncoded,
  type TreePage,
} from '../../engines/btree/tree-page.js';
import { childFor, findKey, viewValue } from '../../engines/btree/page-search.js';
import type { Node } from '../../engines/btree/node.js';
import { Rng } from '../util/rng.js';

const P = 4096;
const FILE = '/s/btree.db';

/** Sorted distinct random keys over a small alphabet, all starting with `prefix`. */
function keysWith(rng: Rng, prefix: number[], n: number): Uint8Array[] {
  const seen = new Map<string, Uint8Array>();
  while (seen.size < n) {
    const tail = Array.from({ length: rng.int(6) }, () => 0x61 + rng.int(3));
    const k = Uint8Array.from([...prefix, ...tail]);
    seen.set(k.join(','), k);
  }
  return [...seen.values()].sort(compareBytes);
}

/** Probe keys around `keys`: each key, its neighbours, shorter and longer forms, other prefixes. */
function probes(rng: Rng, keys: Uint8Array[], prefix: number[]): Uint8Array[] {
  const out: Uint8Array[] = [new Uint8Array(0), Uint8Array.from(prefix), Uint8Array.from(prefix.slice(0, -1))];
  for (const k of keys) out.push(k, Uint8Array.from([...k, 0]), k.subarray(0, Math.max(0, k.length - 1)));
  for (let i = 0; i < 60; i++)
    out.push(Uint8Array.from(Array.from({ length: rng.int(prefix.length + 4) }, () => 0x60 + rng.int(5))));
  return out;
}

/** The page as written and read back: a checked view of its bytes. */
function viewOf(p: TreePage, id = 5) {
  const bytes = encodeTreePage(p, id, P);
  return indexTreePage(bytes, checkPage(bytes, id, P, FILE), P, 1000, FILE);
}

describe('searching a page in place', () => {
  it('finds exactly the keys a leaf holds, with any shared prefix (none, short, long)', () => {
    const rng = new Rng(17);
    for (const prefix of [[], [0x61], [0x6b, 0x30, 0x30, 0x30, 0x30, 0x30, 0x31]]) {
      for (const n of [0, 1, 2, 7, 40]) {
        const keys = keysWith(rng, prefix, n);
        const leaf: TreePage = {
          leaf: true,
          keys,
          values: keys.map((k, i) => ({ bytes: Uint8Array.of(i, k.length) })),
          children: [],
        };
        const v = viewOf(leaf);
        const node: Node = { id: 5, dirty: false, ...leaf };
        const sameAsEncoded = viewOfEncoded(encodeTreePage(leaf, 5, P), { id: 5, ...leaf });
        expect([sameAsEncoded.pfx, sameAsEncoded.pfxAt]).toEqual([v.pfx, v.pfxAt]);
        for (const probe of probes(rng, keys, prefix)) {
          const want = keys.findIndex((k) => compareBytes(k, probe) === 0);
          expect(findKey(v, probe)).toBe(want);
          expect(findKey(node, probe)).toBe(want);
          if (want >= 0)
            expect(viewValue(v, want, () => new Uint8Array(0))).toEqual(Uint8Array.of(want, keys[want]!.length));
        }
      }
    }
  });

  it('picks the child a branch routes each key to: the last separator <= the key', () => {
    const rng = new Rng(23);
    for (const prefix of [[], [0x62], [0x6b, 0x30, 0x30, 0x31]]) {
      for (const n of [0, 1, 3, 50]) {
        const seps = keysWith(rng, prefix, n).filter((k) => k.length > 0);
        const branch: TreePage = {
          leaf: false,
          keys: [new Uint8Array(0), ...seps],
          values: [],
          children: [0, ...seps.map((_, i) => i + 1)].map((c) => c + 10),
        };
        const v = viewOf(branch);
        const node: Node = { id: 5, dirty: false, ...branch };
        for (const probe of probes(rng, seps, prefix)) {
          let want = 0;
          for (let i = 1; i < branch.keys.length; i++) if (compareBytes(branch.keys[i]!, probe) <= 0) want = i;
          expect(childFor(v, probe)).toBe(want + 10);
          expect(childFor(node, probe)).toBe(want + 10);
        }
      }
    }
  });

  it('decodes a view back into the page it was encoded from', () => {
    const keys = keysWith(new Rng(3), [0x6b], 20);
    const leaf: TreePage = { leaf: true, keys, values: keys.map((k) => ({ bytes: k })), children: [] };
    expect(decodeView(viewOf(leaf))).toEqual(leaf);
  });
});
