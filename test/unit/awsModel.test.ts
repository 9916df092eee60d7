// The contract check's validator (test/helpers/awsModel.ts) on a small model written here in botocore's
// format: each rule catches its violation, and a value that fits gives none. The check itself
// (test/zz-contract/contract.test.ts) runs it on every AWS call a test run recorded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { awsModelFrom, compilePattern, type RawModel } from '../helpers/awsModel';
import { checkRecords, describeFindings } from '../helpers/contract';
import { encodeValue } from '../helpers/contractRecorder';
import { callerOf } from '../helpers/contractCaller';

const raw: RawModel = {
  metadata: { apiVersion: '2024-01-01', protocol: 'json' },
  operations: { GetThings: { input: { shape: 'GetThingsRequest' }, output: { shape: 'GetThingsResponse' } } },
  shapes: {
    GetThingsRequest: {
      type: 'structure',
      required: ['Name'],
      members: {
        Name: { shape: 'Name' }, MaxResults: { shape: 'MaxResults' }, Ratio: { shape: 'Ratio' }, Flag: { shape: 'Bool' },
        Since: { shape: 'Time' }, Data: { shape: 'Data' }, Tags: { shape: 'TagList' }, Labels: { shape: 'LabelMap' },
        State: { shape: 'State' }, Choice: { shape: 'Choice' }, Token: { shape: 'Name', idempotencyToken: true },
      },
    },
    GetThingsResponse: { type: 'structure', required: ['Things'], members: { Things: { shape: 'TagList' }, NextToken: { shape: 'Name', locationName: 'nextToken' }, RequestId: { shape: 'Name', location: 'header', locationName: 'x-id' } } },
    Name: { type: 'string', min: 1, max: 8, pattern: '^[a-z]+$' },
    MaxResults: { type: 'integer', min: 1, max: 100 },
    Ratio: { type: 'double', min: 0, max: 1 },
    Bool: { type: 'boolean' },
    Time: { type: 'timestamp' },
    Data: { type: 'blob', max: 4 },
    TagList: { type: 'list', member: { shape: 'Name' }, max: 2 },
    LabelMap: { type: 'map', key: { shape: 'Name' }, value: { shape: 'Name' }, max: 1 },
    State: { type: 'string', enum: ['ON', 'OFF'] },
    Choice: { type: 'structure', union: true, members: { A: { shape: 'Name' }, B: { shape: 'MaxResults' } } },
  },
};
const model = awsModelFrom(raw);
const rules = (value: unknown, opts?: { wire?: boolean }, shape = 'GetThingsRequest') => model.violations(shape, value, opts).map((v) => `${v.path} ${v.rule}`);

test('contract validator: a request that fits every rule has no violations', () => {
  assert.deepEqual(rules({
    Name: 'abc', MaxResults: 100, Ratio: 0.5, Flag: true, Since: new Date(), Data: new Uint8Array(4), Tags: ['a', 'b'],
    Labels: { k: 'v' }, State: 'ON', Choice: { A: 'x' },
  }), []);
  // As the recorder writes them: tagged Dates and blobs.
  assert.deepEqual(rules(encodeValue({ Name: 'abc', Since: new Date(0), Data: Buffer.from('ab') })), []);
});

test('contract validator: each rule catches its violation', () => {
  assert.deepEqual(rules({}), ['GetThingsRequest.Name required'], 'required member (an idempotency token is filled in by the SDK)');
  assert.deepEqual(rules({ Name: 'a', Nmae: 'b' }), ['GetThingsRequest.Nmae unknown member']);
  assert.deepEqual(rules({ Name: 'a', MaxResults: 101 }), ['GetThingsRequest.MaxResults max']);
  assert.deepEqual(rules({ Name: 'a', MaxResults: 0 }), ['GetThingsRequest.MaxResults min']);
  assert.deepEqual(rules({ Name: 'a', MaxResults: 1.5 }), ['GetThingsRequest.MaxResults type']);
  assert.deepEqual(rules({ Name: 'a', MaxResults: '5' }), ['GetThingsRequest.MaxResults type']);
  assert.deepEqual(rules({ Name: 'a', Ratio: 2 }), ['GetThingsRequest.Ratio max']);
  assert.deepEqual(rules({ Name: 'a', Ratio: '0.5' }), ['GetThingsRequest.Ratio type']);
  assert.deepEqual(rules({ Name: 'a', Flag: 'true' }), ['GetThingsRequest.Flag type']);
  assert.deepEqual(rules({ Name: 'a', Since: 'yesterday' }), ['GetThingsRequest.Since type']);
  assert.deepEqual(rules({ Name: 'a', Data: 12 }), ['GetThingsRequest.Data type']);
  assert.deepEqual(rules({ Name: 'a', Data: new Uint8Array(5) }), ['GetThingsRequest.Data max']);
  assert.deepEqual(rules({ Name: '' }), ['GetThingsRequest.Name min', 'GetThingsRequest.Name pattern']);
  assert.deepEqual(rules({ Name: 'abcdefghi' }), ['GetThingsRequest.Name max']);
  assert.deepEqual(rules({ Name: 'ABC' }), ['GetThingsRequest.Name pattern']);
  assert.deepEqual(rules({ Name: 7 }), ['GetThingsRequest.Name type']);
  assert.deepEqual(rules({ Name: 'a', State: 'on' }), ['GetThingsRequest.State enum']);
  assert.deepEqual(rules({ Name: 'a', Tags: 'a' }), ['GetThingsRequest.Tags type']);
  assert.deepEqual(rules({ Name: 'a', Tags: ['a', 'b', 'c'] }), ['GetThingsRequest.Tags max']);
  assert.deepEqual(rules({ Name: 'a', Tags: ['a', 'B'] }), ['GetThingsRequest.Tags[1] pattern']);
  assert.deepEqual(rules({ Name: 'a', Labels: { k: 'v', l: 'w' } }), ['GetThingsRequest.Labels max']);
  assert.deepEqual(rules({ Name: 'a', Labels: { K: 'v' } }), ['GetThingsRequest.Labels{K} pattern']);
  assert.deepEqual(rules({ Name: 'a', Labels: ['v'] }), ['GetThingsRequest.Labels type']);
  assert.deepEqual(rules({ Name: 'a', Choice: { A: 'x', B: 1 } }), ['GetThingsRequest.Choice union']);
  assert.deepEqual(rules({ Name: 'a', Choice: {} }), ['GetThingsRequest.Choice union']);
  assert.deepEqual(rules({ Name: 'a', Choice: 'x' }), ['GetThingsRequest.Choice type']);
});

