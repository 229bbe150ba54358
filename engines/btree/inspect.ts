/**
 * inspect.ts: the btree engine's picture of itself (to be filled in as the engine is built).
 */
export interface BtreeInspect {
  engine: 'btree';
}
