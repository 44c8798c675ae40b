// The moto helper itself: a test run that dies must not leave a server behind.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const test = suite('moto helper');

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a SIGKILLed parent takes its moto_server down with it (watchdog)', async () => {
  const helper = path.join(__dirname, '..', 'helpers', 'moto.js');
  const parent = spawn(process.execPath, ['-e', `require(${JSON.stringify(helper)}).startMoto().then((m) => { process.stdout.write(m.pid + "\\n"); setInterval(() => {}, 1000); })`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const motoPid = await new Promise<number>((resolve, reject) => {
    let out = '';
    parent.stdout.on('data', (chunk) => {
      out += chunk;
      if (/^\d+\n/.test(out)) resolve(Number(out.trim()));
    });
    parent.once('exit', (code) => reject(new Error(`helper process exited (${code}) before moto started`)));
  });
  assert.ok(alive(motoPid), 'moto runs while its parent lives');
  parent.kill('SIGKILL');
  const deadline = Date.now() + 8000;
  while (alive(motoPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const survived = alive(motoPid);
  if (survived) process.kill(motoPid, 'SIGKILL');
  assert.not.ok(survived, 'moto_server outlived its killed parent');
});

test.run();
