/**
 * session.ts: the cluster widget's recording. Console lines run on a Cluster; every step it
 * reports is kept as a frame (a Picture, plain JSON), so stepping back and forward shows
 * exactly the same picture. Changing N, R, W or the virtual nodes replays the same lines on
 * a fresh cluster. No DOM.
 */
import { Cluster, DEFAULT_CONFIG, type ClusterConfig, type Picture } from './cluster.js';
import { Ring } from './ring.js';
import { Partition } from './partition.js';

/** One recorded step. */
export interface Frame {
  picture: Picture;
  /** The index of the console line that made it (-1: the starting picture). */
  line: number;
}

/** What running a line said. */
export interface LineResult {
  ok: boolean;
  message: string;
  /** The first frame the line recorded. */
  from: number;
}

export const HELP =
  'put k v [via X] · get k [via X] · deliver · drop · down X · up X · partition A B / C D E · heal · antientropy X Y';

/** A recording of console lines on one cluster. */
export class Session {
  readonly frames: Frame[] = [];
  readonly lines: string[] = [];
  private cluster: Cluster;
  private line = -1;

  constructor(readonly config: ClusterConfig = DEFAULT_CONFIG) {
    this.cluster = new Cluster(config, (p) => this.frames.push({ picture: p, line: this.line }));
    this.frames.push({
      picture: this.cluster.picture(
        `${config.nodes.length} nodes, each running the ${config.engine} engine; N=${config.n}, R=${config.r}, W=${config.w}, ${config.vnodes} virtual node${config.vnodes === 1 ? '' : 's'} each`,
      ),
      line: -1,
    });
  }

  /** The ring (for drawing tokens). */
  get ring(): Ring {
    return this.cluster.ring;
  }

  /** Runs one console line. Errors are reported, and record no step. */
  run(text: string): LineResult {
    const from = this.frames.length;
    const words = text.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return { ok: true, message: '', from };
    this.line = this.lines.length;
    this.lines.push(text.trim());
    try {
      const message = this.exec(words);
      return { ok: true, message, from };
    } catch (e) {
      this.lines.pop();
      this.frames.length = from;
      return { ok: false, message: (e as Error).message, from };
    }
  }

  /** Runs several lines; stops at the first error. */
  runAll(lines: readonly string[]): LineResult[] {
    const out: LineResult[] = [];
    for (const l of lines) {
      const r = this.run(l);
      out.push(r);
      if (!r.ok) break;
    }
    return out;
  }

  /** Executes a parsed line; returns what the console prints. */
  private exec(words: string[]): string {
    const [cmd, ...args] = words;
    const via = (rest: string[]): string | undefined => {
      if (rest.length === 0) return undefined;
      if (rest.length === 2 && rest[0] === 'via') return rest[1];
      throw new Error(`expected "via <node>" after the key, not "${rest.join(' ')}"`);
    };
    switch (cmd!.toLowerCase()) {
      case 'put': {
        if (args.length < 2) throw new Error('usage: put <key> <value> [via <node>]');
        return this.cluster.put(args[0]!, args[1]!, via(args.slice(2))).text;
      }
      case 'get': {
        if (args.length < 1) throw new Error('usage: get <key> [via <node>]');
        return this.cluster.get(args[0]!, via(args.slice(1))).text;
      }
      case 'deliver': {
        const n = this.cluster.deliver();
        return n === 0 ? 'nothing was in flight to a live node' : `${n} write${n === 1 ? '' : 's'} arrived`;
      }
      case 'drop': {
        const n = this.cluster.drop();
        return n === 0 ? 'nothing was in flight' : `${n} write${n === 1 ? '' : 's'} lost`;
      }
      case 'partition': {
        if (args.length === 0) throw new Error('usage: partition A B / C D E');
        const p = Partition.parse(args, this.config.nodes);
        this.cluster.split(p);
        return `partitioned: ${p}`;
      }
      case 'heal': {
        this.cluster.heal();
        return 'healed';
      }
      case 'antientropy':
      case 'ae': {
        if (args.length !== 2) throw new Error('usage: antientropy <node> <node>');
        const n = this.cluster.antiEntropy(args[0]!, args[1]!);
        return n === 0
          ? `${args[0]!.toUpperCase()} and ${args[1]!.toUpperCase()} already agree`
          : `${n} cop${n === 1 ? 'y' : 'ies'} sent`;
      }
      case 'down':
      case 'up': {
        if (args.length !== 1) throw new Error(`usage: ${cmd} <node>`);
        if (cmd === 'down') this.cluster.down(args[0]!);
        else this.cluster.up(args[0]!);
        return `${args[0]!.toUpperCase()} is ${cmd}`;
      }
      default:
        throw new Error(`unknown command "${cmd}": ${HELP}`);
    }
  }

