import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serve } from '../../cli/serve';
import { runCli } from '../helpers/cli';
import { EXAMPLES } from '../helpers/paths';
import { tempDir } from '../runtime/support';
import { alive, collector, servedBuild, waitFor } from './support';

// `--watch` swapping the warm processes, and a stopped server leaving no process behind.

test('--watch: a change rebuilds and the new build answers from new processes; a failed build keeps the previous one serving', async () => {
  const src = tempDir('serve-watch-src');
  const out = tempDir('serve-watch-out');
  fs.writeFileSync(path.join(src, 'handler.js'), `return { version: 1, pid: process.pid };`);
  let builds = 0;
  const build = async () => {
    const code = fs.readFileSync(path.join(src, 'handler.js'), 'utf8');
    if (code.includes('BROKEN')) throw new Error('the build failed: BROKEN');
    return servedBuild('watched', [{ id: 'W.get', code, http: [{ method: 'GET', path: '/' }] }], undefined, fs.mkdtempSync(path.join(out, `b${++builds}-`)));
  };
  const logs = collector();
  const handle = await serve({ host: '127.0.0.1', port: 0, build, watch: { dir: src, ignore: [out] }, logs });
  try {
    const first = (await (await fetch(handle.url)).json()) as any;
    assert.is(first.version, 1);
    fs.writeFileSync(path.join(src, 'handler.js'), `return { version: 2, pid: process.pid };`);
    await waitFor(() => logs.text().includes('rebuilt:'), 'the rebuild');
    assert.is(await handle.rebuilt(), 'swapped');
    const second = (await (await fetch(handle.url)).json()) as any;
    assert.is(second.version, 2);
    assert.is.not(second.pid, first.pid);
    await waitFor(() => !alive(first.pid), 'the old process to stop');

    fs.writeFileSync(path.join(src, 'handler.js'), `BROKEN`);
    await waitFor(() => logs.text().includes('rebuild failed'), 'the failed rebuild');
    assert.is(await handle.rebuilt(), 'failed');
    assert.match(logs.text(), 'the build failed: BROKEN');
    const third = (await (await fetch(handle.url)).json()) as any;
    assert.equal(third, second);
  } finally {
    await handle.close();
    fs.rmSync(src, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
});

const CHILD = `
const { serve, untilSignal } = require(process.argv[1] + '/cli/serve');
const { servedBuild } = require(process.argv[1] + '/test/serve/support');
(async () => {
  const build = servedBuild('stopping', [{ id: 'S.get', code: 'await new Promise((r) => setTimeout(r, 300)); return { pid: process.pid };', http: [{ method: 'GET', path: '/' }] }]);
  const handle = await serve({ host: '127.0.0.1', port: 0, build: async () => build, logs: process.stderr });
  process.stdout.write(handle.url + '\\n');
  await untilSignal();
  await handle.close();
})();
`;

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} stops the server and every function process: none is left behind`, async () => {
    const dist = path.resolve(__dirname, '..', '..');
    const child = spawn(process.execPath, ['-e', CHILD, dist], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => stdout.includes('\n'), 'the URL', 10000);
    const url = stdout.trim();
    const answers = (await Promise.all([fetch(url), fetch(url)].map(async (request) => (await request).json()))) as Array<{ pid: number }>;
    const pids = answers.map((answer) => answer.pid);
    assert.is(new Set(pids).size, 2);
    assert.ok(pids.every(alive));
    child.kill(signal);
    assert.is(await exited, 0);
    await waitFor(() => !pids.some(alive), 'the function processes to be gone', 2000);
    const refused = await fetch(url).then(() => false, () => true);
    assert.ok(refused, 'the server is closed');
  });
}

test('serve on a service without routes is SPARTA509', async () => {
  const out = tempDir('serve-none');
  try {
    const run = await runCli(['serve', '--project', path.join(EXAMPLES, 'hello', 'tsconfig.json'), '--out', out, '--port', '0', '--no-typecheck']);
    assert.is(run.code, 1);
    assert.match(run.stderr, 'SPARTA509');
    assert.is(run.stdout, '');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('a port already in use is SPARTA510', async () => {
  const build = servedBuild('busy', [{ id: 'B.get', code: 'return 1;', http: [{ method: 'GET', path: '/' }] }]);
  const first = await serve({ host: '127.0.0.1', port: 0, build: async () => build, logs: collector() });
  try {
    const port = Number(new URL(first.origin).port);
    const error = await serve({ host: '127.0.0.1', port, build: async () => build, logs: collector() }).then(() => undefined, (caught: Error) => caught);
    assert.match(String(error), 'SPARTA510');
  } finally {
    await first.close();
  }
});

test.run();
