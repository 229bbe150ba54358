/**
 * traced.ts: traces for a learner's engine with no tracing code of its own. When a store is
 * opened with a trace listener, its file system is wrapped so every call is an `io` event
 * (the reference engines do the same, engines/storage/instrumented.ts), and every contract
 * call is bracketed by `op` begin and end events, so the workbench's timeline, files pane and
 * counters work on any registered engine. Without a listener the engine runs unwrapped.
 * Imports only the browser-safe entry: the site registers learners' engines with it too.
 */
import { display } from '../engines/browser.js';
import type { EngineName, FileSystem, KVStore, StoreOptions, TraceListener } from '../engines/browser.js';
import { InstrumentedFileSystem, newCounters } from '../engines/storage/instrumented.js';
import type { OpName } from '../engines/trace.js';

type Open = (options: StoreOptions & { fs: FileSystem }) => KVStore;

/** A key or value as the trace shows it. */
const shown = (x: unknown) => (typeof x === 'string' ? x : x instanceof Uint8Array ? display(x) : undefined);

/** `open` with op and io events when options.trace is set. */
export function traced(name: string, open: Open): Open {
  return (options) => {
    const trace = options.trace;
    if (!trace) return open(options);
    const engine = name as EngineName;
    const emit: TraceListener = (e) => trace(e);
    const bracket = <T>(
      op: OpName,
      extra: { key?: string; value?: string; detail?: string },
      f: () => T,
      result?: (r: T) => string | undefined,
    ): T => {
      emit({ type: 'op', phase: 'begin', op, engine, ...extra });
      try {
        const r = f();
        const res = result?.(r);
        emit({ type: 'op', phase: 'end', op, engine, ...(res !== undefined ? { result: res } : {}) });
        return r;
      } catch (e) {
        emit({ type: 'op', phase: 'end', op, engine, error: (e as { code?: string }).code ?? (e as Error).message });
        throw e;
      }
    };
    const fs = new InstrumentedFileSystem(options.fs, newCounters(), emit);
    // Open: the end event comes after options.observe has the wrapped store, so a tool that
    // draws every event (the workbench) can picture the store at open's end.
    emit({ type: 'op', phase: 'begin', op: 'open', engine });
    let db: KVStore;
    try {
      db = open({ ...options, fs, observe: undefined });
    } catch (e) {
      emit({
        type: 'op',
        phase: 'end',
        op: 'open',
        engine,
        error: (e as { code?: string }).code ?? (e as Error).message,
      });
      throw e;
    }
    const k = (key: unknown) => (shown(key) !== undefined ? { key: shown(key)! } : {});
    const wrapped: KVStore = Object.create(db);
    Object.assign(wrapped, {
      get: (key: Parameters<KVStore['get']>[0]) =>
        bracket(
          'get',
          k(key),
          () => db.get(key),
          (v) => (v === undefined ? 'missing' : 'found'),
        ),
      put: (key: Parameters<KVStore['put']>[0], value: Parameters<KVStore['put']>[1]) =>
        bracket('put', { ...k(key), ...(shown(value) !== undefined ? { value: shown(value)! } : {}) }, () =>
          db.put(key, value),
        ),
      delete: (key: Parameters<KVStore['delete']>[0]) => bracket('delete', k(key), () => db.delete(key)),
      batch: (ops: Parameters<KVStore['batch']>[0]) =>
        bracket('batch', { detail: String(Array.isArray(ops) ? ops.length : 0) }, () => db.batch(ops)),
      scan: (range?: Parameters<KVStore['scan']>[0]) =>
        bracket('scan', { detail: JSON.stringify(range ?? {}) }, () => db.scan(range)),
      sync: () => bracket('sync', {}, () => db.sync()),
      compact: () => bracket('compact', {}, () => db.compact()),
      close: () => bracket('close', {}, () => db.close()),
      stats: () => db.stats(),
      inspect: () => db.inspect(),
    });
    options.observe?.(wrapped);
    emit({ type: 'op', phase: 'end', op: 'open', engine });
    return wrapped;
  };
}
