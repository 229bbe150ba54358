/**
 * The Dynamo lesson's cluster (site/dynamo/cluster.ts, session.ts): quorums, stale reads,
 * sloppy quorum with hinted handoff, and recording steps as pictures.
 */
import { describe, expect, it } from 'vitest';
import { Cluster, DEFAULT_CONFIG, type ClusterConfig, type Picture } from '../../site/dynamo/cluster.js';
import { SCENARIOS, Session, runScenario } from '../../site/dynamo/session.js';

/** A cluster with the given quorum settings, recording its pictures. */
function cluster(over: Partial<ClusterConfig> = {}): { c: Cluster; steps: Picture[] } {
  const steps: Picture[] = [];
  return { c: new Cluster({ ...DEFAULT_CONFIG, ...over }, (p) => steps.push(p)), steps };
}

/** Which nodes hold `key`, and at which tick, in the last picture. */
function holders(p: Picture, key: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of p.nodes) for (const d of n.data) if (d.key === key) out[n.name] = d.ts;
  return out;
}

describe('quorums', () => {
  it('acknowledges a put after W replicas and leaves the other N - W in flight until delivered', () => {
    const { c, steps } = cluster({ n: 3, w: 2 });
    const o = c.put('cart', 'milk');
    expect(o).toMatchObject({ ok: true, acks: 2, needed: 2 });
    expect(Object.keys(holders(steps.at(-1)!, 'cart'))).toHaveLength(2);
    expect(steps.at(-1)!.inflight).toHaveLength(1);
    c.deliver();
    const home = c.ring.preferenceList('cart', 3);
    expect(Object.keys(holders(steps.at(-1)!, 'cart')).sort()).toEqual([...home].sort());
    c.close();
  });

  it('never reads stale when R + W > N, whichever replica coordinates', () => {
    for (const [r, w] of [
      [2, 2],
      [1, 3],
      [3, 1],
    ] as const) {
      const { c } = cluster({ n: 3, r, w });
      const home = c.ring.preferenceList('cart', 3);
      c.put('cart', 'milk');
      c.deliver();
      for (const via of home) {
        c.put('cart', `eggs-${via}`, home[0]);
        for (const reader of home) {
          const o = c.get('cart', reader);
          expect(o.stale, `R=${r} W=${w} read via ${reader}`).toBe(false);
          expect(o.value).toBe(`eggs-${via}`);
        }
      }
      c.close();
    }
  });

  it('can read stale when R + W <= N: the read misses the one replica the write reached', () => {
    const { c } = cluster({ n: 3, r: 1, w: 1 });
    const [first, , last] = c.ring.preferenceList('cart', 3);
    c.put('cart', 'milk');
    c.deliver();
    c.put('cart', 'eggs', first);
    const o = c.get('cart', last);
    expect(o).toMatchObject({ ok: true, stale: true, value: 'milk' });
    expect(o.text).toMatch(/STALE READ/);
    // Once the write arrives everywhere, the same read is fresh.
    c.deliver();
    expect(c.get('cart', last)).toMatchObject({ stale: false, value: 'eggs' });
    c.close();
  });

  it('repairs an older replier after a read (read repair)', () => {
    const { c, steps } = cluster({ n: 3, r: 2, w: 2 });
    const [, , last] = c.ring.preferenceList('cart', 3);
    c.put('cart', 'milk');
    c.deliver();
    c.put('cart', 'eggs');
    c.get('cart', last);
    expect(holders(steps.at(-1)!, 'cart')[last!]).toBe(2);
    expect(steps.some((p) => p.caption.startsWith('read repair'))).toBe(true);
    c.close();
  });

  it('fails a get when fewer than R home replicas are up, and a put when fewer than W nodes can take it', () => {
    const { c } = cluster({ nodes: ['A', 'B', 'C'], n: 3, r: 2, w: 3 });
    const [a, b] = c.ring.preferenceList('cart', 3);
    c.down(a!);
    expect(c.put('cart', 'milk', b)).toMatchObject({ ok: false, acks: 2, needed: 3 });
    c.down(b!);
    expect(c.get('cart')).toMatchObject({ ok: false, acks: 1, needed: 2 });
    c.close();
  });

  it('refuses settings that cannot work', () => {
    expect(() => new Cluster({ ...DEFAULT_CONFIG, n: 6 })).toThrow(/needs at least 6 nodes/);
    expect(() => new Cluster({ ...DEFAULT_CONFIG, n: 2, r: 3 })).toThrow(/at most N/);
  });
});

