import { bench as build } from './build';
import { bench as explain } from './explain';
import { bench as peers } from './peers';
import { bench as provision } from './provision';
import { bench as runtime } from './runtime';
import { bench as scale } from './scale';
import { bench as scale500 } from './scale500';
import { bench as serveBench } from './serve';
import { bench as template } from './template';

// `npm run bench`: every stage's benchmark, each against a baseline measured
// in the same run. Run one alone with `node dist/bench/<name>.js`.
const benches: [string, () => Promise<void>][] = [
  ['explain', explain],
  ['build', build],
  ['template', template],
  ['scale', scale],
  ['scale500', scale500],
  ['runtime', runtime],
  ['provision', provision],
  ['serve', serveBench],
];

// Run only when named (`npm run bench -- peers`): it installs the CDK from the npm registry.
const optIn: [string, () => Promise<void>][] = [
  ['peers', peers],
];

async function main(): Promise<void> {
  const only = process.argv[2];
  for (const [name, run] of benches) {
    if (only && only !== name) continue;
    await run();
  }
  for (const [name, run] of optIn) {
    if (only === name) await run();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
