/**
 * common.ts: everything both entries (index.ts for Node, browser.ts) export.
 */
export { ENGINES, MAX_KEY_BYTES, MAX_VALUE_BYTES } from './kv.js';
export type { EngineName, Key, Value, BatchOp, Range, StoreOptions, StoreStats, KVStore, Limits } from './kv.js';
export { KVError, isKVError } from './errors.js';
export type { KVErrorCode } from './errors.js';
export type { IoEvent, OpBeginEvent, OpEndEvent } from './trace.js';
export type { TraceEvent, TraceListener, EngineEvent, EngineSnapshot } from './registry-types.js';
export type { FileInfo } from './inspect.js';
export type { FileSystem, FileHandle, OpenOptions, DirLock } from './storage/fs.js';
export { MemoryFileSystem } from './storage/memory.js';
export type { Fault, PowerLossOptions } from './storage/memory.js';
export { utf8, fromUtf8, display, toHex, compareBytes } from './bytes.js';
export { describeFile, registerEngine, registeredEngines } from './registry.js';
export type { RegisteredEngine } from './registry.js';
export { SPAN_KINDS, allSpans, firstMalformed } from './layout.js';
export type { Group, Span, SpanKind, SpanTarget } from './layout.js';
