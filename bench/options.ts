/**
 * options.ts: the command line of `npm run bench`.
 *
 *   npm run bench -- --engines snapshot,lsm,classic-level --workloads fillrandom,readrandom
 *                    --keys 100000 --value-bytes 100 --quick --out bench/results/latest.json
 */
import { ENGINES } from '../engines/kv.js';
import { WORKLOADS, type WorkloadName } from './workloads.js';

/** Peers and limits that run beside the engines. */
export const PEERS = ['classic-level', 'lmdb'] as const;
export const LIMITS = ['limit-map', 'limit-append'] as const;
/** Every subject name, in report order. */
export const SUBJECTS: readonly string[] = [...ENGINES, ...PEERS, ...LIMITS];

/** Where a full run writes its results: the file the site charts, committed. */
export const DEFAULT_OUT = 'bench/results/latest.json';
/** Where a quick run writes (git-ignored), so a smoke run never replaces the committed figures. */
export const QUICK_OUT = 'bench/out/quick.json';

/** Defaults: a full run on 2 cores in well under 10 minutes; a quick one in under a minute. */
export const FULL_KEYS = 100_000;
export const QUICK_KEYS = 2_000;

/** The parsed options. */
export interface BenchOptions {
  subjects: string[];
  workloads: WorkloadName[];
  keys: number;
  valueBytes: number;
  quick: boolean;
  out: string;
  seed: number;
  /** A workload that may stop early stops after this many seconds. */
  capSeconds: number;
  /** A subject's child process is killed after this many seconds. */
  subjectTimeoutSeconds: number;
  /** Write a V8 CPU profile of each subject's process into this directory (--cpu-prof DIR). */
  cpuProfDir: string | undefined;
  /** Force the live bar on or off (default: on when stderr is a terminal). */
  tty: boolean | undefined;
  help: boolean;
}

/** The help text. */
export const USAGE = `usage: npm run bench -- [options]

  --engines a,b,...     subjects to run (default all): ${SUBJECTS.join(', ')}
  --workloads a,b,...   workloads to run (default all): ${WORKLOADS.join(', ')}
  --keys N              items per workload (default ${FULL_KEYS}; --quick ${QUICK_KEYS})
  --value-bytes N       bytes per value (default 100)
  --quick               a small run, under a minute (for the smoke test)
  --out FILE            results JSON (default ${DEFAULT_OUT}; --quick ${QUICK_OUT})
  --seed N              seed for the key order and values (default 1)
  --cap-seconds N       stop a read/mixed workload after N seconds (default 8; --quick 3)
  --timeout-seconds N   kill a subject's process after N seconds (default 300; --quick 60)
  --cpu-prof DIR        write a CPU profile of each subject's process into DIR
                        (open the .cpuprofile in Chrome DevTools or speedscope)
  --progress / --no-progress   force the live bar on or off
  --help
`;

/** Parses argv (without node and script); throws an Error with a message on a bad flag. */
export function parseOptions(argv: string[]): BenchOptions {
  const known = new Set([
    'engines',
    'workloads',
    'keys',
    'value-bytes',
    'quick',
    'out',
    'seed',
    'cap-seconds',
    'timeout-seconds',
    'cpu-prof',
    'progress',
    'no-progress',
    'help',
  ]);
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(a)}\n\n${USAGE}`);
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (!known.has(name)) throw new Error(`unknown option --${name}\n\n${USAGE}`);
    if (eq >= 0) flags.set(name, a.slice(eq + 1));
    else if (['quick', 'help', 'progress', 'no-progress'].includes(name)) flags.set(name, true);
    else {
      const v = argv[++i];
      if (v === undefined) throw new Error(`--${name} needs a value`);
      flags.set(name, v);
    }
  }

  const quick = flags.get('quick') === true;
  const list = (name: string, all: readonly string[]): string[] => {
    const v = flags.get(name);
    if (v === undefined) return [...all];
    const items = String(v)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const x of items)
      if (!all.includes(x)) throw new Error(`--${name}: unknown ${JSON.stringify(x)}; choose from ${all.join(', ')}`);
    // Keep the canonical order: workloads depend on the state earlier ones leave.
    return all.filter((x) => items.includes(x));
  };
  const int = (name: string, dflt: number, min: number): number => {
    const v = flags.get(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${name} must be a whole number >= ${min}, not ${JSON.stringify(v)}`);
    return n;
  };
  const out = flags.get('out');
  return {
    subjects: list('engines', SUBJECTS),
    workloads: list('workloads', WORKLOADS) as WorkloadName[],
    keys: int('keys', quick ? QUICK_KEYS : FULL_KEYS, 10),
    valueBytes: int('value-bytes', 100, 0),
    quick,
    out: typeof out === 'string' ? out : quick ? QUICK_OUT : DEFAULT_OUT,
    seed: int('seed', 1, 0),
    capSeconds: int('cap-seconds', quick ? 3 : 8, 1),
    subjectTimeoutSeconds: int('timeout-seconds', quick ? 60 : 300, 1),
    cpuProfDir: typeof flags.get('cpu-prof') === 'string' ? String(flags.get('cpu-prof')) : undefined,
    tty: flags.has('progress') ? true : flags.has('no-progress') ? false : undefined,
    help: flags.get('help') === true,
  };
}
