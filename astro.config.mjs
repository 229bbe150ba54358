// astro.config.mjs: the site. Astro with Starlight for the docs frame; lessons are MDX in
// ./lessons (see site/content.config.ts), components and widget code live in ./site.
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** The lessons in teaching order; the sidebar lists those whose file exists. */
const LESSONS = [
  { file: 'index.mdx', label: 'Start here', link: '/' },
  { file: 'snapshot.mdx', label: 'Snapshot: a pickled dict', link: '/snapshot/' },
  { file: 'bitcask.mdx', label: 'Bitcask: a log and a hash index', link: '/bitcask/' },
  { file: 'btree.mdx', label: 'B+tree: pages and a cache', link: '/btree/' },
  { file: 'lsm.mdx', label: 'LSM tree: memtable and sorted files', link: '/lsm/' },
  { file: 'crashes.mdx', label: 'Crashes and recovery', link: '/crashes/' },
  { file: 'side-by-side.mdx', label: 'Side by side: who keeps what in memory', link: '/side-by-side/' },
  { file: 'benchmarks.mdx', label: 'Benchmarks: against LevelDB and LMDB', link: '/benchmarks/' },
  { file: 'real-sizes.mdx', label: 'At real sizes, and the page cache', link: '/real-sizes/' },
  { file: 'dynamo.mdx', label: 'Beyond one machine: a Dynamo cluster', link: '/dynamo/' },
];

/** The build-your-own tracks (lessons/build/<dir>/), in the order the course teaches them. */
const BUILD_TRACKS = [
  { dir: 'snapshot', label: 'Track: snapshot' },
  { dir: 'bitcask', label: 'Track: Bitcask' },
  { dir: 'btree', label: 'Track: B+tree' },
  { dir: 'lsm', label: 'Track: LSM tree' },
];

/** A track's step pages (<n>-<slug>.mdx, by step number) as sidebar links labelled with their titles. */
function trackSteps(dir) {
  const folder = new URL(`./lessons/build/${dir}/`, import.meta.url);
  return readdirSync(folder)
    .filter((f) => /^\d+-.*\.mdx$/.test(f))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
    .map((f) => {
      const title = /^title:\s*'(.*)'\s*$/m.exec(readFileSync(new URL(f, folder), 'utf8'))?.[1] ?? f;
      return { label: title, link: `/build/${dir}/${f.replace(/\.mdx$/, '')}/` };
    });
}

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
          items: LESSONS.filter((l) => existsSync(new URL(`./lessons/${l.file}`, import.meta.url))).map(
            ({ label, link }) => ({ label, link }),
          ),
        },
        // Build your own engine: the index page, then one group per track, its step pages by number.
        {
          label: 'Build your own',
          items: [
            { label: 'Start here', link: '/build/' },
            { label: 'Your engine in the workbench', link: '/build/yours/' },
            ...BUILD_TRACKS.filter((t) => existsSync(new URL(`./lessons/build/${t.dir}/`, import.meta.url))).map(
              (t) => ({ label: t.label, collapsed: true, items: trackSteps(t.dir) }),
            ),
          ],
        },
      ],
      lastUpdated: false,
      pagination: true,
    }),
    mdx(),
  ],
});
