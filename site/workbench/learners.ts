/**
 * learners.ts: registers every learner's engine (yours/<name>/index.ts) in the browser, as
 * track/learners.ts does in Node, so the workbench opens it by name. Import this before the
 * workbench element is defined. Each engine gets op and io events from track/traced.ts.
 */
import { registerEngine } from '../../engines/browser.js';
import type { RegisteredEngine } from '../../engines/browser.js';
import { traced } from '../../track/traced.js';

/** Every learner engine module, bundled at build time (folders starting with a dot are scratch). */
const MODULES = import.meta.glob<Partial<RegisteredEngine>>('../../yours/*/index.ts', { eager: true });

/** The names registered, in folder order. */
export const LEARNER_ENGINES: string[] = [];

for (const [path, mod] of Object.entries(MODULES)) {
  const name = path.split('/').slice(-2, -1)[0]!;
  if (name.startsWith('.') || typeof mod.open !== 'function') continue;
  registerEngine(name, { open: traced(name, mod.open), ...(mod.describe ? { describe: mod.describe } : {}) });
  LEARNER_ENGINES.push(name);
}
