// A recorded-response endpoint in front of moto_server, for the Cost Explorer calls moto lacks.
// GetCostForecast, GetAnomalyMonitors and GetAnomalies (HTTP 500 in moto 5.2.1) are answered here with
// recorded responses; everything else (GetCostAndUsage, STS, …) is forwarded to moto unchanged. Every
// Cost Explorer request is counted at the HTTP level, which is what Cost Explorer bills.
//
// moto's GetCostAndUsage hands out the results seeded through POST /moto-api/static/ce/cost-and-usage-results
// in order: the first request with a body it has not seen takes the next queued result, and the same body
// gets the same result again (moto/ce/models.py get_cost_and_usage). `seedCostAndUsage` queues them.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STAND_IN_HEADER } from '../../src/aws/contractRecorder';

export interface CeRequest { op: string; body: Record<string, unknown> }

export interface CeEndpoint {
  url: string;
  /** Cost Explorer requests seen (any target starting with AWSInsightsIndexService). */
  requests: CeRequest[];
  count(op?: string): number;
  /** Recorded answers by operation; a function gets the request body. */
  recorded: Record<string, (body: Record<string, unknown>) => unknown>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startCeEndpoint(motoEndpoint: string, recorded: CeEndpoint['recorded'] = {}): Promise<CeEndpoint> {
  const requests: CeRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.startsWith('AWSInsightsIndexService.')) {
        const op = target.split('.')[1];
        const json = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
        requests.push({ op, body: json });
        const answer = endpoint.recorded[op];
        if (answer) {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `recorded-${requests.length}`, [STAND_IN_HEADER]: '1' });
          res.end(JSON.stringify(answer(json)));
          return;
        }
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const upstream = await fetch(`${motoEndpoint}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body) });
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => { if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'content-encoding') out[k] = v; });
      res.writeHead(upstream.status, out);
      res.end(Buffer.from(await upstream.arrayBuffer()));
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint: CeEndpoint = {
    url: `http://127.0.0.1:${port}`,
    requests,
    recorded,
    count: (op) => (op ? requests.filter((r) => r.op === op).length : requests.length),
    close: () => new Promise((resolve) => server.close(() => resolve())),
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
