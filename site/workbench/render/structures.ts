/**
 * structures.ts: which renderer draws which engine's structure model. The element looks a
 * renderer up here; the adapters build the models and never import a renderer.
 */
import type { EngineName } from '../../../engines/browser.js';
import type { BtreeStructure } from '../engines/btree/structure.js';
import type { LsmStructure } from '../engines/lsm/structure.js';
import { renderTree } from './tree.js';
import { renderLevels } from './levels.js';
import { select } from 'd3';

/**
 * The three SVGs of a structure pane: `head` and `foot` always fit the pane; `main`, between
 * them, may be wider (it then scrolls sideways, and the other two stay in view).
 */
export interface StructureSvgs {
  head: SVGSVGElement;
  main: SVGSVGElement;
  foot: SVGSVGElement;
}

/** Draws a structure model, `width` pixels wide, animating for `ms`. */
export type StructureRenderer = (svgs: StructureSvgs, width: number, model: unknown, ms: number) => void;

const RENDERERS: Partial<Record<EngineName, StructureRenderer>> = {
  btree: (svgs, width, model, ms) => renderTree(svgs, width, model as BtreeStructure, ms),
  lsm: (svgs, width, model, ms) => {
    renderLevels(svgs.main, width, model as LsmStructure, ms);
    select(svgs.head).attr('height', 0);
    select(svgs.foot).attr('height', 0);
  },
};

/** The renderer of `engine`'s structure picture, if it has one. */
export function structureRenderer(engine: EngineName): StructureRenderer | undefined {
  return RENDERERS[engine];
}
