import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readOutputs } from '../../cli/bundle/cache';
import { buildService } from '../../cli/package';
import { analyzeProject } from '../../transformer/analyze';
import { readArchive, smallProject } from '../build/fixture';
import { REPO_ROOT } from '../helpers/paths';

// Named imports of 'sparta' are pointed at the runtime modules that define
// them (cli/bundle/runtime-imports.ts), so that a build loads only what its
// functions import: the WebSocket helper's API Gateway client is some 600
// modules no other function needs.

const MANAGEMENT_CLIENT = `${path.sep}@aws-sdk${path.sep}client-apigatewaymanagementapi${path.sep}`;

const QUIET = `import { Lambda as Fn, Service, logger } from 'sparta';

@Service({ name: 'quiet' })
export class Handlers {
  @Fn()
  async run(event: { id: string }) {
    logger.info('run', { id: event.id });
    return event.id;
  }
}
`;

const TALKER = `import { Lambda, Service, WebSocket, sendToConnection } from 'sparta';

@Service({ name: 'talker' })
export class Handlers {
  @Lambda() @WebSocket('hello')
  async run(event: { requestContext: { connectionId: string } }) {
    await sendToConnection(event.requestContext.connectionId, { hello: 'world' });
    return { statusCode: 200 };
  }
}
`;

/** The build's archive files of its one function, and every module its group's build read (the stored outputs). */
async function build(source: string): Promise<{ files: Map<string, string>; modules: string[] }> {
  const tsconfigPath = smallProject({ 'src/handlers.ts': source });
  const dir = path.dirname(tsconfigPath);
  // The SDK, so that the WebSocket helper's client resolves.
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@aws-sdk'), path.join(dir, 'node_modules', '@aws-sdk'), 'dir');
  const analysis = analyzeProject(tsconfigPath);
  if (!analysis.manifest) throw new Error(`the project does not analyse: ${analysis.diagnostics.map((d) => d.message).join('; ')}`);
  const serviceManifest = analysis.manifest.services[0]!;
  const outDir = path.join(dir, 'out');
  const [artifact] = await buildService({ projectDir: dir, tsconfigPath, service: serviceManifest, outDir });
  const cacheDir = path.join(outDir, 'cache', serviceManifest.name);
  const key = fs.readdirSync(cacheDir).find((name) => name.startsWith('outputs-'))!.slice('outputs-'.length, -'.bin'.length);
  return { files: readArchive(path.join(outDir, artifact!.archive)), modules: readOutputs(cacheDir, key)!.modules.map(([file]) => file) };
}

test('a function that sends no WebSocket message loads none of the API Gateway client, through renamed imports too', async () => {
  const { files, modules } = await build(QUIET);
  assert.not.ok(modules.some((file) => file.includes(MANAGEMENT_CLIENT)), 'no module of the management client was read');
  assert.ok(modules.some((file) => file.endsWith(`${path.sep}runtime${path.sep}decorators.js`)), 'the decorators came from their own module');
  assert.ok([...files.keys()].includes('index.js'));
});

test('a function that calls sendToConnection gets the API Gateway client in its archive', async () => {
  const { files, modules } = await build(TALKER);
  assert.ok(modules.some((file) => file.includes(MANAGEMENT_CLIENT)));
  assert.ok([...files.values()].some((code) => code.includes('PostToConnectionCommand')), 'the command the helper sends is bundled');
});

test.run();
