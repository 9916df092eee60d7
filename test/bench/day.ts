// `npm run bench -- day`: what a working day with every view open costs, in the billing ledger's own
// dollars (src/billing), for our design and for a naive one, measured in the same run.
//
// The day (8 hours): the cost views open (the costs bench's simulation: Costs view with By service and
// Anomalies, dashboard open, a normal day with yesterday's cache); a bucket refresh every hour (10 buckets);
// the alert inbox polled all day; a 30-minute Live Tail left open in a hidden tab for 2 hours; 5 Athena
// queries over 1 GiB; 3 Logs Insights queries over 2 GiB.
//
// What goes through the real ledger middleware (ClientFactory clients, priced by src/billing/prices.ts):
// the bucket refreshes and inbox polls (moto_server), the Insights queries (the Insights stand-in, which
// reports bytesScanned; moto does not) and Athena's StartQueryExecution (moto). Recorded through the
// ledger's API with the same pricing code (priceCall), because no local endpoint can play them:
// Cost Explorer (the costs bench's counting fake: moto lacks the forecast and anomalies), Athena's final
// GetQueryExecution saying 1 GiB scanned (moto reports none), and Live Tail minutes (moto does not serve
// Live Tail; the minutes follow cloudMonitor.logs.liveTailIdleMinutes, default 5: the tail stops that long
// after its tab was hidden).
//
// Designs:
//   ours   the extension: cached cost views, one window polling the inbox (the lease; 20 s long polls),
//          Live Tail stopped when idle;
//   naive  cost views polled every 5 minutes without a cache, each of 2 windows long-polling the inbox,
//          the tail left open. Bucket refreshes and user queries are the same in both.
// Inbox polls are sent with WaitTimeSeconds 0 (the bench must not wait 20 s a poll); the count is that of
// 20-second long polls over the day.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CreateBucketCommand, GetBucketAclCommand, GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand, GetBucketPolicyStatusCommand, GetBucketVersioningCommand, GetPublicAccessBlockCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AthenaClient, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ClientFactory } from '../../src/aws/clientFactory';
import { listProfiles, readSharedFiles } from '../../src/aws/profiles';
import { BillingLedger } from '../../src/billing/ledger';
import { liveTailLine, priceCall } from '../../src/billing/middleware';
import { utcToday } from '../../src/costs/dates';
import { FakeCostExplorer } from '../helpers/costData';
import { startInsightsStandIn } from '../helpers/insightsStandIn';
import { startMoto } from '../helpers/moto';
import { pollEvery5Minutes, runDay, VirtualTime } from './costs';

const HOURS = 8;
const BUCKETS = 10;
const GIB = 1024 ** 3;
const REGION = 'us-east-1';
const USER_QUERY_FEATURES = new Set(['athena', 'logs']);

/** cloudMonitor.logs.liveTailIdleMinutes' default from package.json, 5 until the setting exists. */
function idleMinutes(): number {
  const pkg = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } };
  const d = pkg.contributes.configuration.properties['cloudMonitor.logs.liveTailIdleMinutes']?.default;
  return typeof d === 'number' ? d : 5;
}

