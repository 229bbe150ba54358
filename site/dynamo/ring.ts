/**
 * ring.ts: consistent hashing with virtual nodes, as in Dynamo (and Cassandra, Riak).
 *
 * Every physical node owns `vnodes` tokens: points on a ring of 2^32 positions, placed by
 * hashing "<node>#<i>". A key hashes onto the same ring; walking clockwise from the key, the
 * first N distinct physical nodes are its preference list, the replicas that hold it. With
 * several tokens per node, the ring's arcs are many and small, so keys spread evenly and a
 * node that leaves hands its arcs to many others rather than to one neighbour.
 *
 * No DOM; deterministic (FNV-1a, not a random placement), so a test or a replay sees the
 * same ring every time.
 */

/** Positions on the ring: 0 <= p < RING. */
export const RING = 2 ** 32;

/** FNV-1a, 32 bits, over the UTF-16 code units of `s`, then a final avalanche (murmur3 fmix). */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // FNV alone clusters short similar strings ("A#1", "A#2"); mix the bits.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One virtual node: a token on the ring owned by a physical node. */
export interface Token {
  position: number;
  node: string;
  /** Which of the node's tokens (0-based). */
  index: number;
}

/** The ring of tokens, sorted by position. */
export class Ring {
  readonly tokens: Token[];

  /** Places `vnodes` tokens for each of `nodes`. */
  constructor(
    readonly nodes: readonly string[],
    readonly vnodes: number,
  ) {
    if (!Number.isInteger(vnodes) || vnodes < 1) throw new Error(`vnodes must be a whole number >= 1, not ${vnodes}`);
    if (new Set(nodes).size !== nodes.length || nodes.length === 0)
      throw new Error('nodes must be distinct and not empty');
    this.tokens = nodes
      .flatMap((node) =>
        Array.from({ length: vnodes }, (_, index) => ({ position: hash(`${node}#${index}`), node, index })),
      )
      .sort((a, b) => a.position - b.position || a.node.localeCompare(b.node));
  }

  /** Where `key` lands on the ring. */
  position(key: string): number {
    return hash(key);
  }

  /** The index of the first token at or after `position` (wrapping to 0). */
  firstTokenAtOrAfter(position: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.tokens.length ? 0 : lo;
  }

  /**
   * Every distinct physical node in clockwise order from `key`'s position: the first N are
   * its preference list (its home replicas); the ones after are where a write goes when a
   * home replica is down (the sloppy quorum's stand-ins).
   */
  walk(key: string): string[] {
    const out: string[] = [];
    const start = this.firstTokenAtOrAfter(this.position(key));
    for (let i = 0; i < this.tokens.length && out.length < this.nodes.length; i++) {
      const node = this.tokens[(start + i) % this.tokens.length]!.node;
      if (!out.includes(node)) out.push(node);
    }
    return out;
  }

  /** The first `n` distinct nodes clockwise from `key`: the key's home replicas. */
  preferenceList(key: string, n: number): string[] {
    return this.walk(key).slice(0, n);
  }

  /** The share of the ring (0..1) for which each node is the first owner. */
  ownership(): Map<string, number> {
    const share = new Map<string, number>(this.nodes.map((n) => [n, 0]));
    const t = this.tokens;
    for (let i = 0; i < t.length; i++) {
      // Token i owns the arc from the previous token (exclusive) up to itself.
      const prev = t[(i - 1 + t.length) % t.length]!.position;
      const arc = (t[i]!.position - prev + RING) % RING || (t.length === 1 ? RING : 0);
      share.set(t[i]!.node, share.get(t[i]!.node)! + arc / RING);
    }
    return share;
  }
}
