// The billing ledger against moto_server: every call of a ClientFactory client is recorded with the
// feature that asked for it and its list price; quantities known afterwards (Athena's data scanned, Logs
// Insights' bytes scanned) are billed once per query from its final state; credential-provider calls
// (AssumeRole) are recorded as free sign-in calls; the budget gate stops a call before it is sent.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetBucketVersioningCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ClientFactory } from '../../src/aws/clientFactory';
import { listProfiles, readSharedFiles } from '../../src/aws/profiles';
import { BillingLedger, type LedgerLine } from '../../src/billing/ledger';
import { liveTailLine, type PendingCall } from '../../src/billing/middleware';
import { judgeBudget } from '../../src/billing/report';
import { queryCost } from '../../src/athena/cost';
import { startMoto, type Moto } from '../helpers/moto';
import { startInsightsStandIn, type InsightsStandIn } from '../helpers/insightsStandIn';
import { startLiveTailStandIn, type LiveTailStandIn } from '../helpers/liveTailStandIn';
import { runTail } from '../../src/logs/tail/sources';

let moto: Moto;
let insights: InsightsStandIn;
let tail: LiveTailStandIn;
const TAIL_ARN = 'arn:aws:logs:us-east-1:123456789012:log-group:/app/stream';
let factory: ClientFactory;
let ledger: BillingLedger;
let budget = 100;
let dir: string;
const saved = { ...process.env };

class Refused extends Error { override name = 'BudgetDeclined'; }

before(async () => {
  moto = await startMoto();
  // moto's GetQueryResults has no statistics: the Logs Insights stand-in reports bytesScanned (200 per matched record).
  insights = await startInsightsStandIn({ matched: 5000, runningPolls: 1 });
  // moto does not serve StartLiveTail: the Live Tail stand-in sends a real event stream that ends in a session timeout.
  tail = await startLiveTailStandIn([
    { event: 'sessionStart', body: { requestId: 'r1', sessionId: 'S1', logGroupIdentifiers: [TAIL_ARN] } },
    { exception: 'SessionTimeoutException', body: { message: 'Session timed out' } },
  ]);
  dir = mkdtempSync(join(tmpdir(), 'billing-'));
  writeFileSync(join(dir, 'config'), [
    '[profile static]', 'region = us-east-1', `endpoint_url = ${moto.endpoint}`,
    '[profile insights]', 'region = us-east-1', `endpoint_url = ${insights.endpoint}`,
    '[profile tail]', 'region = us-east-1', `endpoint_url = ${tail.endpoint}`,
    '[profile role]', 'role_arn = arn:aws:iam::123456789012:role/monitor', 'source_profile = static', 'region = eu-west-1', `endpoint_url = ${moto.endpoint}`, '',
  ].join('\n'));
  writeFileSync(join(dir, 'credentials'), ['[static]', 'aws_access_key_id = AKIASTATIC0000000001', 'aws_secret_access_key = staticsecret', '[tail]', 'aws_access_key_id = AKIASTATIC0000000001', 'aws_secret_access_key = staticsecret', '[insights]', 'aws_access_key_id = AKIASTATIC0000000001', 'aws_secret_access_key = staticsecret', ''].join('\n'));
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_ENDPOINT_URL;
  const files = await readSharedFiles();
  factory = new ClientFactory(() => ({ files, profiles: listProfiles(files, process.env), env: process.env }));
});

beforeEach(async () => {
  await moto.reset();
  factory.clear();
  budget = 100;
  ledger = new BillingLedger(join(mkdtempSync(join(dir, 'ledger-')), 'ledger.jsonl'));
  // The same gate the extension runs (src/billing/feature.ts), minus the modal: over the budget is refused.
  const gate = async (call: PendingCall) => {
    const verdict = judgeBudget(call, (await ledger.summary()).todayUsd, budget);
    if (!verdict.go) throw new Refused(verdict.message);
  };
  factory.billing = { sink: { ledger, gate }, account: () => '123456789012' };
});

after(async () => {
  factory?.clear();
  process.env = saved;
  await moto?.stop();
  await insights?.stop();
  await tail?.stop();
});

const lines = async (): Promise<LedgerLine[]> => { await ledger.flush(); return ledger.lines(); };
const find = (ls: LedgerLine[], op: string) => ls.filter((l) => `${l.service}:${l.op}` === op);
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);

