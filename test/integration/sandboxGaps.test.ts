// The demo sandbox's stand-in for what moto lacks (test/sandbox/gaps.ts), against moto_server:
// BatchUpdateFindings through it changes moto's findings (seen by GetFindings through the same endpoint),
// unknown findings come back unprocessed, the Cost Explorer forecast and anomalies answer (recorded
// responses), and everything else reaches moto unchanged.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchUpdateFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CostExplorerClient, GetAnomaliesCommand, GetCostAndUsageCommand, GetCostForecastCommand } from '@aws-sdk/client-cost-explorer';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { addDays, addMonths, monthOf, utcToday } from '../../src/costs/dates';
import { costAndUsageInput, groupingFor, HEADLINE_GROUPING, runPeriod } from '../../src/costs/plan';
import { loadAwsModel } from '../helpers/awsModel';
import { TAG_KEY } from '../helpers/costData';
import { startMoto, type Moto } from '../helpers/moto';
import { createBucket, importFindings, sandboxFindings } from '../sandbox/seed/10-buckets-findings';
import { startSandboxGaps, type SandboxGaps } from '../sandbox/gaps';

describe('sandbox stand-in in front of moto_server (Cost Explorer computed from seeded line items; BatchUpdateFindings applied to moto)', () => {
  let moto: Moto;
  let gaps: SandboxGaps;
  const env = { region: 'us-east-1', accountId: '123456789012' };

  before(async () => {
    moto = await startMoto();
    await importFindings(moto.clientConfig(), sandboxFindings(env));
    await createBucket(moto.clientConfig(), { name: 'through-the-stand-in', pab: true, encryption: 'AES256' });
    gaps = await startSandboxGaps(moto);
  });
  after(async () => {
    await gaps?.close();
    await moto?.stop();
  });

  const cfg = () => ({ ...moto.clientConfig(), endpoint: gaps.endpoint });

  test('BatchUpdateFindings sets the workflow status and note in moto, and leaves UpdatedAt as it was (as Security Hub does); an unknown finding is unprocessed', async () => {
    const hub = new SecurityHubClient(cfg());
    const before = (await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? [];
    const target = before.find((f) => f.Workflow?.Status === 'NEW');
    assert.ok(target?.Id && target.ProductArn, 'a NEW finding to triage');
    const res = await hub.send(new BatchUpdateFindingsCommand({
      FindingIdentifiers: [{ Id: target.Id, ProductArn: target.ProductArn }, { Id: 'no-such-finding', ProductArn: target.ProductArn }],
      Workflow: { Status: 'RESOLVED' },
      Note: { Text: 'fixed in change 42', UpdatedBy: 'cloud-monitor' },
    }));
    assert.deepEqual(res.ProcessedFindings, [{ Id: target.Id, ProductArn: target.ProductArn }]);
    assert.equal(res.UnprocessedFindings?.length, 1);
    assert.equal(res.UnprocessedFindings?.[0].ErrorCode, 'FindingNotFound');
    const after = (await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? [];
    const changed = after.find((f) => f.Id === target.Id);
    assert.equal(changed?.Workflow?.Status, 'RESOLVED');
    assert.equal(changed?.Note?.Text, 'fixed in change 42');
    assert.ok(target.UpdatedAt, 'the seeded finding has an UpdatedAt');
    assert.equal(changed?.UpdatedAt, target.UpdatedAt, 'BatchUpdateFindings does not change UpdatedAt (only the provider\'s BatchImportFindings does)');
    assert.equal(after.length, before.length, 'updated in place, not added');
    assert.equal(after.filter((f) => f.Workflow?.Status === 'RESOLVED').length, before.filter((f) => f.Workflow?.Status === 'RESOLVED').length + 1);
    hub.destroy();
  });

  test('GetCostAndUsage is computed per request from the seeded line items: By region and By tag give the same figures in either order, and month to date is the same under every grouping (moto hands out seeded results in first-asked order)', async () => {
    const today = utcToday(Date.now());
    const period = runPeriod([addMonths(monthOf(today), -1), monthOf(today)], today);
    const inputs = {
      headline: costAndUsageInput(HEADLINE_GROUPING, 'DAILY', period, 'all'),
      region: costAndUsageInput(groupingFor('REGION').grouping, 'DAILY', period, 'all'),
      tag: costAndUsageInput(groupingFor('TAG', TAG_KEY).grouping, 'DAILY', period, 'all'),
    };
    type Input = (typeof inputs)[keyof typeof inputs];
    const ask = async (order: (keyof typeof inputs)[]) => {
      const ce = new CostExplorerClient(cfg());
      const out: Partial<Record<keyof typeof inputs, string>> = {};
      for (const k of order) out[k] = JSON.stringify((await ce.send(new GetCostAndUsageCommand(inputs[k] as Input))).ResultsByTime);
      ce.destroy();
      return out;
    };
    const first = await ask(['region', 'tag', 'headline']);
    const second = await ask(['tag', 'headline', 'region']);
    assert.deepEqual(second, first, 'the same request gets the same figures whatever was asked before');
    const monthStart = `${monthOf(today)}-01`;
    const mtd = (json: string) => (JSON.parse(json) as { TimePeriod: { Start: string }; Groups: { Metrics: Record<string, { Amount: string }> }[] }[])
      .filter((r) => r.TimePeriod.Start >= monthStart)
      .reduce((sum, r) => sum + r.Groups.reduce((g, x) => g + Number(x.Metrics.UnblendedCost?.Amount ?? 0), 0), 0);
    const totals = Object.values(first).map((j) => mtd(j!));
    assert.ok(totals[0] > 0, `month to date has costs: ${totals[0]}`);
    for (const t of totals) assert.ok(Math.abs(t - totals[0]) < 1e-6, `month to date under every grouping: ${totals.join(' / ')}`);
  });

  test('GetCostForecast from the sandbox stand-in: DataUnavailableException (declared by AWS\'s model) for a new account with less than one full billing cycle of costs, under any Filter; a forecast once the 1st of last month is recorded; answers marked x-cloud-monitor-stand-in and fitting the model', async () => {
    const today = utcToday(Date.now());
    const lastMonthStart = `${addMonths(monthOf(today), -1)}-01`;
    const ask = async (from: string, withFilter: boolean) => {
      const fresh = await startSandboxGaps(moto, { costHistory: { from } });
      const headers: string[] = [];
      const ce = new CostExplorerClient({ ...moto.clientConfig(), endpoint: fresh.endpoint, maxAttempts: 1 });
      ce.middlewareStack.add((next) => async (args) => {
        const out = await next(args);
        headers.push(String((out.response as { headers?: Record<string, string> }).headers?.['x-cloud-monitor-stand-in']));
        return out;
      }, { step: 'deserialize', name: 'standInHeader' });
      try {
        const input = { TimePeriod: { Start: today, End: addDays(today, 5) }, Metric: 'UNBLENDED_COST' as const, Granularity: 'DAILY' as const, ...(withFilter ? { Filter: { Not: { Dimensions: { Key: 'RECORD_TYPE' as const, Values: ['Credit', 'Tax'] } } } } : {}) };
        const result = await ce.send(new GetCostForecastCommand(input)).then((r) => ({ ok: r }), (err: Error) => ({ err }));
        const mtd = await ce.send(new GetCostAndUsageCommand({ TimePeriod: { Start: `${monthOf(today)}-01`, End: addDays(today, 1) }, Granularity: 'MONTHLY', Metrics: ['UnblendedCost'] }));
        return { result, headers, mtd: Number(mtd.ResultsByTime?.[0]?.Total?.UnblendedCost?.Amount ?? 0) };
      } finally {
        ce.destroy();
        await fresh.close();
      }
    };
    for (const withFilter of [false, true]) {
      const young = await ask(addDays(lastMonthStart, 1), withFilter);
      assert.ok('err' in young.result, 'refused');
      assert.equal(young.result.err.name, 'DataUnavailableException');
      assert.equal(young.result.err.message, 'Insufficient amount of historical data.');
      assert.ok(young.mtd > 0, 'the young account still has month-to-date costs');
      const month = await ask(lastMonthStart, withFilter);
      assert.ok('ok' in month.result && Number(month.result.ok.Total?.Amount) > 0, 'one full billing cycle: a forecast');
      assert.deepEqual([...young.headers, ...month.headers], ['1', '1', '1', '1'], 'every answer is the stand-in\'s own');
    }
    // The error is one the model declares for GetCostForecast, with the members of its shape.
    const model = loadAwsModel('ce');
    assert.ok((model.operations.GetCostForecast as { errors?: { shape: string }[] }).errors?.some((e) => e.shape === 'DataUnavailableException'));
    assert.deepEqual(model.problems('DataUnavailableException', { Message: 'Insufficient amount of historical data.' }), []);
  });

  test('Logs Insights GetQueryResults through the sandbox stand-in gives @timestamp as Logs Insights writes it (UTC text with milliseconds, the event\'s own time), marked x-cloud-monitor-stand-in and fitting AWS\'s model; moto_server alone gives epoch milliseconds', async () => {
    const group = '/sandbox/insights-times';
    const at = Date.UTC(2026, 11, 3, 9, 8, 7, 654);
    const direct = new CloudWatchLogsClient(moto.clientConfig());
    await direct.send(new CreateLogGroupCommand({ logGroupName: group }));
    await direct.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
    await direct.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: at, message: 'one event' }] }));
    const results = async (client: CloudWatchLogsClient) => {
      const { queryId } = await client.send(new StartQueryCommand({ logGroupName: group, queryString: 'fields @timestamp, @message', startTime: Math.floor(at / 1000) - 60, endTime: Math.floor(at / 1000) + 60 }));
      for (;;) {
        const r = await client.send(new GetQueryResultsCommand({ queryId }));
        if (r.status !== 'Running' && r.status !== 'Scheduled') return r;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const viaMoto = await results(direct);
    assert.equal(viaMoto.results?.[0]?.find((c) => c.field === '@timestamp')?.value, String(at), 'moto answers epoch milliseconds');
    const headers: string[] = [];
    const logs = new CloudWatchLogsClient(cfg());
    logs.middlewareStack.add((next) => async (args) => {
      const out = await next(args);
      headers.push(String((out.response as { headers?: Record<string, string> }).headers?.['x-cloud-monitor-stand-in']));
      return out;
    }, { step: 'deserialize', name: 'standInHeader' });
    const viaStandIn = await results(logs);
    const { $metadata: _, ...answer } = viaStandIn;
    assert.equal(viaStandIn.results?.[0]?.find((c) => c.field === '@timestamp')?.value, '2026-12-03 09:08:07.654');
    assert.equal(viaStandIn.results?.[0]?.find((c) => c.field === '@message')?.value, 'one event');
    assert.equal(headers.at(-1), '1', 'GetQueryResults is the stand-in\'s answer');
    assert.deepEqual(loadAwsModel('logs').problems('GetQueryResultsResponse', answer), []);
    direct.destroy();
    logs.destroy();
  });

  test('GetCostForecast and GetAnomalies answer; S3 goes to moto unchanged', async () => {
    const ce = new CostExplorerClient(cfg());
    const today = utcToday(Date.now());
    const forecast = await ce.send(new GetCostForecastCommand({ TimePeriod: { Start: today, End: addDays(today, 5) }, Metric: 'UNBLENDED_COST', Granularity: 'DAILY' }));
    assert.ok(Number(forecast.Total?.Amount) > 0);
    assert.equal(forecast.ForecastResultsByTime?.length, 5);
    const anomalies = await ce.send(new GetAnomaliesCommand({ DateInterval: { StartDate: addDays(today, -30) } }));
    assert.equal(anomalies.Anomalies?.length, 1);
    ce.destroy();
    const s3 = new S3Client(cfg());
    const names = ((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name);
    assert.deepEqual(names, ['through-the-stand-in']);
    s3.destroy();
  });
});
