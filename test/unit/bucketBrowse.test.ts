import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { basename, hivePartition, partitionKeyOf, s3Uri, segmentOf } from '../../src/buckets/browse';
import { BinaryObjectError, decodePreview, gunzipUpTo } from '../../src/buckets/preview';
import { regionFromLocation } from '../../src/buckets/listing';

describe('browsing helpers', () => {
  test('segments and Hive partitions', () => {
    assert.equal(segmentOf('logs/dt=2024-01-01/', 'logs/'), 'dt=2024-01-01');
    assert.deepEqual(hivePartition('dt=2024-01-01'), { key: 'dt', value: '2024-01-01' });
    assert.deepEqual(hivePartition('ts=2024-01-01%2012%3A00'), { key: 'ts', value: '2024-01-01 12:00' });
    assert.deepEqual(hivePartition('region='), { key: 'region', value: '' });
    assert.deepEqual(hivePartition('bad=%E0%A4%A'), { key: 'bad', value: '%E0%A4%A' }, 'broken escape kept as is');
    assert.equal(hivePartition('plain-folder'), undefined);
    assert.equal(hivePartition('=x'), undefined);
    assert.equal(partitionKeyOf(['t/year=2024/', 't/year=2025/'], 't/'), 'year');
    assert.equal(partitionKeyOf(['t/year=2024/', 't/other/'], 't/'), undefined);
    assert.equal(partitionKeyOf([], 't/'), undefined);
  });

  test('URIs, names and regions', () => {
    assert.equal(s3Uri('b', 'a/b.json'), 's3://b/a/b.json');
    assert.equal(s3Uri('b'), 's3://b/');
    assert.equal(basename('a/b/c.json'), 'c.json');
    assert.equal(basename('a/b/'), 'b');
    assert.equal(regionFromLocation(undefined), 'us-east-1');
    assert.equal(regionFromLocation(''), 'us-east-1');
    assert.equal(regionFromLocation('EU'), 'eu-west-1');
    assert.equal(regionFromLocation('ap-south-1'), 'ap-south-1');
  });
});

describe('object preview', () => {
  const enc = (s: string) => new Uint8Array(Buffer.from(s));

  test('complete JSON is pretty-printed', async () => {
    const p = await decodePreview(enc('{"a":1,"b":[1,2]}'), { key: 'x/data.json', totalBytes: 17, limit: 1000 });
    assert.equal(p.language, 'json');
    assert.equal(p.text, '{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ]\n}');
    assert.equal(p.truncated, false);
  });

  test('gzip JSON Lines is inflated and recognised', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ i, msg: `line ${i}` })).join('\n');
    const gz = gzipSync(lines);
    const p = await decodePreview(new Uint8Array(gz), { key: 'events/dt=2024-01-01/part-0.json.gz', totalBytes: gz.length, limit: 1 << 20 });
    assert.equal(p.gzip, true);
    assert.equal(p.language, 'jsonl');
    assert.equal(p.text, lines);
  });

  test('gzip output is capped at the limit, and a cut gzip input still inflates', async () => {
    const big = 'x'.repeat(200_000);
    const gz = gzipSync(big);
    const capped = await gunzipUpTo(gz, 1000);
    assert.equal(capped.data.length, 1000);
    assert.ok(capped.truncated);
    const random = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 2654435761) % 251));
    const gz2 = gzipSync(Buffer.concat([Buffer.from('{"a":1}\n'.repeat(2000)), random]));
    const cut = await decodePreview(new Uint8Array(gz2.subarray(0, 200)), { key: 'a.jsonl.gz', totalBytes: gz2.length, limit: 1 << 20 });
    assert.ok(cut.truncated);
    assert.ok(cut.text.startsWith('{"a":1}'));
  });

  test('a plain object larger than the limit is marked truncated', async () => {
    const p = await decodePreview(enc('hello world'), { key: 'notes.txt', totalBytes: 5000, limit: 5 });
    assert.equal(p.text, 'hello');
    assert.ok(p.truncated);
    assert.equal(p.language, 'plaintext');
  });

  test('binary content is refused', async () => {
    await assert.rejects(decodePreview(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]), { key: 'a.png', totalBytes: 7, limit: 100 }), BinaryObjectError);
  });
});
