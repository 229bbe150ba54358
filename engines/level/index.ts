/**
 * index.ts: the Level adapter's entry (Node): WorkbenchLevel and its error codes.
 *
 *   import { WorkbenchLevel } from './engines/level/index.js';
 *
 * It imports the Node entry of the engines (engines/index.ts), so a WorkbenchLevel uses real
 * files unless given `fs`, and a store a script forgets to close is closed at exit.
 */
export { WorkbenchLevel, type WorkbenchLevelOptions } from './level.js';
export { LevelError, levelCodeOf, toLevelError, type LevelErrorCode } from './errors.js';
