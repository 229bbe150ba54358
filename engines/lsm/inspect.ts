/**
 * inspect.ts: the lsm engine's picture of itself (to be filled in as the engine is built).
 */
export interface LsmInspect {
  engine: 'lsm';
}
