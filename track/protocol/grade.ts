/**
 * grade.ts: `npm run grade-process -- <command...>` grades an engine written in any language
 * that speaks PROTOCOL.md: the model test and the SIGKILL test, on real disk.
 */
import { showStep } from '../grade/program.js';
import { processKillTest, processModelTest } from './tests.js';

/** The command line; returns the exit code. */
async function main(command: string[]): Promise<number> {
  if (command.length === 0) {
    console.error('usage: npm run grade-process -- <command...>   (e.g. python3 track/protocol/python/kvstore.py)');
    return 2;
  }
  console.log(`Report card: ${command.join(' ')} (the process protocol, track/protocol/PROTOCOL.md)\n`);
  const model = await processModelTest(command);
  console.log(
    `${model.failure ? 'FAIL' : 'PASS'}  model test: ${model.programs} random programs, ${model.steps} steps, restarts included`,
  );
  if (model.failure) {
    console.log(
      `        the shortest program that still disagrees, ${model.failure.program.length} steps on an empty directory:`,
    );
    model.failure.program.forEach((s, i) => console.log(`          ${String(i + 1).padStart(3)}. ${showStep(s)}`));
    console.log(`        ${model.failure.message}`);
  }
  const kill = await processKillTest(command);
  console.log(
    `${kill.failure ? 'FAIL' : 'PASS'}  SIGKILL test: ${kill.kills} kills${kill.failure ? '' : ', every restart kept the durability rule'}`,
  );
  if (kill.failure) {
    kill.failure.workload.forEach((s, i) =>
      console.log(
        `          ${String(i + 1).padStart(3)}. ${showStep(s)}${i === kill.failure!.killedAfter ? '   (sent, not answered: killed here)' : ''}`,
      ),
    );
    console.log(`        killed after ${kill.failure.killedAfter} answered steps\n        ${kill.failure.problem}`);
  }
  return model.failure || kill.failure ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(2);
  },
);
