/**
 * Anti-entropy in the Dynamo lesson (site/dynamo/merkle.ts, anti-entropy.ts): Merkle trees
 * over the keys two replicas share, compared top-down, and the repair of a replica that lost
 * a write and is never read.
 */
import { describe, expect, it } from 'vitest';
import { Cluster, DEFAULT_CONFIG, type Picture } from '../../site/dynamo/cluster.js';
import { LEAVES, buildTree, compareTrees, fnv1a, leafOf, type Entry } from '../../site/dynamo/merkle.js';
import { runScenario } from '../../site/dynamo/session.js';

/** An entry at the start of leaf `leaf`. */
function at(leaf: number, key: string, ts: number, value = 'v'): Entry {
  return { key, position: (leaf * 2 ** 32) / LEAVES, ts, value };
}

describe('Merkle trees', () => {
  it('put each key in the leaf of its ring arc and hash each parent from its two children', () => {
    const t = buildTree([at(0, 'a', 1), at(5, 'b', 2), at(5, 'c', 3)]);
    expect(t.levels.map((l) => l.length)).toEqual([1, 2, 4, 8]);
    expect(t.leaves[5]!.map((e) => e.key)).toEqual(['b', 'c']);
    expect(t.levels[2]![2]).toBe(fnv1a(t.levels[3]![4]! + t.levels[3]![5]!));
    expect(leafOf(2 ** 32 - 1)).toBe(LEAVES - 1);
  });

  it('give equal roots for equal data, whatever order the entries come in', () => {
    const a = buildTree([at(1, 'x', 1), at(1, 'y', 2), at(6, 'z', 3)]);
    const b = buildTree([at(6, 'z', 3), at(1, 'y', 2), at(1, 'x', 1)]);
    expect(a.levels[0]).toEqual(b.levels[0]);
    expect(compareTrees(a, b)).toMatchObject({ leaves: [], differing: [[], [], [], []] });
  });

  it('descend only into children of differing hashes, and find exactly the leaves that differ', () => {
    const same = [at(0, 'a', 1), at(2, 'b', 1), at(4, 'c', 1)];
    const a = buildTree([...same, at(7, 'd', 2)]);
    const b = buildTree([...same, at(7, 'd', 1)]);
    const c = compareTrees(a, b);
    expect(c.leaves).toEqual([7]);
    // One path from the root: two hashes compared per level below it, one of them differing.
    expect(c.compared).toEqual([[0], [0, 1], [2, 3], [6, 7]]);
    expect(c.differing).toEqual([[0], [1], [3], [7]]);
  });
});

describe('anti-entropy between two replicas', () => {
  it('repairs a replica that lost a write, so a read of it alone is no longer stale', () => {
    const steps: Picture[] = [];
    const c = new Cluster({ ...DEFAULT_CONFIG, n: 3, r: 1, w: 2 }, (p) => steps.push(p));
    const [first, , last] = c.ring.preferenceList('cart', 3);
    c.put('cart', 'milk');
    c.deliver();
    c.put('cart', 'eggs', first);
    expect(c.drop()).toBe(1);
    // Before: the replica that lost the write answers alone with the old value.
    expect(c.get('cart', last).stale).toBe(true);
    expect(c.antiEntropy(first!, last!)).toBe(1);
    expect(c.get('cart', last)).toMatchObject({ stale: false, value: 'eggs' });
    c.close();
  });

  it('sends nothing when the two replicas already agree, after comparing only the roots', () => {
    const steps: Picture[] = [];
    const c = new Cluster({ ...DEFAULT_CONFIG }, (p) => steps.push(p));
    const [first, second] = c.ring.preferenceList('cart', 3);
    c.put('cart', 'milk');
    c.deliver();
    const before = steps.length;
    expect(c.antiEntropy(first!, second!)).toBe(0);
    expect(steps.length - before).toBe(1);
    expect(steps.at(-1)!.merkle!.compared[0]).toEqual([0]);
    expect(steps.at(-1)!.merkle!.compared.slice(1).flat()).toEqual([]);
    c.close();
  });

  it('refuses a node that is down, and a node compared with itself', () => {
    const c = new Cluster({ ...DEFAULT_CONFIG });
    c.down('B');
    expect(() => c.antiEntropy('A', 'B')).toThrow(/B is down/);
    expect(() => c.antiEntropy('A', 'a')).toThrow(/two different nodes/);
    c.close();
  });

  it('records each step with the trees as compared so far, and ends with equal roots drawn from what the nodes hold', () => {
    const s = runScenario('antientropy');
    const frames = s.frames.map((f) => f.picture).filter((p) => p.merkle);
    // The first exchange: roots, three levels, at least one repair, the rebuilt trees; the second: roots only.
    const first = frames.slice(0, -1);
    expect(first[0]!.merkle!.differing[0]).toEqual([0]);
    for (let level = 1; level < 4; level++) expect(first[level]!.merkle!.compared[level]!.length).toBe(2);
    const repairs = first.filter((p) => p.caption.startsWith('repair:'));
    expect(repairs.length).toBeGreaterThanOrEqual(1);
    const end = first.at(-1)!.merkle!;
    expect(end.levels[0]!.a).toEqual(end.levels[0]!.b);
    expect(frames.at(-1)!.caption).toContain('nothing to exchange');
    // Every picture's trees are the trees of the nodes' data at that step: rebuilt, they agree with the last one.
    const last = frames.at(-1)!;
    const m = last.merkle!;
    const held = (node: string) =>
      last.nodes
        .find((n) => n.name === node)!
        .data.filter((d) => {
          const home = s.ring.preferenceList(d.key, 3);
          return home.includes(m.a) && home.includes(m.b);
        });
    const rebuilt = buildTree(held(m.a).map((d) => ({ ...d, position: s.ring.position(d.key) })));
    expect(rebuilt.levels.map((l) => [...l])).toEqual(m.levels.map((l) => l.a));
    s.close();
  });
});
