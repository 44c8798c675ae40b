import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as runtime from '../../runtime';
import { SOURCES } from '../../sources';
import { REPO_ROOT } from '../helpers/paths';

// The table is the one place every stage reads: a source missing from it, or
// present in it but not reachable by a user, is a source half added.

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
/** Files of sources/ that are not a source: the shape, the table and what sources share. */
const NOT_SOURCES = new Set(['types.ts', 'index.ts', 'targets.ts', 'describe.ts', 'names.ts', 'schedule.ts', 'event-source-mapping.ts', 'api.ts']);

test('every module of sources/ is a registered source', () => {
  const modules = fs.readdirSync(path.join(REPO_ROOT, 'sources')).filter((file) => file.endsWith('.ts') && !NOT_SOURCES.has(file));
  const registered = new Set<unknown>(SOURCES);
  for (const file of modules) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(path.join(REPO_ROOT, 'dist', 'sources', file.replace(/\.ts$/, '.js'))) as Record<string, unknown>;
    const sources = Object.values(exports).filter((value) => value && typeof value === 'object' && 'decorator' in value && 'template' in value);
    assert.ok(sources.length > 0, `${file} exports no EventSource`);
    for (const source of sources) assert.ok(registered.has(source), `${file}'s ${(source as { decorator: string }).decorator} is not in SOURCES`);
  }
});

test('a manifest kind belongs to one source, and a decorator to one', () => {
  const kinds = SOURCES.flatMap((source) => source.kinds);
  assert.is(new Set(kinds).size, kinds.length, kinds.join(', '));
  const decorators = SOURCES.map((source) => source.decorator);
  assert.is(new Set(decorators).size, decorators.length, decorators.join(', '));
});

test("every source's decorator is exported by the runtime and records its options", () => {
  for (const { decorator } of SOURCES) {
    const factory = (runtime as unknown as Record<string, unknown>)[decorator];
    assert.type(factory, 'function', `sparta exports no ${decorator}`);
    class Probe {
      handle(): void {}
    }
    // A decorator of two parameters takes its route first (`@Http('GET /', options)`).
    const args = (factory as () => unknown).length >= 2 ? ['GET /probe', { probe: true }] : [{ probe: true }];
    (factory as (...options: unknown[]) => MethodDecorator)(...args)(Probe.prototype, 'handle', Object.getOwnPropertyDescriptor(Probe.prototype, 'handle')!);
    const events = runtime.getOwnMetadata<Array<Record<string, unknown>>>(runtime.METADATA.events, Probe.prototype, 'handle');
    // Spread into the event (an options object), or held whole (a route key: `@WebSocket('$connect')`).
    const recorded = events?.[0] ?? {};
    assert.ok(recorded.probe === true || Object.values(recorded).some((value) => (value as { probe?: unknown } | null)?.probe === true), decorator);
  }
});

test('every source has a sample, event types, and a row in the README decorator reference', () => {
  const reference = README.slice(README.indexOf('## Decorator reference'), README.indexOf('### Compile-time diagnostics'));
  for (const source of SOURCES) {
    assert.ok(Object.keys(source.samples).length > 0, `${source.decorator} has no sample`);
    assert.ok(source.eventTypes.length > 0, `${source.decorator} names no event type`);
    assert.match(reference, `| \`@${source.decorator}(`, `README's decorator reference has no row for @${source.decorator}`);
    for (const name of Object.keys(source.samples)) assert.match(README, `sparta event ${name}`, `README never shows sparta event ${name}`);
  }
});

test.run();
