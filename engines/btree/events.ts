/**
 * events.ts: the btree engine's trace events (to be filled in as the engine is built).
 */
export type BtreeEvent = { type: 'btree.open'; files: number };
