/**
 * A loopback CloudWatch Logs endpoint for Logs Insights that pages GetQueryResults the way AWS's API
 * model describes it, because moto returns every result in one response and never a nextToken:
 *   - StartQuery's `limit` (1..100,000) caps the results; without it AWS returns 10,000.
 *   - GetQueryResults reports `Running` (with partial results) for `runningPolls` polls, then
 *     `Complete`; from then on it returns at most `maxItems` events a call (10,000 when not given,
 *     the model's maximum) and a `nextToken` while more remain.
 * Every request is checked against the model (test/helpers/awsModel.ts): one that does not fit is
 * answered 400 InvalidParameterException, as AWS would, and recorded in `problems`. Every answer is
 * checked against the output shape too, so the stand-in cannot drift from the model.
 *
 *   const insights = await startInsightsStandIn({ matched: 25_000 });
 *   new CloudWatchLogsClient({ ...moto.clientConfig(), endpoint: insights.endpoint })
 */
import type { ServerResponse } from 'node:http';
import { startLoopback } from './loopback';
import { loadAwsModel } from './awsModel';
import { STAND_IN_HEADER } from './contractRecorder';

export interface InsightsStandIn {
  endpoint: string;
  /** Requests by operation name, their inputs in order. */
  calls: Record<string, Record<string, unknown>[]>;
  /** Model violations in requests the SDK sent or answers the stand-in gave. Empty when all fit. */
  problems: string[];
  stop(): Promise<void>;
}

export const INSIGHTS_DEFAULT_LIMIT = 10_000;

function resultRow(i: number): { field: string; value: string }[] {
  return [
    { field: '@timestamp', value: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString().replace('T', ' ').replace('Z', '') },
    { field: '@message', value: `event ${i}` },
    { field: '@ptr', value: `ptr-${i}` },
  ];
}

export async function startInsightsStandIn(opts: { matched: number; runningPolls?: number }): Promise<InsightsStandIn> {
  const model = loadAwsModel('logs');
  const prefix = model.metadata.targetPrefix ?? 'Logs_20140328';
  const calls: InsightsStandIn['calls'] = {};
  const problems: string[] = [];
  const queries = new Map<string, { available: number; pollsLeft: number }>();
  let next = 0;

  const answer = (res: ServerResponse, op: string, body: Record<string, unknown>) => {
    const shape = model.operations[op]?.output?.shape;
    if (shape) problems.push(...model.problems(shape, body).map((p) => `answer: ${p}`));
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' }).end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, type: string, message: string) => {
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' }).end(JSON.stringify({ __type: type, message }));
  };

  const server = await startLoopback((req, res, body) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith(`${prefix}.`) ? target.slice(prefix.length + 1) : '';
    const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    (calls[op] ??= []).push(input);
    const inputShape = model.operations[op]?.input?.shape;
    if (!inputShape) return fail(res, 'UnknownOperationException', `the stand-in does not serve ${target}`);
    const bad = model.problems(inputShape, input);
    if (bad.length) {
      problems.push(...bad.map((p) => `request: ${p}`));
      return fail(res, 'InvalidParameterException', bad.join('; '));
    }
    if (op === 'StartQuery') {
      const queryId = `standin-${++next}`;
      queries.set(queryId, { available: Math.min(opts.matched, (input.limit as number | undefined) ?? INSIGHTS_DEFAULT_LIMIT), pollsLeft: opts.runningPolls ?? 0 });
      return answer(res, op, { queryId });
    }
    const q = queries.get(String(input.queryId));
    if (!q) return fail(res, 'ResourceNotFoundException', 'Query does not exist.');
    if (op === 'StopQuery') {
      q.pollsLeft = 0;
      return answer(res, op, { success: true });
    }
    if (op !== 'GetQueryResults') return fail(res, 'UnknownOperationException', `the stand-in does not serve ${op}`);
    const statistics = { recordsMatched: opts.matched, recordsScanned: opts.matched * 2, bytesScanned: opts.matched * 200 };
    if (q.pollsLeft > 0) {
      q.pollsLeft--;
      // A running query's results are partial.
      return answer(res, op, { status: 'Running', results: Array.from({ length: Math.min(3, q.available) }, (_, i) => resultRow(i)), statistics });
    }
    const token = input.nextToken as string | undefined;
    const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8').split(':')[1]) : 0;
    const size = (input.maxItems as number | undefined) || INSIGHTS_DEFAULT_LIMIT;
    const end = Math.min(q.available, start + size);
    const page: Record<string, unknown> = { status: 'Complete', results: Array.from({ length: end - start }, (_, i) => resultRow(start + i)), statistics };
    if (end < q.available) page.nextToken = Buffer.from(`${String(input.queryId)}:${end}`).toString('base64url');
    return answer(res, op, page);
  });
  return { endpoint: server.url, calls, problems, stop: server.close };
}
