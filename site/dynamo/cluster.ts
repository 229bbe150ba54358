/**
 * cluster.ts: a small Dynamo-style cluster, simulated step by step. Each node runs the
 * project's own engine (openStore from engines/browser.ts) on its own MemoryFileSystem.
 *
 *   put k v [via X]   the coordinator (X, else the first live home replica) stamps the value
 *                     with the next tick of a cluster clock and sends it to the key's N home
 *                     replicas. A home replica that is down is replaced by the next live node
 *                     clockwise (sloppy quorum), which keeps the write as a hint for it. The
 *                     put succeeds once W replicas have it; the rest are still in flight.
 *   get k [via X]     the coordinator asks the live home replicas; its own copy answers first,
 *                     then the others in preference-list order. The first R replies decide:
 *                     the newest of them is returned, and older repliers are repaired.
 *   deliver           the writes still in flight arrive.
 *   down X / up X     a node stops / comes back; when it comes back, every node holding hints
 *                     for it hands them off (hinted handoff).
 *   drop              the writes still in flight are lost (a network that drops messages).
 *   partition A B / C D E   messages cross only within a side (partition.ts); a home replica
 *                     the coordinator cannot reach is treated as down: a stand-in on its side
 *                     keeps a hint. heal ends the partition and the hints are handed off.
 *   antientropy X Y   X and Y compare Merkle trees of the keys both are home replicas for
 *                     (merkle.ts), descend only where hashes differ, and each sends the other
 *                     its newer copy of every key in a differing leaf (Dynamo's anti-entropy).
 *
 * Invariant: when R + W > N and no node is down, every read's R replies include at least one
 * replica that acknowledged the newest acknowledged write, so no read is stale. With
 * R + W <= N a read can miss every such replica: the stale read the lesson shows.
 *
 * Simplifications, said plainly in the lesson: a cluster-wide logical clock and last write
 * wins (Dynamo keeps vector clocks and returns conflicting siblings); reply order is fixed
 * (coordinator first), not network timing; a partition is clean (whole sides, no lost or
 * one-way links); anti-entropy runs when asked, not in the background; no gossip membership.
 *
 * No DOM. Each change is one step, reported to `onStep` with a picture of the whole cluster.
 */
import type { EngineName } from '../../engines/kv.js';
import { Replica, type NodePicture, type Versioned } from './replica.js';
import { Ring } from './ring.js';
import { runAntiEntropy, type MerklePicture } from './anti-entropy.js';
import { Partition } from './partition.js';

export type { MerklePicture, NodePicture, Versioned };
export type { Role, Contact, Outcome, Focus, Message, Picture } from './picture.js';
import type { Contact, Outcome, Focus, Message, Picture } from './picture.js';

/** The cluster's shape and quorums. */
export interface ClusterConfig {
  nodes: string[];
  vnodes: number;
  n: number;
  r: number;
  w: number;
  engine: EngineName;
}

export const DEFAULT_CONFIG: ClusterConfig = {
  nodes: ['A', 'B', 'C', 'D', 'E'],
  vnodes: 3,
  n: 3,
  r: 2,
  w: 2,
  engine: 'bitcask',
};

/** The simulated cluster. */
export class Cluster {
  readonly ring: Ring;
  private readonly nodes = new Map<string, Replica>();
  private clock = 0;
  private inflight: Message[] = [];
  private partition: Partition | undefined;
  /** The newest acknowledged write of each key (what a fresh read must return). */
  private readonly acked = new Map<string, Versioned>();

