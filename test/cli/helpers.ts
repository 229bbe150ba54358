/**
 * helpers.ts: what the CLI tests share: the engines that are built, an in-memory session
 * whose output the test can read, and a runner for `kv` as a child process.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ENGINES, type EngineName } from '../../engines/kv.js';
import { MemoryFileSystem } from '../../engines/storage/memory.js';
import type { FileSystem } from '../../engines/storage/fs.js';
import { openWith } from '../../engines/registry.js';
import { isKVError } from '../../engines/errors.js';
import { Session, type Output } from '../../cli/session.js';
import { plainPaint } from '../../cli/colour.js';
import { toolsFor } from '../../cli/engines/index.js';
import type { DumpItem } from '../../cli/engines/types.js';

/** The project root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The engines the registry can open today. */
export const BUILT: EngineName[] = ENGINES.filter((engine) => {
  try {
    openWith(engine, { dir: '/probe', fs: new MemoryFileSystem() }).close();
    return true;
  } catch (e) {
    if (isKVError(e, 'KV_UNKNOWN_ENGINE')) return false;
    throw e;
  }
});

/** An Output that keeps what was printed. */
export function captureOutput(): Output & { outLines: string[]; errLines: string[] } {
  const outLines: string[] = [];
  const errLines: string[] = [];
  return {
    outLines,
    errLines,
    out: (l) => outLines.push(l),
    err: (l) => errLines.push(l),
    paint: plainPaint,
    errPaint: plainPaint,
  };
}

/** A session at the prompt on a memory file system. */
export function memorySession(
  engine: EngineName,
  options: { chatty?: boolean; interactive?: boolean; fs?: MemoryFileSystem; readInput?: () => string } = {},
) {
  const output = captureOutput();
  const fs = options.fs ?? new MemoryFileSystem();
  const session = new Session({
    engine,
    dir: '/db',
    fs,
    output,
    interactive: options.interactive ?? true,
    chatty: options.chatty ?? false,
    ...(options.readInput ? { readInput: options.readInput } : {}),
  });
  return { session, output, fs };
}

/** What a child process did. */
export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx <script> ...args` in the project root. */
export function runNode(
  script: string,
  args: string[],
  options: { input?: string; env?: Record<string, string | undefined> } = {},
): Run {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: undefined,
    FORCE_COLOR: undefined,
    KV_HISTORY: '',
    ...options.env,
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    input: options.input ?? '',
    env: env as NodeJS.ProcessEnv,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the `kv` command as a child process. */
export function kv(args: string[], options: { input?: string; env?: Record<string, string | undefined> } = {}): Run {
  return runNode('cli/kv.ts', args, options);
}

/**
 * Flips one byte in the middle of the stored record of a live key, found through the
 * engine's dump (an item whose summary names `needle`, not inside a free page), so the
 * damage lands where the engine must notice it. Returns the file and offset it changed.
 */
export function corruptLiveRecord(
  engine: EngineName,
  fs: FileSystem,
  dir: string,
  needle: string,
): { file: string; offset: number } {
  const report = toolsFor(engine)!.dump(fs, dir);
  for (const f of report.files) {
    const found = findItem(f.items, needle);
    if (!found) continue;
    const at = found.offset + Math.floor(found.length / 2);
    const h = fs.open(`${dir}/${f.name}`);
    h.write(at, Uint8Array.of(h.read(at, 1)[0]! ^ 0x40));
    h.sync();
    h.close();
    return { file: f.name, offset: at };
  }
  throw new Error(`no item names ${needle}`);
}

/** The first leaf item whose summary names `needle`, skipping free pages' stale bytes. */
function findItem(items: DumpItem[], needle: string): DumpItem | undefined {
  for (const i of items) {
    if (/\[(free|pending)\]/.test(i.summary)) continue;
    if (i.children?.length) {
      const c = findItem(i.children, needle);
      if (c) return c;
    } else if (i.summary.includes(needle) && i.length > 2) return i;
  }
  return undefined;
}
