/**
 * The Dynamo lesson's ring (site/dynamo/ring.ts): consistent hashing with virtual nodes.
 */
import { describe, expect, it } from 'vitest';
import { RING, Ring, hash } from '../../site/dynamo/ring.js';

const NODES = ['A', 'B', 'C', 'D', 'E'];
const keys = Array.from({ length: 2000 }, (_, i) => `key${i}`);

describe('the hash ring', () => {
  it('places vnodes tokens per node, sorted, deterministically', () => {
    const r = new Ring(NODES, 4);
    expect(r.tokens).toHaveLength(20);
    for (let i = 1; i < r.tokens.length; i++)
      expect(r.tokens[i]!.position).toBeGreaterThanOrEqual(r.tokens[i - 1]!.position);
    expect(new Ring(NODES, 4).tokens).toEqual(r.tokens);
    expect(hash('cart')).toBe(hash('cart'));
    expect(hash('cart')).toBeLessThan(RING);
  });

  it('gives each key N distinct home replicas: the first nodes clockwise from its position', () => {
    const r = new Ring(NODES, 3);
    for (const k of keys.slice(0, 200)) {
      const pref = r.preferenceList(k, 3);
      expect(new Set(pref).size).toBe(3);
      // The first replica owns the first token at or after the key's position.
      expect(pref[0]).toBe(r.tokens[r.firstTokenAtOrAfter(r.position(k))]!.node);
      expect(r.walk(k)).toHaveLength(NODES.length);
      expect(r.walk(k).slice(0, 3)).toEqual(pref);
    }
  });

  it('wraps around past the last token to the first', () => {
    const r = new Ring(NODES, 1);
    const last = r.tokens[r.tokens.length - 1]!.position;
    expect(r.firstTokenAtOrAfter(last + 1)).toBe(0);
  });

  it('spreads keys more evenly with more virtual nodes', () => {
    /** The largest share of first replicas any node gets. */
    const worst = (v: number) => {
      const r = new Ring(NODES, v);
      const count = new Map<string, number>();
      for (const k of keys) count.set(r.preferenceList(k, 1)[0]!, (count.get(r.preferenceList(k, 1)[0]!) ?? 0) + 1);
      return Math.max(...count.values()) / keys.length;
    };
    expect(worst(64)).toBeLessThan(worst(1));
    expect(worst(64)).toBeLessThan(0.3);
    const shares = [...new Ring(NODES, 64).ownership().values()];
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('moves only the keys next to a new node when one joins (not most keys, as hash % n would)', () => {
    const before = new Ring(NODES, 16);
    const after = new Ring([...NODES, 'F'], 16);
    const moved = keys.filter((k) => before.preferenceList(k, 1)[0] !== after.preferenceList(k, 1)[0]);
    // Every moved key moved to the new node.
    expect(moved.every((k) => after.preferenceList(k, 1)[0] === 'F')).toBe(true);
    expect(moved.length / keys.length).toBeLessThan(0.35);
    const modulo = keys.filter((k) => hash(k) % 5 !== hash(k) % 6).length;
    expect(moved.length).toBeLessThan(modulo / 2);
  });
});
