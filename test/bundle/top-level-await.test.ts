import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { firstTopLevelAwait } from '../../cli/bundle/top-level-await';

// Where SPARTA207 points: the module's first await outside any function.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-tla-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

function at(name: string, text: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return firstTopLevelAwait(file);
}

test('an await inside functions, methods, arrows and class fields is none of the module\'s', () => {
  const text = 'export async function f() { await 1; }\nexport const g = async () => { await 2; };\nexport class C { async m() { await 3; } p = async () => await 4; }\n';
  assert.is(at('inner.ts', text), undefined);
});

test('an await in a top-level block counts, at its own line and column', () => {
  assert.equal(at('block.ts', "const ready = true;\nif (ready) {\n  console.log(await Promise.resolve('x'));\n}\n"), { line: 3, column: 15 });
});

test('for await at the top level counts, at the await keyword', () => {
  assert.equal(at('loop.mjs', 'async function* items() { yield 1; }\nfor await (const item of items()) console.log(item);\n'), { line: 2, column: 5 });
});

test('a file that cannot be read has no position', () => {
  assert.is(firstTopLevelAwait(path.join(dir, 'missing.ts')), undefined);
});

test.run();
