/**
 * profile-summary.ts: the functions that took the most CPU in a V8 .cpuprofile, as text
 * (self time, idle excluded).
 * Use with `npm run bench -- --engines bitcask --workloads readrandom --cpu-prof bench/out/prof`:
 *
 *   npx tsx bench/profile-summary.ts bench/out/prof/bitcask/CPU.*.cpuprofile [top]
 *
 * (Each subject's directory holds a profile per thread; the biggest file is the main thread.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The part of the .cpuprofile format we read. */
interface Profile {
  nodes: { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
}

/** Self samples per function, most first. */
export function topFunctions(profile: Profile): { name: string; where: string; samples: number; share: number }[] {
  const byFn = new Map<string, { name: string; where: string; samples: number }>();
  let total = 0;
  for (const n of profile.nodes) {
    // Idle time is the process waiting (for the parent, for I/O): not anyone's CPU.
    if (n.callFrame.functionName === '(idle)') continue;
    const hits = n.hitCount ?? 0;
    total += hits;
    const f = n.callFrame;
    const where = f.url ? `${path.relative(process.cwd(), f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName}@${where}`;
    const e = byFn.get(key) ?? { name: f.functionName || '(anonymous)', where, samples: 0 };
    e.samples += hits;
    byFn.set(key, e);
  }
  return [...byFn.values()]
    .filter((e) => e.samples > 0)
    .sort((a, b) => b.samples - a.samples)
    .map((e) => ({ ...e, share: total ? e.samples / total : 0 }));
}

/** Prints the top functions of the profile named on the command line. */
function main(): void {
  const file = process.argv
    .slice(2)
    .filter((a) => a.endsWith('.cpuprofile'))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  if (!file) {
    console.error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [top]');
    process.exitCode = 2;
    return;
  }
  const top = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 25);
  console.log(`${file}:`);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  for (const e of topFunctions(profile).slice(0, top)) {
    console.log(`${(e.share * 100).toFixed(1).padStart(5)}%  ${e.name.padEnd(32)} ${e.where}`);
  }
}

main();
