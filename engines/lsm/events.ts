/**
 * events.ts: the lsm engine's trace events (to be filled in as the engine is built).
 */
export type LsmEvent = { type: 'lsm.open'; files: number };
