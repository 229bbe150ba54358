/**
 * partition.ts: a network partition of the simulated cluster: the nodes split into sides,
 * and a message crosses from one node to another only when both are on the same side. A node
 * cut off is alive (it answers its own side), unlike a node that is down; Dynamo treats both
 * alike from a coordinator's point of view: an unreachable home replica gets a stand-in on the
 * coordinator's side and a hint (sloppy quorum), handed off when the partition heals. No DOM.
 */

/** The sides of a partition, each a list of node names. */
export class Partition {
  private readonly sideOf = new Map<string, number>();

  /** `sides` must name every node exactly once, on at least two sides. */
  constructor(
    readonly sides: string[][],
    nodes: readonly string[],
  ) {
    if (sides.length < 2 || sides.some((s) => s.length === 0))
      throw new Error('a partition needs at least two sides, each with a node: partition A B / C D E');
    sides.forEach((side, i) => {
      for (const n of side) {
        if (!nodes.includes(n)) throw new Error(`there is no node "${n}"; the nodes are ${nodes.join(', ')}`);
        if (this.sideOf.has(n)) throw new Error(`${n} is on two sides`);
        this.sideOf.set(n, i);
      }
    });
    const missing = nodes.filter((n) => !this.sideOf.has(n));
    if (missing.length)
      throw new Error(
        `every node must be on a side; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} on none`,
      );
  }

  /** Parses "A B / C D E" (any case) into a partition of `nodes`. */
  static parse(words: readonly string[], nodes: readonly string[]): Partition {
    const sides = words
      .join(' ')
      .split('/')
      .map((s) =>
        s
          .trim()
          .split(/[\s,]+/)
          .filter(Boolean)
          .map((n) => n.toUpperCase()),
      );
    return new Partition(sides, nodes);
  }

  /** Whether a message from `a` reaches `b`. */
  connects(a: string, b: string): boolean {
    return this.sideOf.get(a) === this.sideOf.get(b);
  }

  /** The side number (0-based) of `node`. */
  side(node: string): number {
    return this.sideOf.get(node)!;
  }

  /** "A B | C D E", for captions. */
  toString(): string {
    return this.sides.map((s) => s.join(' ')).join(' | ');
  }
}
