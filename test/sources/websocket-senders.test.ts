// sendToConnection from a function that is no @WebSocket route (a queue
// worker, an HTTP route answering over the socket): the analysis finds the
// call, in the handler or through the project's own functions, and grants
// that function ManageConnections on the service's WebSocket API alone; a
// service without a WebSocket API is SPARTA049 at the call.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { marshalTemplate, type Template } from '../../cli/template';
import { renderManifestText } from '../../cli/explain/text';
import { DISCOVERY_ENV } from '../../manifest/discovery';
import type { Manifest } from '../../manifest/types';
import { expectLintClean } from '../helpers/cfn-lint';
import { analyzeSources, diagnosticLines } from '../helpers/inline-project';
import { fnId } from '../template/expect';
import { artifactsFor } from '../template/services';

const test = suite('sources: sendToConnection outside @WebSocket routes');

const IMPORTS = "import { Service, Lambda, SQS, Http, WebSocket, sendToConnection } from 'sparta';\n";
const CHAT = `@Service({ name: 'shop' })
export class Chat {
  @Lambda() @WebSocket('$connect') connect() { return { statusCode: 200 }; }
}
`;
const NOTIFY = `import { sendToConnection as send } from 'sparta';
export async function notify(connectionId: string, text: string) {
  await send(connectionId, { text });
}
`;
const WORKER = `@Service({ name: 'shop' })
export class Worker {
  @Lambda() @SQS({ queue: 'arn:aws:sqs:us-east-1:123456789012:jobs' })
  async direct(event: { Records: Array<{ body: string }> }) {
    for (const record of event.Records) await sendToConnection(record.body, 'done');
  }

  @Lambda() @Http('POST /orders')
  async viaHelper() {
    await this.tell('c1');
    return { statusCode: 202 };
  }

  @Lambda() @SQS({ queue: 'arn:aws:sqs:us-east-1:123456789012:audit' })
  async quiet() { return; }

  private async tell(connectionId: string) {
    await notify(connectionId, 'accepted');
  }
}
`;
const WORKER_FILE = IMPORTS + "import { notify } from './notify';\n" + WORKER;

