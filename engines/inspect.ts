/**
 * inspect.ts: what every engine's inspect() picture shares. Each engine's picture is in its
 * own inspect.ts; their union, EngineSnapshot, is in registry-types.ts.
 */

/** A file as inspect() shows it: name, size, and what the engine calls it. */
export interface FileInfo {
  name: string;
  size: number;
  role: string;
}
