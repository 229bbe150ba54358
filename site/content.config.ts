/**
 * content.config.ts: the lessons collection. Starlight reads its pages from the `docs`
 * collection; ours live in ./lessons (not src/content/docs), so we load them with Astro's
 * glob loader and validate their frontmatter with Starlight's schema.
 */
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

export const collections = {
  docs: defineCollection({
    loader: glob({ pattern: '**/[^_]*.{md,mdx}', base: './lessons' }),
    schema: docsSchema(),
  }),
};