const MANAGE = {
  Effect: 'Allow',
  Action: ['execute-api:ManageConnections'],
  Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/v1/POST/@connections/*' },
};

function manifestOf(files: Record<string, string>): Manifest {
  const result = analyzeSources(files);
  assert.ok(result.manifest, diagnosticLines(result).join('\n'));
  return result.manifest!;
}

const FILES = { 'src/chat.ts': IMPORTS + CHAT, 'src/worker.ts': WORKER_FILE, 'src/notify.ts': NOTIFY };

function template(): Template {
  const service = manifestOf(FILES).services[0];
  return marshalTemplate(service, artifactsFor(service));
}

const statementsOf = (template: Template, fn: string) => (template.Resources[`${fn}Policy`].Properties!.PolicyDocument as { Statement: unknown[] }).Statement;
const manageOf = (template: Template, fn: string) => statementsOf(template, fn).filter((statement) => JSON.stringify(statement).includes('ManageConnections'));

const DIRECT = fnId('shop', 'WorkerDirect', 'Worker', 'direct');
const VIA_HELPER = fnId('shop', 'WorkerViaHelper', 'Worker', 'viaHelper');
const QUIET = fnId('shop', 'WorkerQuiet', 'Worker', 'quiet');

test('a function that calls sendToConnection itself gets ManageConnections on the WebSocket API\'s stage alone', () => {
  assert.equal(manageOf(template(), DIRECT), [MANAGE]);
});

test('so does one that reaches it through a method and an imported helper (an aliased import)', () => {
  assert.equal(manageOf(template(), VIA_HELPER), [MANAGE]);
});

test('a function of the service that never calls it gets no ManageConnections', () => {
  assert.equal(manageOf(template(), QUIET), []);
});

test('the grant is a privilege of the manifest at the call, which explain shows under the function', () => {
  const manifest = manifestOf(FILES);
  const direct = manifest.services[0].functions.find((fn) => fn.id === 'Worker.direct')!;
  const worker = WORKER_FILE.split('\n');
  assert.equal(direct.privileges, [
    {
      actions: ['execute-api:ManageConnections'],
      resource: MANAGE.Resource,
      source: { file: 'src/worker.ts', line: worker.findIndex((line) => line.includes('await sendToConnection(')) + 1, column: worker.find((line) => line.includes('await sendToConnection('))!.indexOf('sendToConnection(') + 1 },
    },
  ]);
  const helper = manifest.services[0].functions.find((fn) => fn.id === 'Worker.viaHelper')!;
  assert.equal(helper.privileges[0].source, { file: 'src/notify.ts', line: 3, column: 9 });
  const row = renderManifestText(manifest).split('\n').find((line) => line.trimStart().startsWith('Worker.direct '));
  assert.match(row ?? '', 'execute-api:ManageConnections on Sub(arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/v1/POST/@connections/*)');
});

test('a @WebSocket route that also calls it has the one grant its route gives', () => {
  const chat = CHAT.replace("connect() { return { statusCode: 200 }; }", "async connect(event: { requestContext: { connectionId: string } }) { await sendToConnection(event.requestContext.connectionId, 'hi'); return { statusCode: 200 }; }");
  const service = manifestOf({ 'src/chat.ts': IMPORTS + chat }).services[0];
  assert.equal(service.functions[0].privileges, []);
  const built = marshalTemplate(service, artifactsFor(service));
  assert.is(manageOf(built, fnId('shop', 'ChatConnect', 'Chat', 'connect')).length, 1);
});

test('the sender finds the API through discover().websocket', () => {
  const built = template();
  const document = JSON.parse((built.Resources[DIRECT].Properties!.Environment as { Variables: Record<string, { 'Fn::Sub': string }> }).Variables[DISCOVERY_ENV]['Fn::Sub']);
  const endpoint = '${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/v1';
  assert.equal(document.websocket, { url: `wss://${endpoint}`, managementEndpoint: `https://${endpoint}` });
});

test('the template with senders is cfn-lint clean', async () => {
  await expectLintClean({ senders: template() });
});

test('a service without a WebSocket API: SPARTA049 at each call, once, naming every function that reaches it', () => {
  const result = analyzeSources({ 'src/worker.ts': WORKER_FILE, 'src/notify.ts': NOTIFY });
  assert.is(result.manifest, undefined);
  const found = result.diagnostics.filter((diagnostic) => diagnostic.code === 'SPARTA049').map((d) => [d.file, d.line, d.message]);
  const worker = WORKER_FILE.split('\n');
  assert.equal(found, [
    ['src/notify.ts', 3, 'sendToConnection is called by Worker.viaHelper, and service shop has no WebSocket API whose connections it could post to'],
    ['src/worker.ts', worker.findIndex((line) => line.includes('await sendToConnection(')) + 1, 'sendToConnection is called by Worker.direct, and service shop has no WebSocket API whose connections it could post to'],
  ]);
  assert.match(result.diagnostics.find((d) => d.code === 'SPARTA049')!.hint ?? '', "@WebSocket('$connect')");
});

test('a helper two functions share is one SPARTA049, naming both', () => {
  const shared = WORKER_FILE.replace('await sendToConnection(record.body, \'done\');', 'await notify(record.body, \'done\');');
  const result = analyzeSources({ 'src/worker.ts': shared, 'src/notify.ts': NOTIFY });
  const found = result.diagnostics.filter((diagnostic) => diagnostic.code === 'SPARTA049');
  assert.is(found.length, 1, JSON.stringify(found.map((d) => d.message)));
  assert.match(found[0].message, 'called by Worker.direct, Worker.viaHelper,');
});

test.run();
