/**
 * kv.ts: the entry point of the `kv` command (`npm run kv -- …`, `npx kv …`).
 * See main.ts for what it does and usage.ts for how to use it.
 */
import * as nfs from 'node:fs';
import { NodeFileSystem } from '../engines/storage/node.js';
import { main } from './main.js';

// A reader that stops early (`kv … scan | head`) closes the pipe: stop printing, but let the
// command finish and close the store normally.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
}

const status = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  fs: new NodeFileSystem(),
  readStdin: () => nfs.readFileSync(0, 'utf8'),
});
process.exitCode = status;
