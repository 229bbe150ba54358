/**
 * Network partitions in the Dynamo lesson (site/dynamo/partition.ts, cluster.ts): both sides
 * keep answering, a coordinator treats a home replica it cannot reach as down (a stand-in on
 * its side keeps a hint), a read on the other side can be stale even with R + W > N, and
 * healing hands the hints off.
 */
import { describe, expect, it } from 'vitest';
import { Cluster, DEFAULT_CONFIG, type Picture } from '../../site/dynamo/cluster.js';
import { Partition } from '../../site/dynamo/partition.js';
import { Session, runScenario } from '../../site/dynamo/session.js';

const NODES = DEFAULT_CONFIG.nodes;

describe('a partition', () => {
  it('connects nodes on the same side only', () => {
    const p = Partition.parse(['a', 'b', '/', 'C', 'D', 'E'], NODES);
    expect(p.connects('A', 'B')).toBe(true);
    expect(p.connects('A', 'C')).toBe(false);
    expect(String(p)).toBe('A B | C D E');
  });

  it('must put every node on exactly one of at least two sides', () => {
    expect(() => Partition.parse(['A', 'B', 'C', 'D', 'E'], NODES)).toThrow(/two sides/);
    expect(() => Partition.parse(['A', 'B', '/', 'C', 'D'], NODES)).toThrow(/E is on none/);
    expect(() => Partition.parse(['A', 'B', '/', 'B', 'C', 'D', 'E'], NODES)).toThrow(/B is on two sides/);
    expect(() => Partition.parse(['A', 'Z', '/', 'B', 'C', 'D', 'E'], NODES)).toThrow(/no node "Z"/);
  });
});

describe('a partitioned cluster', () => {
  it('takes a put on the minority side of a key through stand-ins, and serves the old value on the other side', () => {
    const steps: Picture[] = [];
    const c = new Cluster({ ...DEFAULT_CONFIG, n: 3, r: 2, w: 2 }, (p) => steps.push(p));
    const [first, second, third] = c.ring.preferenceList('cart', 3);
    c.put('cart', 'milk');
    c.deliver();
    c.split(new Partition([[first!, second!], NODES.filter((x) => x !== first && x !== second)], NODES));
    const put = c.put('cart', 'eggs', third);
    expect(put.ok).toBe(true);
    // The acks came from the third home replica and a stand-in holding a hint for an unreachable one.
    const hints = steps.at(-1)!.nodes.flatMap((n) => n.hints.map((h) => h.for));
    expect(hints.length).toBeGreaterThanOrEqual(1);
    expect(hints.every((h) => h === first || h === second)).toBe(true);
    const get = c.get('cart', first);
    expect(get).toMatchObject({ ok: true, value: 'milk', stale: true });
    expect(get.text).toContain('sloppy quorum');
    expect(steps.at(-1)!.sides).toHaveLength(2);
    c.close();
  });

  it('hands every hint off when it heals, so the next read is fresh', () => {
    const s = runScenario('partition');
    const last = s.frames.at(-1)!.picture;
    expect(last.sides).toBeUndefined();
    expect(last.nodes.every((n) => n.hints.length === 0)).toBe(true);
    expect(last.outcome).toMatchObject({ op: 'get', value: 'eggs', stale: false });
    const captions = s.frames.map((f) => f.picture.caption);
    expect(captions.filter((t) => t.startsWith('hinted handoff'))).toHaveLength(2);
    expect(captions.some((t) => t.startsWith('STALE READ'))).toBe(true);
    s.close();
  });

  it('keeps a write in flight across the cut until it heals', () => {
    const c = new Cluster({ ...DEFAULT_CONFIG, n: 3, r: 1, w: 1 });
    const [first, , third] = c.ring.preferenceList('cart', 3);
    c.put('cart', 'milk', first);
    c.split(new Partition([[first!], NODES.filter((x) => x !== first)], NODES));
    // The two writes in flight from the first replica cannot cross.
    expect(c.deliver()).toBe(0);
    c.heal();
    expect(c.deliver()).toBe(2);
    expect(c.get('cart', third).value).toBe('milk');
    c.close();
  });

  it('refuses anti-entropy across the cut, a second partition, and a heal with none', () => {
    const s = new Session();
    expect(s.run('partition A B / C D E').ok).toBe(true);
    expect(s.run('antientropy A C').message).toMatch(/different sides/);
    expect(s.run('partition A / B C D E').message).toMatch(/already partitioned/);
    expect(s.run('heal').ok).toBe(true);
    expect(s.run('heal').message).toMatch(/not partitioned/);
    s.close();
  });
});
