import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileSafe } from '../../cli/bundle';

// The file-safe form of a function id names its rollup entry and its archive.

const hash8 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 8);

test('an id of at most 100 safe characters stays as it is', () => {
  assert.is(fileSafe('Hello.hello'), 'Hello.hello');
  const id = `${'C'.repeat(50)}.${'m'.repeat(49)}`;
  assert.is(fileSafe(id), id);
});

test('ids that differ only in a character a file name cannot hold get different names', () => {
  assert.is(fileSafe('Api.get$'), `Api.get_-${hash8('Api.get$')}`);
  assert.is.not(fileSafe('Api.get$'), fileSafe('Api.get_'));
});

test('an id of 101 characters is cut to 91, a hyphen and its hash', () => {
  const id = `${'C'.repeat(50)}.${'m'.repeat(50)}`;
  assert.is(fileSafe(id), `${id.slice(0, 91)}-${hash8(id)}`);
});

test.run();
