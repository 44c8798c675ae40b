import { Command, Option, UsageError } from 'clipanion';
import * as path from 'node:path';
import { pipelineBuild, serve, untilSignal } from '../serve';
import { BaseCommand } from './base';
import { buildOptions, withBuildFlags } from './build-options';

export default class ServeCommand extends withBuildFlags(BaseCommand) {
  static paths = [['serve']];

  static usage = Command.Usage({
    description: "Serve the service's HTTP and WebSocket APIs on localhost, as API Gateway would",
    details: `
      Builds the service as \`sparta build\` does (the same flags), then serves its \`@Http\` routes and its
      \`@WebSocket\` API on one port: the event of the API's type (payload 2.0 for HTTP APIs, 1.0 for REST), each
      function in the same Lambda-like process as \`sparta invoke\` (its environment, memory and timeout), kept warm
      between requests, one request at a time a process. CORS preflights, 404s, auth refusals, 502 for a failed function
      or a malformed result and 504 for a timeout are answered as API Gateway answers them; auth only checks that a
      credential is present (signatures and tokens are NOT verified). The management endpoint (\`/@connections/{id}\`)
      is on the same port, so \`sendToConnection\` reaches local clients.

      Standard output carries one line, the API's URL, once the server listens; each request is logged in one line on
      standard error, with the functions' logs. \`--watch\` rebuilds on every change and swaps the warm processes after
      a successful build (a failed build is printed, the previous one keeps serving). Ctrl-C (or SIGTERM) stops the
      server and every process it started.
    `,
    examples: [
      ['Serve on http://127.0.0.1:3000', '$0 serve'],
      ['Serve on another port and rebuild on every change', '$0 serve --port 8080 --watch'],
    ],
  });

  port = Option.String('--port', '3000', { description: 'The port to listen on (0 picks a free one)' });
  host = Option.String('--host', '127.0.0.1', { description: 'The address to listen on (0.0.0.0 for every interface)' });
  watch = Option.Boolean('--watch', false, { description: 'Rebuild when the sources change and swap the warm processes, without dropping the server' });

  async execute(): Promise<number> {
    const port = Number(this.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port expects a port number (0 to 65535), got "${this.port}"`);
    const options = buildOptions(this, this.context);
    const projectDir = path.dirname(options.tsconfigPath);
    const outDir = this.out ? path.resolve(this.out) : path.join(projectDir, '.sparta');
    const handle = await serve({
      host: this.host,
      port,
      build: pipelineBuild(options),
      watch: this.watch ? { dir: projectDir, ignore: [outDir] } : undefined,
      logs: this.context.stderr,
    });
    this.context.stdout.write(`${handle.url}\n`);
    await untilSignal();
    this.context.stderr.write('stopping: closing the server and its function processes\n');
    await handle.close();
    return 0;
  }
}
