/**
 * structures.ts: which renderer draws which engine's structure model. The element looks a
 * renderer up here; the adapters build the models and never import a renderer.
 */
import type { EngineName } from '../../../engines/browser.js';
import type { BtreeStructure } from '../engines/btree/structure.js';
import type { LsmStructure } from '../engines/lsm/structure.js';
import { renderTree } from './tree.js';
import { renderLevels } from './levels.js';

/** Draws a structure model into `svg`, `width` pixels wide, animating for `ms`. */
export type StructureRenderer = (svg: SVGSVGElement, width: number, model: unknown, ms: number) => void;

const RENDERERS: Partial<Record<EngineName, StructureRenderer>> = {
  btree: (svg, width, model, ms) => renderTree(svg, width, model as BtreeStructure, ms),
  lsm: (svg, width, model, ms) => renderLevels(svg, width, model as LsmStructure, ms),
};

/** The renderer of `engine`'s structure picture, if it has one. */
export function structureRenderer(engine: EngineName): StructureRenderer | undefined {
  return RENDERERS[engine];
}
