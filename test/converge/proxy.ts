// A TCP proxy in front of moto_server that sees which API action each request
// calls (the query protocol puts `Action=<Name>` in the body) and can hold a
// request back or cut every connection, as a network that fails at a chosen
// moment does. Real sockets: the SDK sees real stalls and real refusals.
import { createServer, connect, type Server, type Socket } from 'node:net';

export type Verdict = 'pass' | 'hold' | 'cut';

export interface ActionProxy {
  endpoint: string;
  /** Decides what happens to each request, by action name; default: pass. */
  decide: (action: string) => Verdict;
  /** Lets held requests go on. */
  release(): void;
  /** Destroys every connection and stops listening: later connections are refused. */
  cut(): void;
  close(): Promise<void>;
}

const ACTION = /(?:^|[&\r\n])Action=([A-Za-z]+)/;

export async function startActionProxy(upstreamPort: number): Promise<ActionProxy> {
  const sockets = new Set<Socket>();
  const held: Array<() => void> = [];
  let server: Server | undefined;
  const proxy: ActionProxy = {
    endpoint: '',
    decide: () => 'pass',
    release() {
      for (const go of held.splice(0)) go();
    },
    cut() {
      server?.close();
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server?.listening) return resolve();
        server.close(() => resolve());
      }),
  };
  server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const forget = () => {
      sockets.delete(client);
      sockets.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget).on('error', forget);
    upstream.on('close', forget).on('error', forget);
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('data', (chunk) => {
      const action = ACTION.exec(chunk.toString('latin1'))?.[1];
      const verdict = action ? proxy.decide(action) : 'pass';
      if (verdict === 'cut') return proxy.cut();
      if (verdict === 'hold') {
        client.pause();
        held.push(() => {
          upstream.write(chunk);
          client.resume();
        });
        return;
      }
      upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return proxy;
}
