// The Alerts view and the inbox against the real pipeline (templates/pipeline.yaml deployed into
// moto_server, the consumer handler run in-process): the stack is found by its tag, the consumer's
// alert-state items read through AlertStateIndexName, and its SNS notification, delivered raw to the
// inbox queue, parsed into the alert the editor shows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createHandler } from '../../pipeline/consumer/handler';
import { findPipelineStacks } from '../../src/alerts/pipelineStack';
import { readAlertStates } from '../../src/alerts/alertState';
import { InboxLease } from '../../src/alerts/inbox/lease';
import { InboxPoller } from '../../src/alerts/inbox/poller';
import type { InboxAlert } from '../../src/alerts/inbox/alertMessage';
import { consumerClients, consumerConfig, deployPipelineStack } from '../helpers/pipelineStack';
import { startMoto, type Moto } from '../helpers/moto';

let moto: Moto;
before(async () => { moto = await startMoto(); });
after(async () => { await moto?.stop(); });

describe('alerts from the real pipeline (templates/pipeline.yaml on moto_server, consumer in-process)', () => {
  test('an ERROR event becomes an ALARM row in the state index and one notification in the inbox', async () => {
    const cfg = moto.clientConfig();
    await deployPipelineStack(cfg, { stackName: 'cm-alerts-it', root: process.cwd() });
    const cfn = new CloudFormationClient(cfg);
    const [stack] = await findPipelineStacks(cfn);
    assert.equal(stack?.stackName, 'cm-alerts-it');
    for (const k of ['AlertStateTableName', 'AlertStateIndexName', 'AlertTopicArn', 'InboxQueueUrl', 'ConsumerLogGroupName']) assert.ok(stack.outputs[k], `output ${k}`);

    const now = Date.now();
    const handle = createHandler({ clients: consumerClients(cfg, 3), config: consumerConfig(stack.outputs as never), now: () => now, log: () => undefined });
    const res = await handle({ Records: [{ messageId: 'm-1', body: JSON.stringify({ appId: 'checkout', timestamp: now, level: 'ERROR', message: 'card declined' }), attributes: { MessageGroupId: 'checkout' } }] } as never);
    assert.deepEqual((res as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures ?? [], []);

    const ddb = new DynamoDBClient(cfg);
    const states = await readAlertStates(ddb, stack.outputs.AlertStateTableName!, stack.outputs.AlertStateIndexName!);
    const row = states.alarm.find((r) => r.appId === 'checkout');
    assert.ok(row, `ALARM rows: ${JSON.stringify(states.alarm)}`);
    assert.match(row.key, /^checkout#/);
    assert.ok(row.since && Math.abs(row.since - now) < 60_000, `since ${row.since}`);
    assert.ok(row.lastNotifiedAt, 'notified');

    const sqs = new SQSClient(cfg);
    const shown: InboxAlert[] = [];
    const poller = new InboxPoller({
      sqs, queueUrl: stack.outputs.InboxQueueUrl!, lease: new InboxLease(mkdtempSync(join(tmpdir(), 'lease-')), 'it'),
      deliver: async (alerts) => void shown.push(...alerts), isMuted: async () => false,
    }, { waitTimeSeconds: 1 });
    poller.start();
    const end = Date.now() + 20_000;
    while (!shown.length && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    await poller.stop();
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.equal(shown[0].appId, 'checkout');
    assert.equal(shown[0].state, 'ALARM');
    assert.equal(shown[0].severity, 'error');
    assert.match(shown[0].text, /^checkout \(/);
    for (const c of [cfn, ddb, sqs]) c.destroy();
  });
});
