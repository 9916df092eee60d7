// A recorded-response endpoint in front of moto_server, for the Cost Explorer calls moto lacks.
// GetCostForecast, GetAnomalyMonitors and GetAnomalies (HTTP 500 in moto 5.2.1) are answered here with
// recorded responses; everything else (GetCostAndUsage, STS, …) is forwarded to moto unchanged. Every
// Cost Explorer request is counted at the HTTP level, which is what Cost Explorer bills.
//
// Every answer made here is held to AWS's model of Cost Explorer (botocore's, test/helpers/awsModel.ts):
// a request that does not fit the operation's input shape is refused with ValidationException, as AWS
// refuses it; an answer that does not fit the output shape, or an error the operation does not declare,
// is a defect of the stand-in and fails the request (HTTP 500 naming the problems). A recorded answer
// refuses by throwing AwsErrorAnswer. Answers made here carry `x-cloud-monitor-stand-in: 1`.
//
// moto's GetCostAndUsage hands out the results seeded through POST /moto-api/static/ce/cost-and-usage-results
// in order: the first request with a body it has not seen takes the next queued result, and the same body
// gets the same result again (moto/ce/models.py get_cost_and_usage). `seedCostAndUsage` queues them.
import { forward, reply, startLoopback } from './loopback';
import { STAND_IN_HEADER } from './contractRecorder';
import { loadAwsModel, type AwsModel } from './awsModel';

/** Thrown by a recorded answer: the stand-in answers with this AWS error (JSON 1.1 protocol), as Cost Explorer would. */
export class AwsErrorAnswer extends Error {
  constructor(readonly type: string, message: string, readonly status = 400) {
    super(message);
    // The SDK names a service exception after its type, so an in-process fake that rejects with this matches it.
    this.name = type;
  }
}

/** Marks every response a stand-in made (not forwarded from moto); the contract check reads it. */
export { STAND_IN_HEADER };

let ceModel: AwsModel | undefined;

/** Checks one recorded exchange against Cost Explorer's model: [] when request and answer fit. */
export function ceModelProblems(op: string, body: unknown, answer: { ok: unknown } | { error: AwsErrorAnswer }): { input: string[]; output: string[] } {
  ceModel ??= loadAwsModel('ce');
  const operation = ceModel.operations[op] as AwsModel['operations'][string] & { errors?: { shape: string }[] } | undefined;
  if (!operation) return { input: [`${op}: not an operation of Cost Explorer`], output: [] };
  const input = operation.input ? ceModel.problems(operation.input.shape, body) : [];
  let output: string[] = [];
  if ('ok' in answer) output = operation.output ? ceModel.problems(operation.output.shape, answer.ok) : [];
  else if (answer.error.type !== 'ValidationException') {
    output = (operation.errors ?? []).some((e) => e.shape === answer.error.type)
      ? ceModel.problems(answer.error.type, { Message: answer.error.message })
      : [`${op}: ${answer.error.type} is not an error the model declares for it`];
  }
  return { input, output };
}

/** accessKeyId: the signer's key (from the SigV4 Authorization header), so an answer can depend on the calling account. */
export interface CeRequest { op: string; body: Record<string, unknown>; accessKeyId?: string }

export interface CeEndpoint {
  url: string;
  /** Cost Explorer requests seen (any target starting with AWSInsightsIndexService). */
  requests: CeRequest[];
  count(op?: string): number;
  /** Recorded answers by operation; a function gets the request body and the signer's access key id. */
  recorded: Record<string, (body: Record<string, unknown>, caller: { accessKeyId?: string }) => unknown>;
  /** Set by a test to hold an operation's answers until the promise it returns settles (undefined: answer now). */
  hold?: (op: string) => Promise<void> | undefined;
  close(): Promise<void>;
}

export async function startCeEndpoint(motoEndpoint: string, recorded: CeEndpoint['recorded'] = {}): Promise<CeEndpoint> {
  const requests: CeRequest[] = [];
  const server = await startLoopback(async (req, res, body) => {
    try {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.startsWith('AWSInsightsIndexService.')) {
        const op = target.split('.')[1];
        const json = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        const accessKeyId = /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
        requests.push({ op, body: json, accessKeyId });
        await endpoint.hold?.(op);
        const answer = endpoint.recorded[op];
        if (answer) {
          const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `recorded-${requests.length}`, [STAND_IN_HEADER]: '1' };
          let result: { ok: unknown } | { error: AwsErrorAnswer };
          const refusal = ceModelProblems(op, json, { ok: undefined }).input;
          if (refusal.length) result = { error: new AwsErrorAnswer('ValidationException', refusal.join('; ')) };
          else {
            try {
              result = { ok: answer(json, { accessKeyId }) };
            } catch (err) {
              if (!(err instanceof AwsErrorAnswer)) throw err;
              result = { error: err };
            }
          }
          const defects = ceModelProblems(op, json, result).output;
          if (defects.length) throw new Error(`the Cost Explorer stand-in's answer to ${op} does not fit AWS's model: ${defects.join('; ')}`);
          if ('ok' in result) {
            res.writeHead(200, headers);
            res.end(JSON.stringify(result.ok));
          } else {
            res.writeHead(result.error.status, { ...headers, 'x-amzn-errortype': result.error.type });
            res.end(JSON.stringify({ __type: result.error.type, Message: result.error.message }));
          }
          return;
        }
      }
      reply(res, await forward(motoEndpoint, req, body));
    } catch (err) {
      res.writeHead(err instanceof Error && err.message.startsWith('the Cost Explorer stand-in') ? 500 : 502, { 'content-type': 'text/plain', [STAND_IN_HEADER]: '1' });
      res.end(String(err));
    }
  });
  const endpoint: CeEndpoint = {
    url: server.url,
    requests,
    recorded,
    count: (op) => (op ? requests.filter((r) => r.op === op).length : requests.length),
    close: server.close,
  };
  return endpoint;
}

/** Queues GetCostAndUsage results in moto, in the order the requests will be made. */
export async function seedCostAndUsage(motoEndpoint: string, results: unknown[], accountId = '123456789012'): Promise<void> {
  const res = await fetch(`${motoEndpoint}/moto-api/static/ce/cost-and-usage-results`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account_id: accountId, results }),
  });
  if (res.status !== 201) throw new Error(`seeding Cost Explorer results failed: HTTP ${res.status} ${await res.text()}`);
}
