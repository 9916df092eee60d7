// The connection's shared DescribeStacks read (src/aws/stackPages.ts) against moto_server, through a recording
// proxy: readers that ask while a read runs share its pages; a read asked after it ended, or by a reader that
// must see a change it just made, reads again. moto 5.2.1 answers 50 stacks a page.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudFormationClient, CreateStackCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { readStackPages, SharedStackPages } from '../../src/aws/stackPages';
import { findPipelineStacks } from '../../src/alerts/pipelineStack';
import { listPipelineStacks } from '../../src/pipeline/inspect';
import { mapLimit } from '../../src/buckets/pool';
import { startMoto, type Moto } from '../helpers/moto';
import { startFaultProxy, type FaultProxy } from '../helpers/s3FaultProxy';

let moto: Moto;
before(async () => {
  moto = await startMoto();
});
after(async () => {
  await moto?.stop();
});

describe('shared DescribeStacks read', () => {
  const STACKS = 70;
  let proxy: FaultProxy;
  let describes = 0;
  let cfn: CloudFormationClient;
  beforeEach(async () => {
    await moto.reset();
    const seed = new CloudFormationClient(moto.clientConfig());
    await mapLimit(Array.from({ length: STACKS }, (_, i) => i), 8, (i) => seed.send(new CreateStackCommand({
      StackName: `shared-${String(i).padStart(3, '0')}`,
      TemplateBody: JSON.stringify({ Resources: { Marker: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `shared-${i}-marker` } } } }),
      Tags: i % 10 === 0 ? [{ Key: 'cloud-monitor:pipeline', Value: 'true' }] : [],
    })));
    seed.destroy();
    describes = 0;
    proxy = await startFaultProxy(moto.endpoint, {}, { intercept: (req) => {
      if (/Action=DescribeStacks\b/.test(req.body)) describes++;
      return undefined;
    } });
    cfn = new CloudFormationClient({ ...moto.clientConfig(), endpoint: proxy.endpoint });
  });
  const names = (pages: (readonly Stack[])[]) => pages.flat().map((s) => s.StackName).sort();

  test('a reader that joins after the first page gets the pages read so far, then the rest: each page asked once', async () => {
    const shared = new SharedStackPages(() => cfn);
    const a: (readonly Stack[])[] = [];
    const b: (readonly Stack[])[] = [];
    let joined!: Promise<void>;
    const firstPage = new Promise<void>((done) => {
      void shared.read((stacks, more) => {
        a.push(stacks);
        if (a.length === 1) {
          assert.equal(more, true, 'more pages follow the first');
          joined = shared.read((s) => b.push(s));
          done();
        }
      });
    });
    await firstPage;
    await joined;
    assert.equal(describes, 2, 'two pages, each asked once');
    assert.equal(names(a).length, STACKS);
    assert.deepEqual(names(b), names(a), 'the late reader has every stack');
    // After the read ended: the next one reads again (nobody gets an older list than before).
    const c: (readonly Stack[])[] = [];
    await shared.read((s) => c.push(s));
    assert.equal(describes, 4);
    assert.deepEqual(names(c), names(a));
    proxy.close();
  });

  test('a reader that must see a change it just made (notBefore) does not join a read that began before', async () => {
    const shared = new SharedStackPages(() => cfn);
    const first = shared.read(() => undefined);
    const t = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 2));
    const own: (readonly Stack[])[] = [];
    await Promise.all([first, shared.read((s) => own.push(s), t)]);
    assert.equal(describes, 4, 'two reads of two pages');
    assert.equal(names(own).length, STACKS);
    proxy.close();
  });

  test('the Pipeline view and the Alerts lookup find the same tagged stacks through one shared read as through their own', async () => {
    const shared = new SharedStackPages(() => cfn);
    const read = (onPage: Parameters<typeof shared.read>[0]) => shared.read(onPage);
    const [alerts, pipeline] = await Promise.all([findPipelineStacks(read), listPipelineStacks(read)]);
    assert.equal(describes, 2, 'one read for both');
    assert.deepEqual(alerts.map((s) => s.stackName).sort(), (await findPipelineStacks(cfn)).map((s) => s.stackName).sort());
    assert.deepEqual(pipeline.map((s) => s.name), (await listPipelineStacks(readStackPages(cfn))).map((s) => s.name));
    assert.equal(pipeline.length, STACKS / 10);
    proxy.close();
  });
});
