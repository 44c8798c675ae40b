import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDescription } from '../../cli/converge/render';

// describe's table shows what the stack holds; an entry that names nothing
// (moto's stand-in for a resource type it silently skipped) is not a row.

const description = {
  stackName: 'shop',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/shop/1',
  status: 'CREATE_COMPLETE',
  lastUpdatedAt: '2026-12-02T00:00:00.000Z',
  parameters: {},
  outputs: {},
  resources: [
    { logicalId: '', type: '', status: 'CREATE_COMPLETE' },
    { logicalId: 'Topic', type: 'AWS::SNS::Topic', physicalId: 'arn:aws:sns:us-east-1:123456789012:shop-Topic', status: 'CREATE_COMPLETE' },
  ],
};

test('an entry with no logical ID or type is no row of the table, and is counted below it', () => {
  const lines = renderDescription(description).trimEnd().split('\n');
  const table = lines.slice(lines.indexOf('resources:') + 1);
  assert.equal(table.map((line) => line.trim().split(/\s+/)[0]), ['LOGICAL', 'Topic', '(and']);
  assert.match(table[2], '1 entry with no logical ID or type');
  assert.not.match(lines.join('\n'), /^\s+-\s+-\s+-\s+CREATE_COMPLETE$/m);
});

test('without such entries nothing is added', () => {
  const lines = renderDescription({ ...description, resources: description.resources.slice(1) }).trimEnd().split('\n');
  assert.is(lines[lines.length - 1].trim().split(/\s+/)[0], 'Topic');
});

test.run();