test('contract validator: problems() reads `path: what`, as the stand-ins report it', () => {
  assert.deepEqual(model.problems('GetThingsRequest', { Name: 'a', MaxResults: 101, Nmae: 'b' }), [
    'GetThingsRequest.Nmae: not a member of GetThingsRequest',
    "GetThingsRequest.MaxResults: 101 is above MaxResults's maximum 100",
  ]);
});

test('contract validator: a wire body is read by locationName, without header-bound members', () => {
  assert.deepEqual(rules({ Things: [], nextToken: 'abc' }, { wire: true }, 'GetThingsResponse'), []);
  assert.deepEqual(rules({ Things: [], NextToken: 'abc' }, { wire: true }, 'GetThingsResponse'), ['GetThingsResponse.NextToken unknown member']);
  assert.deepEqual(rules({ nextToken: 'abc' }, { wire: true }, 'GetThingsResponse'), ['GetThingsResponse.Things required']);
  // On the wire JSON carries timestamps as epoch seconds.
  assert.deepEqual(rules({ Name: 'a', Since: 1_700_000_000 }, { wire: true }), []);
});

test('contract validator: Java-only patterns are skipped and counted, \\p{…} is never misread', () => {
  assert.ok(compilePattern('^[\\p{L}\\p{N}]+$')?.test('été1'));
  assert.equal(compilePattern('^\\p{Alnum}+$'), undefined);
  assert.equal(compilePattern('(?s).*'), undefined);
  const m = awsModelFrom({ ...raw, shapes: { ...raw.shapes, Name: { type: 'string', pattern: '(?s).*' } } });
  assert.deepEqual(m.violations('Name', 'anything'), []);
  assert.deepEqual([...m.skippedPatterns], ['Name']);
});

test('contract check: findings read as operation · member path · rule, the same mistake on many items once', () => {
  const { findings, refused, counts } = checkRecords([
    { client: 'S3Client', op: 'GetThings', by: 'src', input: { Name: 'a', Tags: ['A', 'B'] } },
    { client: 'S3Client', op: 'GetThings', by: 'test', input: { Name: 'a' }, standIn: 'mock', output: { Things: [], State: 'x' } },
    { client: 'S3Client', op: 'GetThings', by: 'src', input: { Name: 'a' }, standIn: 'http', wire: true, output: { Things: [] }, error: 'Throttling' },
    // Sent against the model on purpose and refused by the stand-in: a test may, shipped code may not.
    { client: 'S3Client', op: 'GetThings', by: 'test', input: { Name: 'a', MaxResults: 101 }, standIn: 'http', error: 'ValidationException' },
    { client: 'S3Client', op: 'GetThings', by: 'src', input: { Name: 'a', MaxResults: 102 }, standIn: 'http', error: 'ValidationException' },
    { client: 'S3Client', op: 'Nope', by: 'src', input: {} },
    { client: 'Unknown', op: 'X', by: 'src', input: {} },
  ], () => model);
  assert.deepEqual(describeFindings(findings), [
    "s3:GetThings · GetThingsRequest.Tags[] · pattern: 'A' does not match Name's pattern ^[a-z]+$ (request, sent by src, ×2)",
    's3:GetThings · GetThingsResponse.State · unknown member: not a member of GetThingsResponse (answer, sent by test)',
    "s3:GetThings · GetThingsRequest.MaxResults · max: 102 is above MaxResults's maximum 100 (request, sent by src)",
    's3:Nope · Nope · operation: s3 has no operation Nope (request, sent by src)',
    'Unknown:X · Unknown · model: no API model is mapped for Unknown (test/helpers/contract.ts MODEL_OF_CLIENT) (request, sent by src)',
  ]);
  assert.deepEqual(describeFindings(refused), ["s3:GetThings · GetThingsRequest.MaxResults · max: 101 is above MaxResults's maximum 100 (request, sent by test)"]);
  assert.deepEqual(counts.get('s3:GetThings'), { calls: 5, shipped: 3, answers: 1 });
});

test('contract recorder: the first caller outside node_modules says who sent a call', () => {
  const stack = (...files: string[]) => ['Error', ...files.map((f) => `    at fn (${f}:1:2)`)].join('\n');
  assert.equal(callerOf(stack('/r/node_modules/@smithy/core/x.js', '/r/src/buckets/listing.ts', '/r/test/integration/b.test.ts'), '/r'), 'src');
  assert.equal(callerOf(stack('/r/out/test/helpers/contractPreload.js', '/r/pipeline/consumer/aws.ts'), '/r'), 'pipeline');
  assert.equal(callerOf(stack('/r/test/helpers/moto.ts', '/r/src/x.ts'), '/r'), 'test');
});
