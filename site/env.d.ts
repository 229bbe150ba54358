// env.d.ts: Astro's ambient types (astro:content, import.meta.env) for tsc, so `npm run typecheck`
// works on a fresh clone before astro has generated .astro/types.d.ts.
/// <reference types="astro/client" />
