// astro.config.mjs: the site. Astro with Starlight for the docs frame; lessons are MDX in
// ./lessons (see site/content.config.ts), components and widget code live in ./site.
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';

export default defineConfig({
  srcDir: './site',
  // NO_MINIFY=1 npm run build keeps names readable, for profiling the widget.
  vite: { build: { minify: process.env.NO_MINIFY ? false : 'esbuild' } },
  integrations: [
    starlight({
      title: 'Storage-engine workbench',
      description: 'Four real key-value storage engines in TypeScript, replayed step by step in the browser.',
      customCss: ['./site/styles/custom.css'],
      sidebar: [
        {
          label: 'Lessons',
          items: [
            { label: 'Start here', link: '/' },
            { label: 'Snapshot: a pickled dict', link: '/snapshot/' },
            { label: 'Bitcask: a log and a hash index', link: '/bitcask/' },
          ],
        },
      ],
      lastUpdated: false,
      pagination: true,
    }),
    mdx(),
  ],
});