  /** Closes the cluster's stores. */
  close(): void {
    this.cluster.close();
  }
}

/** A canned scenario: the quorum settings it needs and its lines (computed from the ring). */
export interface Scenario {
  name: string;
  label: string;
  config: Partial<ClusterConfig>;
  lines: (ring: Ring, config: ClusterConfig) => string[];
}

/** The lesson's scenarios. */
export const SCENARIOS: Scenario[] = [
  {
    name: 'ring',
    label: 'Keys on the ring',
    config: {},
    lines: () => ['put apple red', 'put banana yellow', 'put cherry dark', 'put kiwi green', 'deliver'],
  },
  {
    name: 'quorum',
    label: 'Quorum read (R + W > N)',
    config: { n: 3, r: 2, w: 2 },
    lines: (ring, c) => {
      const [, , last] = ring.preferenceList('cart', c.n);
      return ['put cart milk', 'deliver', 'put cart eggs', `get cart via ${last}`];
    },
  },
  {
    name: 'stale',
    label: 'Stale read (R + W ≤ N)',
    config: { n: 3, r: 1, w: 1 },
    lines: (ring, c) => {
      const [first, , last] = ring.preferenceList('cart', c.n);
      return [
        'put cart milk',
        'deliver',
        `put cart eggs via ${first}`,
        `get cart via ${last}`,
        'deliver',
        `get cart via ${last}`,
      ];
    },
  },
  {
    name: 'handoff',
    label: 'Node down, hinted handoff',
    config: { n: 3, r: 2, w: 2 },
    lines: (ring, c) => {
      const [first, second] = ring.preferenceList('cart', c.n);
      return [
        'put cart milk',
        'deliver',
        `down ${second}`,
        `put cart eggs via ${first}`,
        'deliver',
        `get cart via ${first}`,
        `up ${second}`,
        `get cart via ${second}`,
      ];
    },
  },
  {
    name: 'partition',
    label: 'Partition, sloppy quorum on both sides',
    config: { n: 3, r: 2, w: 2 },
    lines: (ring, c) => {
      // The first two home replicas of "cart" on one side, the third and the rest on the other.
      const [first, second, third] = ring.preferenceList('cart', c.n);
      const rest = c.nodes.filter((x) => x !== first && x !== second);
      return [
        'put cart milk',
        'deliver',
        `partition ${first} ${second} / ${rest.join(' ')}`,
        `put cart eggs via ${third}`,
        'deliver',
        `get cart via ${first}`,
        'heal',
        `get cart via ${first}`,
      ];
    },
  },
  {
    name: 'antientropy',
    label: 'Lost write, Merkle anti-entropy',
    config: { n: 3, r: 2, w: 2 },
    lines: (ring, c) => {
      // Keys the first and last home replicas of "cart" share, so the trees have several leaves filled.
      const [first, , last] = ring.preferenceList('cart', c.n);
      const shared = ['apple', 'banana', 'cherry', 'kiwi', 'lemon', 'mango', 'pear', 'plum'].filter((k) => {
        const p = ring.preferenceList(k, c.n);
        return p.includes(first!) && p.includes(last!);
      });
      return [
        'put cart milk',
        ...shared.slice(0, 3).map((k) => `put ${k} ripe`),
        'deliver',
        `put cart eggs via ${first}`,
        'drop',
        `antientropy ${first} ${last}`,
        `antientropy ${first} ${last}`,
      ];
    },
  },
];

/** The scenario called `name`, or an error. */
export function scenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario "${name}"`);
  return s;
}

/** A new session for scenario `name` on `base` (its quorum settings applied), with its lines run. */
export function runScenario(name: string, base: ClusterConfig = DEFAULT_CONFIG): Session {
  const s = scenario(name);
  const config = { ...base, ...s.config };
  const session = new Session(config);
  session.runAll(s.lines(session.ring, config));
  return session;
}
