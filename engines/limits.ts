/**
 * limits.ts: the size limits of keys and values every engine keeps by default (kv.ts
 * documents them as part of the contract; an engine may lower the key limit, as the B+tree
 * does with small pages). In a module of their own so that an engine's format code can use
 * them without importing the contract.
 */

/** The default limit on key length, in bytes. */
export const MAX_KEY_BYTES = 1024;
/** The default limit on value length, in bytes (16 MiB). */
export const MAX_VALUE_BYTES = 16 * 1024 * 1024;

/** The size limits a store enforces. */
export interface Limits {
  maxKeyBytes: number;
  maxValueBytes: number;
}
