import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode, renderError, SpartaError, stackNotFound } from '../cli/errors';
import { REPO_ROOT } from './helpers/paths';

// The error catalogue's own rules: one builder a code, rendered once, every
// code documented. Read from the sources, so a new error that skips the
// catalogue fails here.

function sources(folder: string): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => path.join(folder, file));
}

const catalogue = fs.readFileSync(path.join(REPO_ROOT, 'cli', 'errors.ts'), 'utf8');
const cliCodes = Object.entries(ErrorCode).filter(([, code]) => !code.startsWith('SPARTA6'));

test('SpartaErrors are built only in cli/errors.ts', () => {
  const outside = ['cli', 'transformer', 'manifest', 'examples', 'bench']
    .flatMap(sources)
    .filter((file) => file !== path.join('cli', 'errors.ts'))
    .filter((file) => /new SpartaError\(/.test(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')));
  assert.equal(outside, []);
});

test('each code of the CLI has exactly one builder', () => {
  const uses = (key: string) => catalogue.split(`ErrorCode.${key},`).length - 1;
  const wrong = cliCodes.map(([key]) => [key, uses(key)] as const).filter(([, count]) => count !== 1);
  assert.equal(wrong, []);
});

test('no two names share a code', () => {
  const codes = Object.values(ErrorCode);
  assert.equal(codes.length, new Set(codes).size);
});

test('the README lists every code, and only codes that exist', () => {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const listed = [...readme.matchAll(/^\| (SPARTA[1-6]\d\d) \|/gm)].map((match) => match[1]).filter((code) => !/retired/.test(readme.split(`| ${code} |`)[1].split('\n')[0]));
  assert.equal([...listed].sort(), Object.values(ErrorCode).slice().sort());
});

test('an error keeps code, message and hint apart; renderError joins them once', () => {
  const error = stackNotFound('shop');
  assert.ok(SpartaError.is(error));
  assert.is(error.code, 'SPARTA406');
  assert.is(error.message, 'stack shop does not exist');
  assert.not.match(error.message, 'SPARTA');
  assert.not.match(error.message, 'hint');
  assert.is(renderError(error), `SPARTA406: stack shop does not exist\n  hint: ${error.hint}`);
  assert.is(String(error), renderError(error));
});

test.run();