describe('a node down: sloppy quorum and hinted handoff', () => {
  it('writes a hint on the next live node clockwise, and hands it off when the node is back', () => {
    const { c, steps } = cluster({ n: 3, r: 2, w: 2 });
    const walk = c.ring.walk('cart');
    const [first, second] = walk;
    c.down(second!);
    const o = c.put('cart', 'eggs', first);
    c.deliver();
    expect(o.ok).toBe(true);
    // The stand-in is the first node past the N home replicas.
    const standIn = walk[3]!;
    const p = steps.at(-1)!;
    expect(p.nodes.find((n) => n.name === standIn)!.hints).toEqual([
      { for: second, key: 'cart', value: 'eggs', ts: 1 },
    ]);
    expect(holders(p, 'cart')[second!]).toBeUndefined();
    c.up(second!);
    const after = steps.at(-1)!;
    expect(after.caption).toMatch(/hinted handoff/);
    expect(holders(after, 'cart')[second!]).toBe(1);
    expect(after.nodes.find((n) => n.name === standIn)!.hints).toEqual([]);
    expect(c.get('cart', second)).toMatchObject({ ok: true, value: 'eggs', stale: false });
    c.close();
  });

  it('keeps a write in flight to a node that went down, and delivers it once the node is up', () => {
    const { c, steps } = cluster({ n: 3, w: 1 });
    const [first, second] = c.ring.preferenceList('cart', 3);
    c.put('cart', 'milk', first);
    c.down(second!);
    c.deliver();
    expect(steps.at(-1)!.inflight.map((m) => m.to)).toEqual([second]);
    c.up(second!);
    c.deliver();
    expect(holders(steps.at(-1)!, 'cart')[second!]).toBe(1);
    c.close();
  });
});

describe('the recording', () => {
  it('runs every scenario without an error, and the quorum scenario is not stale while the stale one is', () => {
    for (const s of SCENARIOS) {
      const session = runScenario(s.name);
      expect(session.lines.length, s.name).toBe(s.lines(session.ring, { ...DEFAULT_CONFIG, ...s.config }).length);
      expect(session.frames.length).toBeGreaterThan(session.lines.length);
      session.close();
    }
    const stale = runScenario('stale');
    expect(stale.frames.some((f) => f.picture.outcome?.stale)).toBe(true);
    const quorum = runScenario('quorum');
    expect(quorum.frames.some((f) => f.picture.outcome?.stale)).toBe(false);
    expect(quorum.frames.at(-1)!.picture.outcome).toMatchObject({ op: 'get', ok: true });
  });

  it('records the same pictures when the same lines run again (pictures are plain JSON)', () => {
    const a = runScenario('handoff');
    const b = runScenario('handoff');
    expect(JSON.parse(JSON.stringify(a.frames))).toEqual(b.frames);
  });

  it('reports a bad line plainly and records no step for it', () => {
    const s = new Session();
    const n = s.frames.length;
    for (const bad of ['fly away', 'put onlykey', 'down Z', 'get k via', 'put bad/key v']) {
      const r = s.run(bad);
      expect(r.ok, bad).toBe(false);
      expect(r.message.length).toBeGreaterThan(5);
    }
    expect(s.frames.length).toBe(n);
    expect(s.lines).toEqual([]);
    expect(s.run('down a')).toMatchObject({ ok: true });
    expect(s.run('down A').message).toMatch(/already down/);
  });
});
