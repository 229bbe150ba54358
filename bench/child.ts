/**
 * child.ts: one subject's run, in a fresh process (so one engine's heap and caches do not
 * slow the next). Started by runner.ts with a ChildJob as JSON in argv; reports over IPC.
 *
 * For each workload, in order:
 *   1. skip it as not applicable if the subject lacks a capability it needs;
 *   2. bring the store to the workload's start state (fresh, filled, or crash-recovered),
 *      timing the open;
 *   3. collect garbage, read the counters, run the timed part (plus a final sync for
 *      writing workloads), read the counters again;
 *   4. send the figures. A workload that throws is reported as failed and the next one
 *      starts from a new store.
 *
 * With a CrashFillJob instead (the reopen workload's helper), it fills a store, syncs it,
 * and kills itself without closing anything.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AdapterStats, BenchKV, Subject } from './adapter.js';
import { KEY_BYTES, Values, presentKey } from './keys.js';
import { Meter } from './meter.js';
import type { ChildJob, ChildMessage, CrashFillJob } from './protocol.js';
import { Random } from './random.js';
import type { WorkloadResult } from './results.js';
import { subjectByName } from './subjects.js';
import { KeyState, WORKLOAD, type Workload, type WorkloadName } from './workloads.js';
import { Histogram } from './histogram.js';
import { pairedFills } from './tracing-cost.js';

/** Items per batch when preparing a filled store (untimed). */
const PREP_BATCH = 1000;

/** Sends a message to the parent (a no-op when run by hand without IPC). */
function send(m: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) {
      resolve();
      return;
    }
    process.send(m, undefined, {}, () => resolve());
  });
}

/** A one-line reason from an error. */
function reasonOf(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.slice(0, 300);
}

/** A seed per workload, so every subject sees the same key order; traced and bare runs reuse fillrandom's. */
function seedFor(seed: number, workload: WorkloadName): number {
  let h = seed >>> 0;
  for (const c of workload.replace(/-(traced|bare)$/, '')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** Puts items 0..keys-1 in random order, in batches where the subject has them, then syncs. */
async function prepareFill(kv: BenchKV, subject: Subject, keys: number, values: Values, random: Random): Promise<void> {
  const order = random.permutation(keys);
  for (let at = 0; at < keys; at += PREP_BATCH) {
    const end = Math.min(keys, at + PREP_BATCH);
    if (subject.lacks.has('batch')) {
      for (let i = at; i < end; i++) await kv.put(presentKey(order[i]!), values.next());
    } else {
      const pairs: [Uint8Array, Uint8Array][] = [];
      for (let i = at; i < end; i++) pairs.push([presentKey(order[i]!), values.next()]);
      await kv.batch(pairs);
    }
  }
  await kv.sync();
}

/** Runs the crash-fill helper in another process and waits for it to die. */
function crashFillElsewhere(job: ChildJob, dir: string): void {
  const helper: CrashFillJob = {
    mode: 'crashfill',
    subject: job.subject,
    keys: job.keys,
    valueBytes: job.valueBytes,
    seed: job.seed,
    dir,
  };
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), JSON.stringify(helper)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 24,
  });
  if (!r.stdout.includes('filled')) {
    throw new Error(
      `the crash-fill helper failed (${r.signal ?? `exit ${r.status}`}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`,
    );
  }
}

/** The crash-fill helper: fill, sync, announce, and die by SIGKILL with the store open. */
async function crashFill(job: CrashFillJob): Promise<void> {
  const subject = subjectByName(job.subject);
  await subject.load();
  const kv = await subject.open(job.dir, {});
  await prepareFill(kv, subject, job.keys, new Values(job.valueBytes, job.seed), new Random(job.seed));
  fs.writeSync(1, 'filled\n');
  process.kill(process.pid, 'SIGKILL');
}

/** Counters that are all zero (the baseline of a store just opened by reopen). */
const ZERO_STATS: AdapterStats = {
  bytesWritten: 0,
  bytesRead: 0,
  syncs: 0,
  diskBytes: 0,
  liveKeys: 0,
  memoryBytes: 0,
  ioSource: 'none',
};

