/**
 * template.ts: the source of a fresh learner engine: a class that keeps the KVStore contract
 * with every method throwing KV_NOT_WRITTEN naming the step (and its page) that writes it.
 */
import type { Track } from './tracks.js';
import { stepPage } from './tracks.js';

/** The methods of the contract, in the order the scaffold lists them, with their signatures. */
const METHODS: [string, string, string][] = [
  ['get', 'get(key: Key): Uint8Array | undefined', 'The newest value of `key`, or undefined.'],
  ['put', 'put(key: Key, value: Value): void', 'Sets `key` to `value`.'],
  ['delete', 'delete(key: Key): void', 'Removes `key`; removing a missing key is not an error.'],
  ['batch', 'batch(ops: BatchOp[]): void', 'Applies every op or none, also across a crash.'],
  [
    'scan',
    'scan(range?: Range): IterableIterator<[Uint8Array, Uint8Array]>',
    'Pairs in bytewise key order (or reverse) within the range.',
  ],
  ['sync', 'sync(): void', 'Returns once every write acknowledged before the call is durable.'],
  ['compact', 'compact(): void', "Reclaims space: your engine's merge or compaction."],
  [
    'close',
    'close(): void',
    'Syncs, then releases the files and the directory lock. A second close is a no-op; every other method after it throws KV_CLOSED.',
  ],
  ['stats', 'stats(): StoreStats', 'Counters: bytes, syncs, files, keys, memory.'],
  [
    'inspect',
    'inspect(): EngineSnapshot',
    'A JSON picture of your in-memory structures and files, for the workbench: return picture({ keys: [...] }).',
  ],
];

/** The step of `track` that writes `method` (the last step when no step names it). */
function stepFor(track: Track, method: string): { n: number; page: string } {
  const step = track.steps.find((s) => s.methods.includes(method)) ?? track.steps[track.steps.length - 1]!;
  return { n: step.n, page: stepPage(track, step) };
}

/** The TypeScript source of yours/<name>/index.ts for a new engine on `track`. */
export function scaffoldSource(name: string, track: Track): string {
  const ctor = stepFor(track, 'constructor');
  const methods = METHODS.map(([m, sig, doc]) => {
    const { n, page } = stepFor(track, m);
    return `  /** ${doc} */\n  ${sig} {\n    throw notWritten(${n}, '${m}()', '${page}');\n  }`;
  }).join('\n\n');
  return `/**
 * ${name}: your ${track.name} engine (the ${track.title} track). Every method throws
 * "not written yet" until the step that writes it: follow the pages at /build/${track.name}/ and run
 *
 *   npm run step -- ${name} <n>     the checks of steps 1..n on this engine
 *   npm run grade -- ${name}        the project's own suites, once the track is done
 *
 * The contract is engines/kv.ts; every byte goes through options.fs (engines/storage/fs.ts),
 * so the same code runs on real disk and on the memory file system that simulates power loss.
 * Split this file as it grows: one concept per file, as the reference engines do.
 */
import { KVError, MAX_KEY_BYTES, MAX_VALUE_BYTES } from '../../engines/index.js';
import type { BatchOp, EngineName, EngineSnapshot, FileSystem, Key, KVStore, Limits, Range, StoreOptions, StoreStats, Value } from '../../engines/index.js';

/** The name this engine is registered under (yours/registry.json). */
export const NAME = '${name}';

/** The error every unwritten part throws: which step writes it, and where its page is. */
function notWritten(step: number, what: string, page: string): KVError {
  return new KVError('KV_NOT_WRITTEN', \`\${NAME}: \${what} is not written yet: step \${step} (\${page})\`);
}

/**
 * The picture inspect() returns: \`engine\` is NAME, every other field is yours (the workbench
 * draws any JSON). The contract's EngineSnapshot lists only the reference engines' shapes, so
 * this one cast lets \`inspect(): EngineSnapshot { return picture({ keys: [...] }); }\` typecheck.
 */
export function picture(fields: Record<string, unknown>): EngineSnapshot {
  return { engine: NAME, ...fields } as unknown as EngineSnapshot;
}

/** Your store. The constructor opens (and recovers) options.dir on options.fs. */
export class Store implements KVStore {
  /** A learner's engine is not one of the four reference names; the registry knows it by NAME. */
  readonly engine = NAME as EngineName;
  readonly limits: Limits = { maxKeyBytes: MAX_KEY_BYTES, maxValueBytes: MAX_VALUE_BYTES };
  private readonly fs: FileSystem;
  private readonly dir: string;

  constructor(options: StoreOptions & { fs: FileSystem }) {
    this.fs = options.fs;
    this.dir = options.dir;
    throw notWritten(${ctor.n}, 'opening a store', '${ctor.page}');
  }

${methods}
}

/** Opens a store: the registry calls this for openStore('${name}', ...). */
export function open(options: StoreOptions & { fs: FileSystem }): KVStore {
  return new Store(options);
}
`;
}
