// What moto cannot do per account and region: Security Hub not enabled in one region (moto's GetFindings answers
// in every region, enabled or not) and a service denied in one region only (moto's IAM enforcement ignores
// aws:RequestedRegion). A proxy in front of moto_server (startFaultProxy) answers those requests with the error
// AWS sends, in each service's documented error format, so the SDK's real deserializer and our error
// classification run on them; every other request goes to moto. A request's account is known by its access key
// (`keyAccounts`, filled as the SSO portal stand-in issues role credentials), its region and service by the
// credential scope of its SigV4 Authorization header.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pipeUpstream } from './loopback';
import type { AddressInfo } from 'node:net';
import { STAND_IN_HEADER } from './contractRecorder';

export interface RegionFault {
  account: string;
  region: string;
  /** securityhub: "not subscribed" (InvalidAccessException); logs: AccessDeniedException. */
  service: 'securityhub' | 'logs';
}

export interface RegionFaultProxy {
  endpoint: string;
  /** Requests seen per `account/region/service` (signing scope), answered or forwarded. */
  seen: Map<string, number>;
  close(): Promise<void>;
}

const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

/** The error AWS sends for a fault, in the service's own error format. */
function answer(f: RegionFault): { status: number; headers: Record<string, string>; body: string } {
  if (f.service === 'securityhub') {
    // Security Hub (restJson1): 401, the error type in x-amzn-errortype, a Code/Message body.
    return { status: 401, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidAccessException' }, body: JSON.stringify({ Code: 'InvalidAccessException', Message: `Account ${f.account} is not subscribed to AWS Security Hub` }) };
  }
  // CloudWatch Logs (awsJson1_1): 400 with __type.
  return { status: 400, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: 'AccessDeniedException', message: `User: arn:aws:sts::${f.account}:assumed-role/ViewOnly/cloud-monitor is not authorized to perform: logs:DescribeLogGroups in ${f.region} with an explicit deny in a service control policy` }) };
}

/**
 * Forwards to moto unchanged, Host header included: moto enforces IAM here, and SigV4 signs the Host the
 * client sent (the s3FaultProxy rewrites it, which moto's signature check would refuse).
 */
export async function startRegionFaultProxy(target: string, faults: RegionFault[], keyAccounts: Map<string, string>): Promise<RegionFaultProxy> {
  const upstream = new URL(target);
  const seen = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const m = SCOPE.exec(String(req.headers.authorization ?? ''));
    if (m) {
      const [, key, region, service] = m;
      const account = keyAccounts.get(key) ?? '?';
      const where = `${account}/${region}/${service}`;
      seen.set(where, (seen.get(where) ?? 0) + 1);
      const fault = faults.find((f) => f.account === account && f.region === region && f.service === service);
      if (fault) {
        req.resume();
        const a = answer(fault);
        res.writeHead(a.status, { ...a.headers, 'x-amzn-requestid': 'REGIONFAULT0001', [STAND_IN_HEADER]: '1' });
        res.end(a.body);
        return;
      }
    }
    pipeUpstream(upstream, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
