// Lets the examples resolve `sparta` and `sparta/transformer` the way a user's
// project does (from node_modules). Node's self-reference covers `require`
// from files inside this package, but ts-patch resolves plugins with
// `require.resolve(name, { paths: [projectDir] })`, which only looks in
// node_modules folders. It runs first in `npm run build` (and so in `npm test`,
// `npm run demo`), not on install: an installed package must not build itself.
const fs = require('node:fs');
const path = require('node:path');

const link = path.join(__dirname, '..', 'node_modules', 'sparta');
try {
  fs.lstatSync(link);
} catch {
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync('..', link, 'dir');
}
