// The pipeline's part of the sandbox: templates/pipeline.yaml deployed through a change set
// (test/helpers/pipelineStack.ts), then a day of realistic events sent to the ingest queue and pushed
// through the consumer handler in-process, hour by hour on a simulated clock, so the data bucket, the
// status and alert-state tables, the inbox queue and the DLQ hold what a day of traffic leaves behind:
//   - five apps, most messages packed with events; checkout has an error burst in the morning that
//     recovers, payments is failing in the last hour (ALARM), a few malformed messages sit in the DLQ;
//   - the consumer's own log lines in its log group, and its measured invocations as AWS/Lambda
//     metrics (moto cannot run the function, so the figures are those of the in-process runs);
//   - a few messages left waiting in the ingest queue, so queue depth and age are not all zero;
//   - drift: two queue attributes changed by hand, outside CloudFormation (the ingest queue's visibility
//     timeout raised during an "incident", the DLQ's retention cut to 4 days), so Detect Drift on the stack
//     finds two MODIFIED resources (the sandbox's drift stand-in, test/sandbox/gaps.ts).
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createHandler, type LogEntry } from '../../../pipeline/consumer/handler';
import { consumerClients, consumerConfig, deployPipelineStack } from '../../helpers/pipelineStack';
import { prng, randomEvent, sendBodies } from '../../helpers/pipelineData';
import { SqsPoller } from '../../helpers/sqsPoller';
import type { SeedEnv } from '../types';

export const PIPELINE_STACK = 'cloud-monitor-pipeline';
const APPS = ['checkout', 'orders', 'payments', 'search', 'auth'];
const HOUR = 3_600_000;

export async function seed(env: SeedEnv): Promise<void> {
  const stack = await deployPipelineStack(env.clientConfig, { stackName: PIPELINE_STACK, root: env.root });
  const { outputs } = stack;
  const sqs = new SQSClient(env.clientConfig);
  const clients = consumerClients(env.clientConfig, 3);
  const config = consumerConfig(outputs);
  const poller = new SqsPoller(sqs, outputs.IngestQueueUrl, outputs.IngestQueueArn, env.region);
  const rand = prng(20);
  const lines: { timestamp: number; message: string }[] = [];
  const invocations = new Map<number, { count: number; ms: number[] }>();

  const end = Math.floor(Date.now() / 60_000) * 60_000;
  const start = end - 24 * HOUR;
  let seq = 0;
  let events = 0;
  let clock = start;
  const handle = createHandler({ clients, config, now: () => clock, log: (e: LogEntry) => lines.push({ timestamp: clock, message: JSON.stringify(e) }) });
  const timed = async (e: Parameters<typeof handle>[0]) => {
    const t0 = performance.now();
    const out = await handle(e);
    const minute = Math.floor(clock / 60_000) * 60_000;
    const slot = invocations.get(minute) ?? { count: 0, ms: [] };
    slot.count++;
    slot.ms.push(performance.now() - t0);
    invocations.set(minute, slot);
    return out;
  };

  for (let hour = 0; hour < 24; hour++) {
    const t = start + hour * HOUR;
    const messages: { body: string; groupId: string }[] = [];
    for (const app of APPS) {
      // Daytime traffic is heavier; each producer flushes a packed message every few minutes.
      const burst = (app === 'checkout' && hour >= 8 && hour <= 9) || (app === 'payments' && hour === 23);
      const perHour = Math.round((hour >= 7 && hour <= 21 ? 120 : 40) * (app === 'search' ? 2 : 1) * (burst ? 3 : 1));
      // auth and search rarely fail, so their error alerts come and go.
      const quiet = app === 'auth' || app === 'search';
      let left = perHour;
      while (left > 0) {
        const n = Math.min(left, 1 + Math.floor(rand() * 40));
        left -= n;
        const batch = Array.from({ length: n }, () => {
          const ev = randomEvent(rand, app, t + Math.floor(rand() * HOUR), seq++);
          if (burst && rand() < 0.6) Object.assign(ev, { level: 'ERROR', message: `payment provider timeout #${seq}`, status: 504 });
          else if (quiet && (ev.level === 'ERROR' || ev.level === 'FATAL') && rand() < 0.9) ev.level = 'WARN';
          return ev;
        });
        messages.push({ body: JSON.stringify(batch), groupId: app });
        events += n;
      }
    }
    if (hour === 14 || hour === 20) {
      messages.push({ body: '{"appId":"orders","timestamp":', groupId: 'orders' });
      messages.push({ body: JSON.stringify({ appId: 'auth', timestamp: Math.floor(t / 1000), level: 'INFO', message: 'epoch seconds by mistake' }), groupId: 'auth' });
    }
    await sendBodies(sqs, outputs.IngestQueueUrl, messages);
    clock = t + HOUR - 60_000;
    await poller.drain(timed);
  }

  // A few events still waiting for the consumer.
  await sendBodies(sqs, outputs.IngestQueueUrl, APPS.slice(0, 3).map((app) => ({ body: JSON.stringify(randomEvent(rand, app, end, seq++)), groupId: app })));

  const logs = new CloudWatchLogsClient(env.clientConfig);
  const stream = `${new Date(start).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]sandbox`;
  await logs.send(new CreateLogStreamCommand({ logGroupName: outputs.ConsumerLogGroupName, logStreamName: stream }));
  for (let i = 0; i < lines.length; i += 1000) {
    await logs.send(new PutLogEventsCommand({ logGroupName: outputs.ConsumerLogGroupName, logStreamName: stream, logEvents: lines.slice(i, i + 1000) }));
  }

  // moto 5.2.1 answers HTTP 500 to the gzip request compression the SDK uses for bodies over 10 KiB.
  const cw = new CloudWatchClient({ ...env.clientConfig, disableRequestCompression: true });
  const dims = [{ Name: 'FunctionName', Value: outputs.ConsumerFunctionName }];
  const data: MetricDatum[] = [];
  for (const [minute, slot] of invocations) {
    const Timestamp = new Date(minute);
    data.push({ MetricName: 'Invocations', Dimensions: dims, Timestamp, Value: slot.count, Unit: 'Count' });
    data.push({ MetricName: 'Errors', Dimensions: dims, Timestamp, Value: 0, Unit: 'Count' });
    data.push({ MetricName: 'Throttles', Dimensions: dims, Timestamp, Value: 0, Unit: 'Count' });
    for (const ms of slot.ms) data.push({ MetricName: 'Duration', Dimensions: dims, Timestamp, Value: Math.round(ms * 10) / 10, Unit: 'Milliseconds' });
  }
  for (let i = 0; i < data.length; i += 500) await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: data.slice(i, i + 500) }));

  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: outputs.IngestQueueUrl, Attributes: { VisibilityTimeout: '900' } }));
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: outputs.DeadLetterQueueUrl, Attributes: { MessageRetentionPeriod: '345600' } }));

  env.log(`pipeline stack ${PIPELINE_STACK}: ${events} events over 24 h through the consumer, ${lines.length} consumer log lines; outputs: ${Object.keys(outputs).length}`);
  sqs.destroy();
  logs.destroy();
  cw.destroy();
}
