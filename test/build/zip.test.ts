import AdmZip from 'adm-zip';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deterministicZip } from '../../cli/package';

const files = [
  { path: 'index.js', contents: Buffer.from('exports.handler = async () => 1;\n') },
  { path: 'chunks/aa-x.js', contents: Buffer.from('module.exports = 2;\n') },
  { path: 'chunks/B-y.js', contents: Buffer.from('module.exports = 3;\n') },
];

test('the same files in any order give the same bytes', () => {
  const a = deterministicZip(files);
  const b = deterministicZip([...files].reverse());
  assert.ok(a.equals(b));
});

test('entries are in byte order of their names, whatever the locale', () => {
  const names = new AdmZip(deterministicZip(files)).getEntries().map((e) => e.entryName);
  assert.equal(names, ['chunks/B-y.js', 'chunks/aa-x.js', 'index.js']);
});

test('entries carry a fixed time and rw-r--r-- permissions', () => {
  for (const entry of new AdmZip(deterministicZip(files)).getEntries()) {
    const t = entry.header.time;
    assert.equal([t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes()], [1980, 0, 1, 0, 0]);
    assert.is((entry.header.attr >>> 16) & 0o777, 0o644);
  }
});

test('two files with one name are refused', () => {
  assert.throws(() => deterministicZip([files[0]!, files[0]!]), /duplicate/);
});

test.run();
