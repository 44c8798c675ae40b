import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '../cli/serve';
import { servedBuild } from '../test/serve/support';
import { ms, printBench } from './harness';

// `sparta serve` on a warm function against a bare node:http server calling
// the same handler in-process: sequential requests over loopback, same run,
// requests per second from the time spent in the requests themselves.

const CODE = `return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ok: true, path: event.rawPath }) };`;
const REQUESTS = 2000;
const TARGET_P50_MS = 2;

interface Measured {
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * Both servers' requests alternate, one each in turn: on a shared machine
 * whose load changes by the second, each side sees the same load (measuring
 * one after the other compared two different machines).
 */
async function measureInTurn(urls: readonly string[]): Promise<Measured[]> {
  for (let i = 0; i < 200; i++) for (const url of urls) await (await fetch(url)).text();
  const times = urls.map(() => [] as number[]);
  for (let i = 0; i < REQUESTS; i++) {
    for (const [index, url] of urls.entries()) {
      const t = performance.now();
      await (await fetch(url)).text();
      times[index].push(performance.now() - t);
    }
  }
  return times.map((list) => {
    const total = list.reduce((sum, time) => sum + time, 0);
    list.sort((a, b) => a - b);
    return { perSecond: REQUESTS / (total / 1000), p50: list[Math.floor(list.length / 2)], p99: list[Math.floor(list.length * 0.99)] };
  });
}

export async function bench(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const handler = new Function('event', 'context', `return (async () => { ${CODE} })();`) as (event: { rawPath: string }, context: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
  const bare = http.createServer(async (request, response) => {
    const result = await handler({ rawPath: request.url ?? '/' }, {});
    response.writeHead(result.statusCode, result.headers).end(result.body);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/bench`;
  const build = servedBuild('bench', [{ id: 'Bench.get', code: CODE, http: [{ method: 'GET', path: '/bench' }] }]);
  const handle = await serve({ host: '127.0.0.1', port: 0, build: async () => build, logs: { write: () => true } as unknown as NodeJS.WritableStream });
  try {
    const [baseline, served] = await measureInTurn([bareUrl, `${handle.url}/bench`]);
    printBench(`sparta serve: ${REQUESTS} sequential requests a server over loopback, the two servers in turn (target: p50 within ${TARGET_P50_MS} ms of bare)`, ['server', 'requests/s', 'p50', 'p99'], [
      ['bare node:http, handler in-process', baseline.perSecond.toFixed(0), ms(baseline.p50), ms(baseline.p99)],
      ['sparta serve, warm sandbox', served.perSecond.toFixed(0), ms(served.p50), ms(served.p99)],
      ['difference', '', `${(served.p50 - baseline.p50).toFixed(2)} ms${served.p50 - baseline.p50 <= TARGET_P50_MS ? ' (met)' : ' (MISSED)'}`, ms(served.p99 - baseline.p99)],
    ]);
  } finally {
    await handle.close();
    bare.close();
  }
}

if (require.main === module) void bench();