describe('billing ledger (moto_server)', () => {
  test('each call is recorded once with its feature, account, region, quantity and list price', async () => {
    await factory.get(S3Client, 'static', 'us-east-1', 'pipeline').send(new CreateBucketCommand({ Bucket: 'ledger-bucket' }));
    const s3 = factory.get(S3Client, 'static', 'us-east-1', 'buckets');
    await s3.send(new ListBucketsCommand({}));
    await s3.send(new GetBucketVersioningCommand({ Bucket: 'ledger-bucket' }));
    await factory.get(CostExplorerClient, 'static', 'us-east-1', 'costs').send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-11-01', End: '2026-12-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] }));
    const stat = (id: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'AWS/S3', MetricName: 'BucketSizeBytes', Dimensions: [{ Name: 'BucketName', Value: id }] }, Period: 86400, Stat: 'Average' } });
    await factory.get(CloudWatchClient, 'static', 'us-east-1', 'buckets').send(new GetMetricDataCommand({
      StartTime: new Date(Date.now() - 2 * 86_400_000), EndTime: new Date(),
      MetricDataQueries: [stat('a'), stat('b'), stat('c'), { Id: 'total', Expression: 'a+b+c' }],
    }));
    const raw = new SQSClient(moto.clientConfig());
    const { QueueUrl } = await raw.send(new CreateQueueCommand({ QueueName: 'inbox.fifo', Attributes: { FifoQueue: 'true' } }));
    await factory.get(SQSClient, 'static', 'us-east-1', 'alerts').send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    raw.destroy();

    const ls = await lines();
    const one = (op: string, feature: string) => {
      const l = find(ls, op);
      assert.equal(l.length, 1, `${op}: ${JSON.stringify(ls)}`);
      assert.equal(l[0].feature, feature);
      assert.equal(l[0].account, '123456789012');
      assert.equal(l[0].profile, 'static');
      assert.equal(l[0].region, 'us-east-1');
      assert.equal(l[0].n, 1);
      assert.equal(l[0].priced, true);
      return l[0];
    };
    close(one('s3:CreateBucket', 'pipeline').usd, 0.005 / 1000);
    close(one('s3:ListBuckets', 'buckets').usd, 0.005 / 1000);
    close(one('s3:GetBucketVersioning', 'buckets').usd, 0.0004 / 1000);
    close(one('ce:GetCostAndUsage', 'costs').usd, 0.01);
    const gmd = one('cloudwatch:GetMetricData', 'buckets');
    assert.equal(gmd.q, 3, 'three metrics requested; the expression is free');
    close(gmd.usd, 3 * 0.01 / 1000);
    close(one('sqs:ReceiveMessage', 'alerts').usd, 0.5 / 1_000_000);
    assert.equal(ls.length, 6, 'nothing else was recorded (the raw client set-up is not the extension\'s)');
    close((await ledger.summary()).todayUsd, 0.01 + 0.01 / 1000 + 0.0004 / 1000 + 0.03 / 1000 + 0.5 / 1_000_000);
  });

  test('calls sent before the account id is known are filed under it once GetCallerIdentity answers (lines already written, pending lines, a call in flight), never under the profile name', async () => {
    const known = new Map<string, string>();
    factory.billing = { sink: factory.billing!.sink, account: (profile) => known.get(profile) ?? '' };
    const s3 = factory.get(S3Client, 'static', 'us-east-1', 'buckets');
    await s3.send(new ListBucketsCommand({}));
    await ledger.flush(); // this one is in the file before the account is known
    await s3.send(new ListBucketsCommand({})); // this one is still pending
    const inFlight = s3.send(new ListBucketsCommand({})); // this one is answered after the account is known
    const { Account } = await factory.get(STSClient, 'static', 'us-east-1', 'aws').send(new GetCallerIdentityCommand({}));
    assert.match(Account ?? '', /^\d{12}$/);
    // What AwsConnection.identity() does with the answer (src/aws/connection.ts).
    known.set('static', Account!);
    ledger.fileUnder('static', Account!);
    await inFlight;

    const ls = await lines();
    assert.deepEqual(ls.filter((l) => l.account !== Account).map((l) => `${l.service}:${l.op} ${l.account || '(none)'}`), [], 'every line under the account id');
    assert.equal(find(ls, 's3:ListBuckets').reduce((n, l) => n + l.n, 0), 3);
    assert.equal(find(ls, 'sts:GetCallerIdentity').length, 1, 'the identity call itself, re-filed from the profile');
    const s = await ledger.summary();
    assert.deepEqual([...s.byAccountToday.keys()], [Account], 'spend by account: the account id, not the profile name');
  });

  test('Athena: data scanned is billed once, from the final GetQueryExecution', async () => {
    const athena = factory.get(AthenaClient, 'static', 'us-east-1', 'athena');
    const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', ResultConfiguration: { OutputLocation: 's3://results/' } }));
    const first = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    await athena.send(new GetQueryExecutionCommand({ QueryExecutionId }));
    assert.equal(first.QueryExecution?.Status?.State, 'SUCCEEDED');
    const ls = await lines();
    assert.equal(find(ls, 'athena:StartQueryExecution')[0].usd, 0, 'starting is free');
    const polls = find(ls, 'athena:GetQueryExecution');
    assert.equal(polls.reduce((n, l) => n + l.n, 0), 2);
    const expected = queryCost(first.QueryExecution?.Statistics?.DataScannedInBytes ?? 0, 'SUCCEEDED', 'DML').usd;
    assert.ok(expected > 0);
    close(polls.reduce((s, l) => s + l.usd, 0), expected);
  });

  test('Logs Insights (the Insights stand-in, moto reports no statistics): bytes scanned are billed once, from the final GetQueryResults', async () => {
    const logs = factory.get(CloudWatchLogsClient, 'insights', 'us-east-1', 'logs');
    const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: 'app', startTime: 0, endTime: Math.floor(Date.now() / 1000), queryString: 'fields @message' }));
    const polls = [];
    for (let i = 0; i < 3; i++) polls.push(await logs.send(new GetQueryResultsCommand({ queryId })));
    assert.deepEqual(polls.map((p) => p.status), ['Running', 'Complete', 'Complete']);
    const ls = await lines();
    const results = find(ls, 'logs:GetQueryResults');
    assert.equal(results.reduce((n, l) => n + l.n, 0), 3);
    const gb = 5000 * 200 / 1024 ** 3;
    close(results.reduce((s, l) => s + l.q, 0), gb);
    close(results.reduce((s, l) => s + l.usd, 0), gb * 0.005);
    assert.equal(find(ls, 'logs:StartQuery')[0].usd, 0, 'starting is free');
  });

  test('Live Tail (the Live Tail stand-in: moto does not serve it): StartLiveTail is in the ledger through the prefixless client the tail makes for an endpoint override; its minutes come from the session\'s start and stop (liveTailLine; the idle stop in test/vscode/suite/logsTail.ts)', async () => {
    const client = factory.get(CloudWatchLogsClient, 'tail', 'us-east-1', 'logs');
    const notices: string[] = [];
    const end = await runTail(client, { groupName: '/app/stream', groupArn: TAIL_ARN }, { events: () => undefined, notice: (t) => notices.push(t) }, new AbortController().signal, { mode: 'liveTail' });
    assert.equal(end, 'timeout');
    assert.equal(tail.requests.length, 1);
    const ls = find(await lines(), 'logs:StartLiveTail');
    assert.equal(ls.length, 1, JSON.stringify(ls));
    assert.equal(ls[0].feature, 'logs');
    assert.equal(ls[0].unit, 'minute');
    assert.deepEqual([ls[0].n, ls[0].q, ls[0].usd], [1, 0, 0], 'the call that opened the session; not its minutes');
    // What the extension records when onLiveTailSession reports the session (src/features.ts).
    ledger.record(liveTailLine({ billedMinutes: 1, profile: 'tail', region: 'us-east-1' }, ls[0].account));
    const after = find(await lines(), 'logs:StartLiveTail');
    assert.deepEqual([after.reduce((n, l) => n + l.n, 0), after.reduce((q, l) => q + l.q, 0)], [1, 1], 'one call, one minute');
    close(after.reduce((u, l) => u + l.usd, 0), 0.01);
  });

  test('credential-provider calls (AssumeRole for a role profile) are in the ledger, free, under sign-in', async () => {
    const id = await factory.get(STSClient, 'role', 'eu-west-1', 'connection').send(new GetCallerIdentityCommand({}));
    assert.match(id.Arn ?? '', /assumed-role\/monitor\//);
    const ls = await lines();
    const assume = find(ls, 'sts:AssumeRole');
    assert.equal(assume.length, 1, JSON.stringify(ls));
    assert.equal(assume[0].feature, 'sign-in');
    assert.equal(assume[0].usd, 0);
    assert.equal(assume[0].unit, 'free');
    assert.equal(find(ls, 'sts:GetCallerIdentity')[0].feature, 'connection');
  });

  test('budget: a priced call that would pass the daily budget is refused before it is sent; free calls still go', async () => {
    budget = 0.015;
    const ce = factory.get(CostExplorerClient, 'static', 'us-east-1', 'costs');
    const ask = () => ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-11-01', End: '2026-12-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] }));
    await ask();
    await assert.rejects(ask(), (err: Error) => err.name === 'BudgetDeclined' && /costs \$0\.01; today's spend is \$0\.01 of \$0\.015/.test(err.message));
    assert.equal(find(await lines(), 'ce:GetCostAndUsage').reduce((n, l) => n + l.n, 0), 1, 'the refused request was never sent, so never recorded');
    // Athena: once the budget is passed, a query (billed afterwards) is refused before it starts.
    budget = 0.005;
    await assert.rejects(factory.get(AthenaClient, 'static', 'us-east-1', 'athena').send(new StartQueryExecutionCommand({ QueryString: 'SELECT 1', ResultConfiguration: { OutputLocation: 's3://results/' } })), /daily budget is passed/);
    await factory.get(STSClient, 'static', 'us-east-1', 'connection').send(new GetCallerIdentityCommand({}));
  });

  test('two windows share one ledger file', async () => {
    await factory.get(CostExplorerClient, 'static', 'us-east-1', 'costs').send(new GetCostAndUsageCommand({ TimePeriod: { Start: '2026-11-01', End: '2026-12-01' }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] }));
    await ledger.flush();
    const other = new BillingLedger(ledger.file);
    close((await other.summary()).todayUsd, 0.01);
  });
});
