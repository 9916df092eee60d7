// What the sandbox's CloudWatch Logs (moto_server 5.2.1, through the sandbox stand-in) does not do, as the
// README's Sandbox section says. Each claim is run here, so the README cannot drift from the emulator: when a
// moto upgrade starts honouring one of these, this test fails and the README line goes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startMoto, type Moto } from '../helpers/moto';
import { startSandboxGaps, type SandboxGaps } from '../sandbox/gaps';

const GROUP = '/sandbox/limits';
const LINES = [
  '{"level":"ERROR","app":"checkout","msg":"payment provider timed out after 3000 ms"}',
  '{"level":"WARN","app":"payments","msg":"slow batch: 250 ms"}',
  '{"level":"INFO","app":"search","msg":"processed batch of 3 events"}',
  '2026-12-03 ERROR plain text line timed out',
  'INFO plain text ok line',
];

describe('the sandbox\'s CloudWatch Logs (moto_server 5.2.1 through the sandbox stand-in): which filter patterns and Insights commands the emulator honours and which it ignores, as the README says', () => {
  let moto: Moto;
  let gaps: SandboxGaps;
  let logs: CloudWatchLogsClient;
  const now = Date.now();

  before(async () => {
    moto = await startMoto();
    gaps = await startSandboxGaps(moto);
    logs = new CloudWatchLogsClient({ ...moto.clientConfig(), endpoint: gaps.endpoint });
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 's', logEvents: LINES.map((message, i) => ({ message, timestamp: now - 10_000 + i * 1000 })) }));
  });
  after(async () => {
    logs?.destroy();
    await gaps?.close();
    await moto?.stop();
  });

  const filter = async (filterPattern: string) => {
    const r = await logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern, startTime: now - 60_000, endTime: now + 60_000 }));
    return (r.events ?? []).map((e) => LINES.indexOf(e.message ?? ''));
  };
  const insights = async (queryString: string) => {
    const { queryId } = await logs.send(new StartQueryCommand({ logGroupName: GROUP, queryString, startTime: Math.floor(now / 1000) - 60, endTime: Math.floor(now / 1000) + 60 }));
    for (;;) {
      const r = await logs.send(new GetQueryResultsCommand({ queryId }));
      if (r.status !== 'Running' && r.status !== 'Scheduled') return r.results ?? [];
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  test('FilterLogEvents honours plain terms (all of them, case-sensitive) and quoted phrases', async () => {
    assert.deepEqual(await filter('ERROR'), [0, 3]);
    assert.deepEqual(await filter('error'), []);
    assert.deepEqual(await filter('ERROR timed'), [0, 3]);
    assert.deepEqual(await filter('"timed out"'), [0, 3]);
  });

  test('FilterLogEvents ignores JSON, regex, space-delimited and ?-OR patterns (every event comes back), and a -term exclusion matches nothing', async () => {
    const every = [0, 1, 2, 3, 4];
    assert.deepEqual(await filter('{ $.level = "ERROR" }'), every, 'AWS: [0]');
    assert.deepEqual(await filter('%ERR.R%'), every, 'AWS: [0, 3]');
    assert.deepEqual(await filter('[date, level=ERROR, ...]'), every, 'AWS: [3]');
    assert.deepEqual(await filter('?ERROR ?WARN'), every, 'AWS: [0, 1, 3]');
    assert.deepEqual(await filter('ERROR -plain'), [], 'AWS: [0]');
  });

  test('Logs Insights ignores filter and stats and finds no fields inside JSON messages; it honours sort and limit; @timestamp comes back as text (the stand-in writes it; moto gives epoch ms)', async () => {
    const messages = (rows: { field?: string; value?: string }[][]) => rows.map((r) => LINES.indexOf(r.find((c) => c.field === '@message')?.value ?? ''));
    assert.deepEqual(messages(await insights('fields @timestamp, @message | filter @message like /ERROR/')), [4, 3, 2, 1, 0], 'AWS: the two ERROR lines');
    assert.deepEqual(messages(await insights('fields @timestamp, @message | filter level = "ERROR"')), [4, 3, 2, 1, 0], 'AWS: line 0');
    const stats = await insights('stats count(*) by bin(5m)');
    assert.deepEqual(stats.map((r) => r.map((c) => c.field)), LINES.map(() => ['@ptr']), 'AWS: one row per 5-minute bin with count(*)');
    const json = await insights('fields level, app');
    assert.deepEqual(json.map((r) => r.map((c) => c.field)), LINES.map(() => ['@ptr']), 'AWS: level and app discovered in the JSON');
    const sorted = await insights('fields @timestamp, @message | sort @timestamp asc | limit 2');
    assert.deepEqual(messages(sorted), [0, 1]);
    assert.match(sorted[0].find((c) => c.field === '@timestamp')?.value ?? '', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
  });
});
