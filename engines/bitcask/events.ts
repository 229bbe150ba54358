/**
 * events.ts: the bitcask engine's trace events (to be filled in as the engine is built).
 */
export type BitcaskEvent = { type: 'bitcask.open'; files: number };