/** A result for a workload that did not run. */
function emptyResult(
  job: ChildJob,
  subject: Subject,
  w: Workload,
  status: 'n/a' | 'failed',
  reason: string,
): WorkloadResult {
  return {
    subject: job.subject,
    kind: subject.kind,
    workload: w.name,
    status,
    reason,
    ops: 0,
    seconds: 0,
    opsPerSec: 0,
    latencyUnit: w.latencyUnit,
    latency: new Histogram().summary(),
    bytesWritten: 0,
    bytesRead: 0,
    userBytesWritten: 0,
    syncs: null,
    writeAmp: null,
    readBytesPerGet: null,
    spaceAmp: null,
    diskBytes: 0,
    liveKeys: 0,
    liveBytes: 0,
    peakRssBytes: 0,
    peakHeapBytes: 0,
    ioSource: 'none',
  };
}

/** Runs every workload of the job on its subject. */
async function runJob(job: ChildJob): Promise<void> {
  const subject = subjectByName(job.subject);
  let version: string | undefined;
  try {
    ({ version } = await subject.load());
  } catch (e) {
    await send({ type: 'skipped', reason: reasonOf(e) });
    return;
  }
  await send({ type: 'loaded', ...(version ? { version } : {}) });

  const values = new Values(job.valueBytes, job.seed);
  const state = new KeyState(job.keys);
  const pairBytes = KEY_BYTES + job.valueBytes;
  let kv: BenchKV | undefined;
  /** The open store is traced or bare: no later workload may reuse it. */
  let kvSpecial = false;
  let serial = 0;
  let peakHeap = 0;

  /** Closes the current store (if any) and deletes its directory. */
  const discard = async (): Promise<void> => {
    if (kv) {
      const old = kv;
      kv = undefined;
      try {
        await old.close();
      } catch {
        // A store that failed may not close; its directory goes anyway.
      }
    }
    state.clear();
  };

  for (const name of job.workloads) {
    const w = WORKLOAD[name];
    const missing = w.needs.filter((c) => subject.lacks.has(c));
    if (missing.length > 0) {
      await send({
        type: 'result',
        result: emptyResult(job, subject, w, 'n/a', `${job.subject} has no ${missing.join(', ')}`),
      });
      continue;
    }
    const random = new Random(seedFor(job.seed, name));
    try {
      // Step 2: the start state.
      let openMs: number | undefined;
      const traced = name === 'fillrandom-traced';
      const bare = name === 'fillrandom-bare';
      if (w.start !== 'filled' || !kv || !state.filled || kvSpecial) {
        await discard();
        fs.rmSync(job.dir, { recursive: true, force: true });
        const dir = path.join(job.dir, `${serial++}-${name}`);
        fs.mkdirSync(path.dirname(dir), { recursive: true });
        if (w.start === 'crash') {
          crashFillElsewhere(job, dir);
          for (let i = 0; i < job.keys; i++) state.add(i);
          state.filled = true;
        }
        const t0 = performance.now();
        kv = await subject.open(dir, { traced, bare });
        openMs = performance.now() - t0;
        kvSpecial = traced || bare;
        if (w.start === 'filled') {
          await prepareFill(kv, subject, job.keys, values, new Random(seedFor(job.seed, 'fillrandom')));
          for (let i = 0; i < job.keys; i++) state.add(i);
          state.filled = true;
          openMs = undefined; // the open of an empty store is fillseq's figure
        }
      }
      const store = kv;

      // Step 3: the timed part.
      (globalThis as { gc?: () => void }).gc?.();
      const s0 = w.start === 'crash' ? ZERO_STATS : store.stats();
      const meter = new Meter(w.steps(job.keys), w.capped ? job.capSeconds * 1000 : Infinity, (p) => {
        void send({ type: 'progress', workload: name, ...p });
      });
      await send({ type: 'start', workload: name, total: w.steps(job.keys) });
      const t0 = performance.now();
      const outcome = await w.run({ kv: store, keys: job.keys, values, random, state, meter });
      let syncMs: number | undefined;
      if (w.writes) {
        const ts = performance.now();
        await store.sync();
        syncMs = performance.now() - ts;
      }
      let seconds = (performance.now() - t0) / 1000;
      if (w.start === 'crash') {
        // The figure is the open: recovery of `keys` pairs.
        seconds = (openMs ?? 0) / 1000;
        meter.histogram.record((openMs ?? 0) * 1e6);
      }
      meter.sampleMemory();
      const s1 = store.stats();

      // Step 4: the figures.
      const userBytes = (outcome.puts ?? 0) * pairBytes + (outcome.deletes ?? 0) * KEY_BYTES;
      const bytesWritten = s1.bytesWritten - s0.bytesWritten;
      const bytesRead = s1.bytesRead - s0.bytesRead;
      const liveBytes = state.live * pairBytes;
      const hasIo = s1.ioSource !== 'none';
      peakHeap = Math.max(peakHeap, meter.peakHeap);
      const result: WorkloadResult = {
        subject: job.subject,
        kind: subject.kind,
        workload: name,
        status: 'ok',
        ops: outcome.ops,
        seconds,
        opsPerSec: seconds > 0 ? outcome.ops / seconds : 0,
        latencyUnit: w.latencyUnit,
        latency: meter.histogram.summary(),
        ...(meter.capped ? { capped: true } : {}),
        ...(syncMs !== undefined ? { syncMs } : {}),
        ...(openMs !== undefined ? { openMs } : {}),
        bytesWritten,
        bytesRead,
        userBytesWritten: userBytes,
        syncs: s1.syncs !== undefined && s0.syncs !== undefined ? s1.syncs - s0.syncs : null,
        writeAmp: w.writes && userBytes > 0 && hasIo ? bytesWritten / userBytes : null,
        readBytesPerGet: outcome.gets && hasIo ? bytesRead / outcome.gets : null,
        spaceAmp: liveBytes > 0 && s1.diskBytes > 0 ? s1.diskBytes / liveBytes : null,
        diskBytes: s1.diskBytes,
        liveKeys: state.live,
        liveBytes,
        ...(s1.liveKeys !== undefined ? { engineLiveKeys: s1.liveKeys } : {}),
        ...(s1.memoryBytes !== undefined ? { engineMemoryBytes: s1.memoryBytes } : {}),
        ...(outcome.gets !== undefined ? { gets: outcome.gets, found: outcome.found ?? 0 } : {}),
        ...(outcome.pairs !== undefined ? { pairs: outcome.pairs } : {}),
        peakRssBytes: meter.peakRss,
        peakHeapBytes: meter.peakHeap,
        ioSource: s1.ioSource,
      };
      if (bare) {
        // The bare fill's twin measurement: alternating pairs, robust to the machine's drift.
        // The bare store closes first: while it is open, every open in this process is bare.
        await discard();
        result.paired = await pairedFills(
          subject,
          path.join(job.dir, 'paired'),
          job.keys,
          values,
          new Random(seedFor(job.seed, name)),
        );
      }
      await send({ type: 'result', result });
    } catch (e) {
      await send({ type: 'result', result: emptyResult(job, subject, w, 'failed', reasonOf(e)) });
      await discard();
      kvSpecial = false;
    }
  }
  await discard();
  fs.rmSync(job.dir, { recursive: true, force: true });
  await send({ type: 'done', peakRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapBytes: peakHeap });
}

/** Entry: run the job in argv[2], then exit (lmdb's threads would otherwise keep us alive). */
async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob | CrashFillJob;
  try {
    if (job.mode === 'crashfill') await crashFill(job);
    else await runJob(job);
  } catch (e) {
    await send({ type: 'failed', reason: reasonOf(e) });
    if (!process.send) console.error(e);
  }
  process.exit(0);
}

await main();
