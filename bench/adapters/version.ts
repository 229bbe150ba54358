/**
 * version.ts: the installed version of an npm package, for the report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The version in the package's package.json, found by walking up from its entry file. */
export function packageVersion(name: string): string | undefined {
  try {
    let dir = path.dirname(require.resolve(name));
    for (let i = 0; i < 5; i++) {
      const file = path.join(dir, 'package.json');
      if (fs.existsSync(file)) {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version;
      }
      dir = path.dirname(dir);
    }
  } catch {
    // Not resolvable from here: the report just omits the version.
  }
  return undefined;
}
