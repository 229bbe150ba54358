/**
 * new-engine.ts: `npm run new-engine -- <name> [--track bitcask|...]` makes yours/<name>/
 * with a scaffold that keeps the contract (every method throwing "not written yet: step N")
 * and registers it in yours/registry.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ENGINES } from '../engines/index.js';
import { ROOT, YOURS, readRegistry, writeRegistry } from './learners.js';
import { TRACKS, trackNamed } from './tracks.js';
import { scaffoldSource } from './template.js';

/** The command line; returns the exit code. */
function main(argv: string[]): number {
  const names = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--track');
  const t = argv.indexOf('--track');
  const trackName = t >= 0 ? (argv[t + 1] ?? '') : 'bitcask';
  if (names.length !== 1) {
    console.error(`usage: npm run new-engine -- <name> [--track ${Object.keys(TRACKS).join('|')}]`);
    return 2;
  }
  const name = names[0]!;
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(name)) {
    console.error(
      `an engine name is lowercase letters, digits and dashes, starting with a letter: not ${JSON.stringify(name)}`,
    );
    return 2;
  }
  if ((ENGINES as readonly string[]).includes(name)) {
    console.error(`${name} is a reference engine; choose another name (e.g. my-${name})`);
    return 2;
  }
  const track = trackNamed(trackName);
  const dir = join(YOURS, name);
  if (existsSync(dir)) {
    console.error(`${relative(ROOT, dir)}/ exists already; pick another name or delete it`);
    return 1;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.ts'), scaffoldSource(name, track));
  writeRegistry([...readRegistry().filter((e) => e.name !== name), { name, track: track.name }]);
  console.log(
    `Made ${relative(ROOT, dir)}/index.ts (the ${track.title} track) and registered it in yours/registry.json.`,
  );
  console.log(`Start at the page /build/${track.name}/${track.steps[0]!.slug}/, then:  npm run step -- ${name} 1`);
  return 0;
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