async function main() {
  const t0 = performance.now();
  const moto = await startMoto();
  const insights = await startInsightsStandIn({ matched: Math.round((2 * GIB) / 200), runningPolls: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'bench-day-'));
  writeFileSync(join(dir, 'config'), ['[profile bench]', `region = ${REGION}`, `endpoint_url = ${moto.endpoint}`, '[profile insights]', `region = ${REGION}`, `endpoint_url = ${insights.endpoint}`, ''].join('\n'));
  writeFileSync(join(dir, 'credentials'), ['[bench]', 'aws_access_key_id = AKIABENCH00000000001', 'aws_secret_access_key = x', '[insights]', 'aws_access_key_id = AKIABENCH00000000001', 'aws_secret_access_key = x', ''].join('\n'));
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  const files = await readSharedFiles();
  const factory = new ClientFactory(() => ({ files, profiles: listProfiles(files, process.env), env: process.env }));
  const raw = { s3: new S3Client(moto.clientConfig()), sqs: new SQSClient(moto.clientConfig()) };
  for (let i = 0; i < BUCKETS; i++) await raw.s3.send(new CreateBucketCommand({ Bucket: `bench-day-${i}` }));
  const { QueueUrl } = await raw.sqs.send(new CreateQueueCommand({ QueueName: 'editor-inbox' }));

  // Cost Explorer: the costs bench's simulation, counted by its fake.
  const costTime = new VirtualTime(0);
  const fake = new FakeCostExplorer(() => utcToday(costTime.now));
  const costDir = mkdtempSync(join(tmpdir(), 'bench-day-costs-'));
  await runDay(costDir, fake, costTime, Date.parse('2024-03-12T08:00:00Z'), HOURS);
  const oursFrom = fake.calls.length;
  await runDay(costDir, fake, costTime, Date.parse('2024-03-13T08:00:00Z'), HOURS);
  const oursCe = fake.calls.slice(oursFrom).map((c) => c.op);
  const naiveCe = (await pollEvery5Minutes(Date.parse('2024-03-13T08:00:00Z'), HOURS));

  async function day(name: string, design: { ceOps: string[]; inboxPolls: number; tailMinutes: number }) {
    const ledger = new BillingLedger(join(dir, `${name}.jsonl`));
    factory.clear();
    factory.billing = { sink: { ledger }, account: () => '123456789012' };
    const once = (id: string) => ledger.firstTime(id);
    const record = (feature: string, key: string, input: unknown, output: unknown) => {
      const [service, op] = key.split(':');
      ledger.record({ feature, profile: 'bench', account: '123456789012', region: REGION, service, op, ...priceCall(key, REGION, input, output, 1, once), ok: true });
    };
    // Cost views.
    for (const op of design.ceOps) record('costs', `ce:${op}`, {}, {});
    // A bucket refresh every hour: the list, each bucket's eight posture calls, the storage metrics.
    const s3 = factory.get(S3Client, 'bench', REGION, 'buckets');
    const cw = factory.get(CloudWatchClient, 'bench', REGION, 'buckets');
    for (let h = 0; h < HOURS; h++) {
      const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
      await Promise.all(Buckets.map(async ({ Name: Bucket }) => {
        for (const cmd of [new GetPublicAccessBlockCommand({ Bucket }), new GetBucketPolicyStatusCommand({ Bucket }), new GetBucketPolicyCommand({ Bucket }), new GetBucketAclCommand({ Bucket }), new GetBucketOwnershipControlsCommand({ Bucket }), new GetBucketEncryptionCommand({ Bucket }), new GetBucketVersioningCommand({ Bucket }), new GetBucketLifecycleConfigurationCommand({ Bucket })]) {
          await (s3.send as (c: unknown) => Promise<unknown>)(cmd).catch(() => undefined);
        }
      }));
      await cw.send(new ListMetricsCommand({ Namespace: 'AWS/S3', MetricName: 'BucketSizeBytes' }));
      const now = Date.now();
      await cw.send(new GetMetricDataCommand({
        StartTime: new Date(now - 3 * 86_400_000), EndTime: new Date(now),
        MetricDataQueries: Buckets.flatMap(({ Name }, i) => ['BucketSizeBytes', 'NumberOfObjects'].map((m, k) => ({ Id: `m${i}_${k}`, MetricStat: { Metric: { Namespace: 'AWS/S3', MetricName: m, Dimensions: [{ Name: 'BucketName', Value: Name! }] }, Period: 86400, Stat: 'Average' } }))),
      }));
    }
    // The inbox.
    const sqs = factory.get(SQSClient, 'bench', REGION, 'alerts');
    for (let i = 0; i < design.inboxPolls; i++) await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0, MaxNumberOfMessages: 10 }));
    // Live Tail: the session's StartLiveTail call, then its minutes as the extension records them when a
    // session ends (src/features.ts: onLiveTailSession → liveTailLine).
    ledger.record({ ...liveTailLine({ billedMinutes: 0, profile: 'bench', region: REGION }, '123456789012'), calls: 1 });
    ledger.record(liveTailLine({ billedMinutes: design.tailMinutes, profile: 'bench', region: REGION }, '123456789012'));
    // 5 Athena queries over 1 GiB: started against moto, billed from a final state that says 1 GiB.
    const athena = factory.get(AthenaClient, 'bench', REGION, 'athena');
    for (let q = 0; q < 5; q++) {
      const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: `SELECT * FROM logs_${q}`, ResultConfiguration: { OutputLocation: 's3://bench-day-0/results/' } }));
      record('athena', 'athena:GetQueryExecution', { QueryExecutionId }, { QueryExecution: { QueryExecutionId, StatementType: 'DML', Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: GIB } } });
    }
    // 3 Logs Insights queries over 2 GiB, through the stand-in.
    const logs = factory.get(CloudWatchLogsClient, 'insights', REGION, 'logs');
    for (let q = 0; q < 3; q++) {
      const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: '/app', startTime: 0, endTime: 1, queryString: 'fields @message', limit: 10 }));
      for (let status = ''; status !== 'Complete';) status = (await logs.send(new GetQueryResultsCommand({ queryId }))).status ?? 'Complete';
    }
    await ledger.flush();
    const lines = await ledger.lines();
    const sum = (pick: (l: (typeof lines)[number]) => boolean) => lines.filter(pick).reduce((s, l) => s + l.usd, 0);
    const byFeature = new Map<string, number>();
    for (const l of lines) byFeature.set(l.feature, (byFeature.get(l.feature) ?? 0) + l.usd);
    return {
      total: sum(() => true),
      excludingUser: sum((l) => !USER_QUERY_FEATURES.has(l.feature)),
      calls: lines.reduce((n, l) => n + l.n, 0),
      unpriced: lines.filter((l) => !l.priced).reduce((n, l) => n + l.n, 0),
      tailMinutes: lines.filter((l) => l.op === 'StartLiveTail').reduce((n, l) => n + l.q, 0),
      byFeature,
    };
  }

  const idle = idleMinutes();
  const perHour = 3600 / 20;
  const ours = await day('ours', { ceOps: oursCe, inboxPolls: HOURS * perHour, tailMinutes: 30 + idle });
  const naive = await day('naive', { ceOps: Array.from({ length: naiveCe }, () => 'GetCostAndUsage'), inboxPolls: 2 * HOURS * perHour, tailMinutes: 30 + 120 });
  raw.s3.destroy();
  raw.sqs.destroy();
  factory.clear();
  await insights.stop();
  await moto.stop();

  const usd = (n: number) => Number(n.toFixed(4));
  const features = (m: Map<string, number>) => [...m].sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} $${v.toFixed(4)}`).join(', ');
  console.log(`A working day of ${HOURS} hours with every view open (moto_server, the Insights stand-in, the costs bench's Cost Explorer fake)`);
  console.log(`  ours:  $${ours.total.toFixed(4)} (${ours.calls} calls: ${features(ours.byFeature)}); without the user's own queries and tail $${ours.excludingUser.toFixed(4)}; Live Tail ${ours.tailMinutes} billed minutes (idle stop after ${idle} min)`);
  console.log(`  naive: $${naive.total.toFixed(4)} (${naive.calls} calls: ${features(naive.byFeature)}); Cost Explorer polled every 5 min (${naiveCe} requests against ${oursCe.length}), 2 windows polling the inbox, the tail left open`);
  console.log(`  goals: excluding user queries ≤ $0.10: ${ours.excludingUser <= 0.1 ? 'met' : 'NOT met'}; naive/ours ≥ 10: ${naive.total / ours.total >= 10 ? 'met' : 'NOT met'}; Live Tail ≤ 35 min: ${ours.tailMinutes <= 35 ? 'met' : 'NOT met'}; unpriced calls 0: ${ours.unpriced + naive.unpriced === 0 ? 'met' : 'NOT met'}`);
  console.log(`  (run in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  console.log(JSON.stringify({
    bench: 'day',
    metrics: {
      usd_day_total: usd(ours.total),
      usd_day_excluding_user_queries: usd(ours.excludingUser),
      usd_day_naive: usd(naive.total),
      naive_over_ours: Number((naive.total / ours.total).toFixed(1)),
      live_tail_billed_minutes: ours.tailMinutes,
      calls_recorded: ours.calls,
      calls_unpriced: ours.unpriced + naive.unpriced,
    },
  }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
