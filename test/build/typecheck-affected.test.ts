import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { typeErrorReport } from '../../cli/bundle/typecheck';
import { affectedCheck } from '../../cli/bundle/typecheck-affected';
import { smallProject } from './fixture';

// After a clean check, a change to a module checks that module, the modules
// that import it and the files that declare globals, and reads nothing else;
// a change that can reach further checks the whole program again.

const FILES = {
  'src/limits.ts': 'export const limit: number = 3;\n',
  'src/uses-limit.ts': "import { limit } from './limits';\nexport const doubled: number = limit * 2;\n",
  'src/top.ts': "import { doubled } from './uses-limit';\nexport const shown: number = doubled;\n",
  'src/unrelated.ts': "import { big } from 'big';\nexport const other: number = big;\n",
  'src/globals.ts': 'export {};\ndeclare global {\n  var region: string;\n}\n',
  'src/reads-global.ts': 'export const where: string = region;\n',
  'node_modules/big/package.json': JSON.stringify({ name: 'big', version: '1.0.0', types: 'index.d.ts' }),
  'node_modules/big/index.d.ts': 'export declare const big: number;\n',
};

function checkedProject(): { dir: string; check: () => string | undefined; write: (file: string, text: string) => void } {
  const tsconfig = smallProject(FILES);
  const dir = path.dirname(tsconfig);
  const check = () => typeErrorReport(tsconfig, path.join(dir, '.sparta'))?.plain;
  assert.is(check(), undefined, 'the project type-checks to begin with');
  return { dir, check, write: (file, text) => fs.writeFileSync(path.join(dir, file), text) };
}

test('the roots after a change are the changed module, every module that imports it, directly or not, and the files that declare globals', () => {
  const { dir } = checkedProject();
  const ts = require('typescript') as typeof import('typescript');
  const src = (name: string) => path.join(dir, 'src', name);
  const roots = Object.keys(FILES).filter((file) => file.startsWith('src/')).map((file) => path.join(dir, file));
  const check = affectedCheck(ts, roots, [src('limits.ts')], [src('globals.ts')], { strict: true });
  assert.equal(check, {
    roots: [src('globals.ts'), src('limits.ts'), src('top.ts'), src('uses-limit.ts')],
    affected: [src('limits.ts'), src('top.ts'), src('uses-limit.ts')],
  });
});

test('a changed type is reported in the module that imports it', () => {
  const { write, check } = checkedProject();
  write('src/limits.ts', "export const limit: string = 'three';\n");
  assert.match(check() ?? '', /src\/uses-limit\.ts\(2,32\): error TS2362/);
});

test('a change to one module does not read the declarations only an unrelated module imports', () => {
  const { dir, write, check } = checkedProject();
  // Broken, with the size and time it was checked at: only a check that parses it again can see it.
  const declarations = path.join(dir, 'node_modules/big/index.d.ts');
  const { size, mtimeNs } = fs.statSync(declarations, { bigint: true });
  fs.writeFileSync(declarations, `${'export declare const big: ;'.padEnd(Number(size) - 1, ';')}\n`);
  const seconds = mtimeNs / 1_000_000_000n;
  execFileSync('touch', ['-m', '-d', `@${seconds}.${String(mtimeNs - seconds * 1_000_000_000n).padStart(9, '0')}`, declarations]);
  assert.is(fs.statSync(declarations, { bigint: true }).mtimeNs, mtimeNs, 'its time restored');
  write('src/limits.ts', 'export const limit: number = 4 + 1;\n');
  assert.is(check(), undefined);
  // The unrelated module changed too: now the broken declarations are read, and reported.
  write('src/unrelated.ts', "import { big } from 'big';\nexport const other: number = big + 1;\n");
  assert.match(check() ?? '', /node_modules\/big\/index\.d\.ts\(1,\d+\): error TS1110/);
});

test('a changed global declaration is reported where it is used, in a module that does not import it', () => {
  const { write, check } = checkedProject();
  write('src/globals.ts', 'export {};\ndeclare global {\n  var region: number;\n}\n');
  assert.match(check() ?? '', /src\/reads-global\.ts\(1,14\): error TS2322/);
});

// TypeScript's own incremental check misses this one.
test('a global a module stops declaring is reported missing where it was used', () => {
  const { write, check } = checkedProject();
  write('src/globals.ts', 'export const nothing = 1;\n');
  assert.match(check() ?? '', /src\/reads-global\.ts\(1,30\): error TS2304: Cannot find name 'region'/);
});

test('a module that starts declaring a global is checked against the other declarations of it', () => {
  const { write, check } = checkedProject();
  write('src/limits.ts', 'export const limit: number = 3;\ndeclare global {\n  var region: number;\n}\n');
  assert.match(check() ?? '', /error TS2403: Subsequent variable declarations must have the same type/);
});

test('an error found after a change is gone once the change is undone', () => {
  const { write, check } = checkedProject();
  write('src/limits.ts', "export const limit: string = 'three';\n");
  assert.ok(check());
  write('src/limits.ts', 'export const limit: number = 3 * 1;\n');
  assert.is(check(), undefined);
});

test.run();
