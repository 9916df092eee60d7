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
          joined = shared.read((s) => void b.push(s));
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
    await shared.read((s) => void c.push(s));
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
    await Promise.all([first, shared.read((s) => void own.push(s), t)]);
    assert.equal(describes, 4, 'two reads of two pages');
    assert.equal(names(own).length, STACKS);
    proxy.close();
  });

  /** An idle() the test settles, recording how often it was asked. */
  function heldIdle() {
    let settle!: () => void;
    const state = { asked: 0, promise: new Promise<void>((done) => (settle = done)) };
    return { state, idle: () => { state.asked++; return state.promise; }, settle: () => settle() };
  }
  const tick = () => new Promise((r) => setTimeout(r, 50));

  test('once every reader has its first rows\' stacks, the later pages wait until the side bar\'s first rows are drawn (idle), then every stack is read', async () => {
    const held = heldIdle();
    const shared = new SharedStackPages(() => cfn, held.idle);
    const read = (onPage: Parameters<typeof shared.read>[0]) => shared.read(onPage);
    const firstAlerts: number[] = [];
    const both = Promise.all([findPipelineStacks(read, (soFar) => void firstAlerts.push(soFar.length)), listPipelineStacks(read)]);
    for (let i = 0; i < 20 && !held.state.asked; i++) await tick();
    await tick();
    assert.equal(held.state.asked, 1, 'the read waits for idle after the first page');
    assert.equal(describes, 1, 'no second page while the views draw');
    // Seeded 8 at a time, so which stacks moto's first page of 50 holds varies: some of the 7 pipeline stacks.
    assert.equal(firstAlerts.length, 1, 'the Alerts lookup drew once from the first page');
    assert.ok(firstAlerts[0] > 0 && firstAlerts[0] < STACKS / 10, `the first page's pipeline stacks: ${firstAlerts[0]}`);
    held.settle();
    const [alerts, pipeline] = await both;
    assert.equal(describes, 2);
    assert.equal(alerts.length, STACKS / 10, 'every pipeline stack in the end');
    assert.equal(pipeline.length, STACKS / 10);
    proxy.close();
  });

  test('a reader still without its stacks is not held: a first page with no pipeline stack, or a reader joining while the read waits', async () => {
    const held = heldIdle();
    const shared = new SharedStackPages(() => cfn, held.idle);
    // Nobody satisfied by the pages: the read never waits.
    await shared.read(() => false);
    assert.equal(held.state.asked, 0);
    assert.equal(describes, 2);
    // A satisfied reader makes the read wait; one that joins needing more pages lets it go on at once.
    const first = shared.read(() => true);
    for (let i = 0; i < 20 && !held.state.asked; i++) await tick();
    assert.equal(held.state.asked, 1);
    assert.equal(describes, 3);
    const late: (readonly Stack[])[] = [];
    await Promise.all([first, shared.read((s) => void late.push(s))]);
    assert.equal(describes, 4, 'the second page read without idle settling');
    assert.equal(names(late).length, STACKS);
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
