/**
 * child.ts: a script that forgets close(). Run as
 *   node --import tsx child.ts <engine> <dir> <how> [tuning-json] [doomed-dir]
 * It opens a store on real files, puts k000..k099 without sync() or close(), then ends `how`:
 *   return  the script runs out of work (a normal exit);
 *   exit    it calls process.exit(0) (a normal exit);
 *   throw   an uncaught exception ends it (a crash: nothing is closed for it).
 * With a doomed-dir, it first opens a snapshot store there, puts a key and removes the
 * directory, so that store's close at exit fails; the other store must be closed all the same.
 */
import { rmSync } from 'node:fs';
import { openStore, type EngineName } from '../../engines/index.js';

const [engine, dir, how, tuning, doomed] = process.argv.slice(2) as [
  EngineName,
  string,
  string,
  string | undefined,
  string | undefined,
];
if (doomed) {
  const bad = openStore('snapshot', { dir: doomed });
  bad.put('lost', 'its directory is gone before exit');
  rmSync(doomed, { recursive: true, force: true });
}
const db = openStore(engine, { dir, ...(tuning ? JSON.parse(tuning) : {}) });
for (let i = 0; i < 100; i++) db.put(`k${String(i).padStart(3, '0')}`, `value ${i}`);
if (how === 'exit') process.exit(0);
if (how === 'throw')
  setTimeout(() => {
    throw new Error('the script crashed after its puts');
  });
