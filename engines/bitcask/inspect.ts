/**
 * inspect.ts: the bitcask engine's picture of itself (to be filled in as the engine is built).
 */
export interface BitcaskInspect {
  engine: 'bitcask';
}