  constructor(
    readonly config: ClusterConfig,
    private readonly onStep: (p: Picture) => void = () => {},
  ) {
    const { n, r, w, nodes } = config;
    for (const [name, v] of [
      ['N', n],
      ['R', r],
      ['W', w],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number >= 1`);
    }
    if (n > nodes.length) throw new Error(`N = ${n} needs at least ${n} nodes`);
    if (r > n || w > n) throw new Error('R and W must each be at most N');
    this.ring = new Ring(nodes, config.vnodes);
    for (const name of nodes) this.nodes.set(name, new Replica(name, config.engine));
  }

  /** Reports a step. */
  private step(caption: string, focus?: Focus, outcome?: Outcome, merkle?: MerklePicture): void {
    this.onStep(this.picture(caption, focus, outcome, merkle));
  }

  /** The node named `name` (case-insensitive), or an error a reader understands. */
  node(name: string): Replica {
    const n = this.nodes.get(name.toUpperCase());
    if (!n) throw new Error(`there is no node "${name}"; the nodes are ${[...this.nodes.keys()].join(', ')}`);
    return n;
  }

  /** The focus for `key`, with contacts so far. */
  private focus(key: string, contacts: Contact[]): Focus {
    return {
      key,
      position: this.ring.position(key),
      preference: this.ring.preferenceList(key, this.config.n),
      contacts: contacts.map((c) => ({ ...c })),
    };
  }

  /** put: see the header. */
  put(key: string, value: string, via?: string): Outcome {
    checkKey(key);
    const { n, w } = this.config;
    const walk = this.ring.walk(key);
    const home = walk.slice(0, n);
    const coord = this.coordinator(home, via);
    const ts = ++this.clock;
    // Step 1: where the write goes: each home replica, or a stand-in for one that is down.
    const targets: Message[] = [];
    const contacts: Contact[] = [{ node: coord, role: 'coordinator' }];
    const used = new Set(home);
    for (const h of home) {
      if (this.reaches(coord, h)) {
        targets.push({ to: h, key, value, ts, from: coord });
        continue;
      }
      contacts.push({ node: h, role: this.node(h).up ? 'cut' : 'down' });
      const standIn = walk.slice(n).find((s) => !used.has(s) && this.reaches(coord, s));
      if (standIn) {
        used.add(standIn);
        targets.push({ to: standIn, key, value, ts, for: h, from: coord });
      }
    }
    // The coordinator's own copy is written first when it is one of the targets.
    targets.sort((a, b) => Number(b.to === coord) - Number(a.to === coord));
    const missed = contacts.filter((c) => c.role === 'down' || c.role === 'cut');
    const downNote = missed.length
      ? `; ${missed.map((c) => `${c.node} ${c.role === 'down' ? 'down' : 'unreachable'}`).join(', ')}, so ${
          targets
            .filter((t) => t.for)
            .map((t) => `${t.to} stands in for ${t.for}`)
            .join(', ') || 'no node can stand in'
        }`
      : '';
    this.step(
      `put ${key}=${value} (t=${ts}): "${key}" hashes to ${pct(this.ring.position(key))} of the ring; its N=${n} home replicas are ${home.join(', ')}; ${coord} coordinates${downNote}`,
      this.focus(key, contacts),
    );
    // Step 2: the first W targets take it now, one step each.
    let acks = 0;
    for (const t of targets.slice(0, w)) {
      this.node(t.to).store(key, { value, ts }, t.for);
      acks++;
      contacts.push({ node: t.to, role: t.for ? 'hint' : 'write', value, ts, ...(t.for ? { for: t.for } : {}) });
      const focus = this.focus(key, contacts);
      focus.contacts[focus.contacts.length - 1]!.now = true;
      this.step(
        `${t.to} stores ${key}=${value} (t=${ts})${t.for ? ` as a hint for ${t.for}` : ''}: ack ${acks} of W=${w}`,
        focus,
      );
    }
    // Step 3: the rest are on their way; the coordinator answers after W acks.
    const rest = targets.slice(w);
    this.inflight.push(...rest);
    for (const t of rest) contacts.push({ node: t.to, role: 'inflight', value, ts, ...(t.for ? { for: t.for } : {}) });
    const ok = acks >= w;
    if (ok) this.acked.set(key, { value, ts });
    const outcome: Outcome = {
      op: 'put',
      key,
      ok,
      acks,
      needed: w,
      value,
      ts,
      text: ok
        ? `put ${key}=${value} succeeded: ${acks} of W=${w} acks${rest.length ? `; the write to ${rest.map((t) => t.to).join(', ')} is still in flight` : ''}`
        : `put ${key}=${value} FAILED: only ${acks} node${acks === 1 ? '' : 's'} could take it, W=${w} needed (the copies made stay)`,
    };
    this.step(outcome.text, this.focus(key, contacts), outcome);
    return outcome;
  }

  /** get: see the header. */
  get(key: string, via?: string): Outcome {
    checkKey(key);
    const { n, r, w } = this.config;
    const home = this.ring.preferenceList(key, n);
    const coord = this.coordinator(home, via);
    const contacts: Contact[] = [{ node: coord, role: 'coordinator' }];
    for (const h of home)
      if (!this.reaches(coord, h)) contacts.push({ node: h, role: this.node(h).up ? 'cut' : 'down' });
    // Who answers, in order: the coordinator's own copy first, then the preference list.
    const live = home.filter((h) => this.reaches(coord, h)).sort((a, b) => Number(b === coord) - Number(a === coord));
    this.step(
      `get ${key}: home replicas ${home.join(', ')}; ${coord} coordinates and waits for R=${r} replies`,
      this.focus(key, contacts),
    );
    const replies: { node: string; v?: Versioned }[] = [];
    for (const h of live.slice(0, r)) {
      const v = this.node(h).read(key);
      replies.push({ node: h, ...(v ? { v } : {}) });
      contacts.push({ node: h, role: 'read', ...(v ? { value: v.value, ts: v.ts } : {}) });
      const focus = this.focus(key, contacts);
      focus.contacts[focus.contacts.length - 1]!.now = true;
      this.step(
        `${h} replies ${v ? `${key}=${v.value} (t=${v.ts})` : `that it has no ${key}`}: reply ${replies.length} of R=${r}`,
        focus,
      );
    }
    if (replies.length < r) {
      const outcome: Outcome = {
        op: 'get',
        key,
        ok: false,
        acks: replies.length,
        needed: r,
        text: `get ${key} FAILED: only ${replies.length} of its home replicas ${replies.length === 1 ? 'is' : 'are'} up and reachable, R=${r} needed`,
      };
      this.step(outcome.text, this.focus(key, contacts), outcome);
      return outcome;
    }
    // The newest reply wins (last write wins by the clock).
    const best = replies.reduce<Versioned | undefined>((b, x) => (x.v && (!b || x.v.ts > b.ts) ? x.v : b), undefined);
    const newest = this.acked.get(key);
    const stale = !!newest && (!best || best.ts < newest.ts);
    const got = best ? `${best.value} (t=${best.ts})` : 'nothing';
    const outcome: Outcome = {
      op: 'get',
      key,
      ok: true,
      acks: replies.length,
      needed: r,
      ...(best ? { value: best.value, ts: best.ts } : {}),
      stale,
      text: stale
        ? `STALE READ: get ${key} returned ${got}, but ${newest!.value} (t=${newest!.ts}) was acknowledged. ${
            r + w > n
              ? `R + W = ${r + w} > N = ${n}, but the write's acks came partly from stand-ins outside the key's home replicas (a sloppy quorum), so the ${r} replies need not overlap them`
              : `R + W = ${r + w} ≤ N = ${n}: the ${r} repl${r === 1 ? 'y' : 'ies'} read need not include a replica the write reached`
          }`
        : `get ${key} returned ${got}${newest ? ', the newest acknowledged write' : ''}${r + w > n ? ` (R + W = ${r + w} > N = ${n}: the replies overlap the write's replicas)` : ''}`,
    };
    this.step(outcome.text, this.focus(key, contacts), outcome);
    // Read repair: repliers with an older copy get the newest.
    if (best) {
      for (const x of replies) {
        if (x.v && x.v.ts >= best.ts) continue;
        this.node(x.node).store(key, best);
        contacts.push({ node: x.node, role: 'repair', value: best.value, ts: best.ts });
        const focus = this.focus(key, contacts);
        focus.contacts[focus.contacts.length - 1]!.now = true;
        this.step(
          `read repair: ${x.node} had ${x.v ? `t=${x.v.ts}` : 'no copy'}, now stores ${key}=${best.value} (t=${best.ts})`,
          focus,
          outcome,
        );
      }
    }
    return outcome;
  }

  /** Delivers every write still in flight to a live node, one step each. */
  deliver(): number {
    if (this.inflight.length === 0) {
      this.step('deliver: no write is in flight');
      return 0;
    }
    let done = 0;
    // Each arrival leaves the in-flight list before its picture is taken.
    for (const m of [...this.inflight]) {
      const to = this.node(m.to);
      if (!to.up || (m.from !== undefined && !this.reaches(m.from, m.to))) continue;
      this.inflight.splice(this.inflight.indexOf(m), 1);
      to.store(m.key, m, m.for);
      done++;
      this.step(
        `the write in flight arrives: ${m.to} stores ${m.key}=${m.value} (t=${m.ts})${m.for ? ` as a hint for ${m.for}` : ''}`,
        this.focus(m.key, [
          {
            node: m.to,
            role: m.for ? 'hint' : 'write',
            value: m.value,
            ts: m.ts,
            now: true,
            ...(m.for ? { for: m.for } : {}),
          },
        ]),
      );
    }
    if (done === 0) this.step('deliver: every write in flight is for a node that is down or cut off; they wait');
    return done;
  }

  /** Loses every write still in flight, one step. */
  drop(): number {
    const lost = this.inflight.splice(0);
    this.step(
      lost.length === 0
        ? 'drop: no write is in flight'
        : `the network loses ${lost.length} write${lost.length === 1 ? '' : 's'} in flight: ${lost.map((m) => `${m.to} never gets ${m.key}=${m.value} (t=${m.ts})`).join('; ')}`,
    );
    return lost.length;
  }

  /** The keys both `a` and `b` are home replicas for, as `n` holds them (its data, not its hints). */
  private sharedEntries(
    n: Replica,
    a: string,
    b: string,
  ): { key: string; position: number; ts: number; value: string }[] {
    const out = [];
    for (const e of n.entries()) {
      const home = this.ring.preferenceList(e.key, this.config.n);
      if (home.includes(a) && home.includes(b)) out.push({ ...e, position: this.ring.position(e.key) });
    }
    return out;
  }

  /** Anti-entropy between `aName` and `bName`: see the header and anti-entropy.ts. Returns how many copies were sent. */
  antiEntropy(aName: string, bName: string): number {
    const a = this.node(aName);
    const b = this.node(bName);
    if (a === b) throw new Error('anti-entropy compares two different nodes');
    for (const n of [a, b]) if (!n.up) throw new Error(`${n.name} is down: it cannot compare trees`);
    if (!this.reaches(a.name, b.name))
      throw new Error(`${a.name} and ${b.name} are on different sides of the partition`);
    return runAntiEntropy(a.name, b.name, {
      entries: (node) => this.sharedEntries(this.node(node), a.name, b.name),
      read: (node, key) => this.node(node).read(key),
      store: (node, key, v) => this.node(node).store(key, v),
      focus: (key, contacts) => this.focus(key, contacts),
      step: (caption, merkle, focus) => this.step(caption, focus, undefined, merkle),
    });
  }

  /** Takes node `name` down. */
  down(name: string): void {
    const n = this.node(name);
    if (!n.up) throw new Error(`${n.name} is already down`);
    n.up = false;
    this.step(`${n.name} goes down: it answers nothing; writes meant for it go to a stand-in as hints`);
  }

  /** Brings node `name` back; the nodes holding hints for it hand them off. */
  up(name: string): void {
    const n = this.node(name);
    if (n.up) throw new Error(`${n.name} is already up`);
    n.up = true;
    this.step(`${n.name} is back up`);
    this.handoff(n);
  }

  /** Splits the cluster into `sides`: see the header. */
  split(sides: Partition): void {
    if (this.partition) throw new Error(`the cluster is already partitioned (${this.partition}); heal first`);
    this.partition = sides;
    this.step(`network partition: ${sides}. Each side still answers; a message crosses only within a side`);
  }

  /** Ends the partition; every node holding hints hands them to their nodes. */
  heal(): void {
    if (!this.partition) throw new Error('the cluster is not partitioned');
    this.partition = undefined;
    this.step('the partition heals: every node reaches every other again');
    for (const n of this.nodes.values()) if (n.up) this.handoff(n);
  }

  /** Whether a message from `a` reaches `b`: `b` is up and on the same side. */
  private reaches(a: string, b: string): boolean {
    return this.node(b).up && (!this.partition || this.partition.connects(a, b));
  }

  /** Hinted handoff: every live node that reaches `n` and holds hints for it hands them over. */
  private handoff(n: Replica): void {
    for (const holder of this.nodes.values()) {
      if (!holder.up || holder === n || !this.reaches(holder.name, n.name)) continue;
      for (const { key, ...val } of holder.takeHints(n.name)) {
        n.store(key, val);
        this.step(
          `hinted handoff: ${holder.name} hands ${key}=${val.value} (t=${val.ts}) to ${n.name} and deletes its hint`,
          this.focus(key, [
            { node: holder.name, role: 'handoff', value: val.value, ts: val.ts },
            { node: n.name, role: 'write', value: val.value, ts: val.ts, now: true },
          ]),
        );
      }
    }
  }

  /** The coordinator: `via` if given and up, else the first live home replica, else any live node. */
  private coordinator(home: string[], via?: string): string {
    if (via) {
      const n = this.node(via);
      if (!n.up) throw new Error(`${n.name} is down: it cannot coordinate`);
      return n.name;
    }
    const c = home.find((h) => this.node(h).up) ?? [...this.nodes.values()].find((x) => x.up)?.name;
    if (!c) throw new Error('every node is down');
    return c;
  }

  /** The picture of the cluster now. */
  picture(caption: string, focus?: Focus, outcome?: Outcome, merkle?: MerklePicture): Picture {
    const nodes: NodePicture[] = [...this.nodes.values()].map((n) => n.picture());
    return {
      caption,
      config: { ...this.config, nodes: [...this.config.nodes] },
      clock: this.clock,
      nodes,
      inflight: this.inflight.map((m) => ({ ...m })),
      ...(focus ? { focus } : {}),
      ...(outcome ? { outcome } : {}),
      ...(merkle ? { merkle } : {}),
      ...(this.partition ? { sides: this.partition.sides.map((x) => [...x]) } : {}),
    };
  }

  /** Closes every node's store. */
  close(): void {
    for (const n of this.nodes.values()) n.close();
  }
}

/** Keys are short words here, so the pictures stay readable. */
function checkKey(key: string): void {
  if (!/^[\w.-]{1,24}$/.test(key))
    throw new Error(`"${key}" is not a key here: use letters, digits, . - _ (at most 24)`);
}

/** A ring position as a percentage. */
function pct(p: number): string {
  return `${((p / 2 ** 32) * 100).toFixed(1)}%`;
}
