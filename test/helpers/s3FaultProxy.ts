// A small HTTP proxy in front of moto_server that answers chosen buckets with the error S3 itself
// would send, and optionally answers requests moto cannot serve with recorded responses. moto does not enforce IAM (every call is allowed) and serves every region from one
// endpoint, so AccessDenied and wrong-region redirects cannot come from moto alone.
// The bodies follow S3's documented error format
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html), so the SDK's real
// deserializer and our error classification run on them.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeUpstream } from './loopback';
import type { AddressInfo } from 'node:net';
import { STAND_IN_HEADER } from './contractRecorder';

export type S3Fault = 'AccessDenied' | 'PermanentRedirect';

export interface FaultProxy {
  endpoint: string;
  /** Requests seen per bucket (first path segment), for assertions. */
  hits: Map<string, number>;
  /** Requests in flight right now, and the most ever at once. */
  inFlight: { now: number; peak: number };
  close(): Promise<void>;
}

function errorXml(code: string, message: string, bucket: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><BucketName>${bucket}</BucketName>${extra}<RequestId>FAULTPROXY0001</RequestId><HostId>faultproxy</HostId></Error>`;
}

/** A canned answer for a request moto cannot serve (e.g. Security Hub BatchUpdateFindings). */
type Answer = { status: number; headers?: Record<string, string>; body: string } | undefined;
export type Intercept = (req: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }) => Answer | Promise<Answer>;

/** keepHost: forward the client's Host header unchanged (moto with IAM enforced checks SigV4 signatures, which cover it). */
export async function startFaultProxy(target: string, faults: Record<string, S3Fault>, opts: { latencyMs?: number; intercept?: Intercept; keepHost?: boolean } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const hits = new Map<string, number>();
  const inFlight = { now: 0, peak: 0 };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const bucket = decodeURIComponent((req.url ?? '/').split('?')[0].split('/')[1] ?? '');
    hits.set(bucket, (hits.get(bucket) ?? 0) + 1);
    inFlight.now++;
    inFlight.peak = Math.max(inFlight.peak, inFlight.now);
    res.on('close', () => inFlight.now--);
    const go = () => {
      const fault = faults[bucket];
      if (fault === 'AccessDenied') {
        req.resume();
        res.writeHead(403, { 'content-type': 'application/xml', 'x-amz-request-id': 'FAULTPROXY0001', [STAND_IN_HEADER]: '1' });
        res.end(errorXml('AccessDenied', 'Access Denied', bucket));
        return;
      }
      if (fault === 'PermanentRedirect') {
        req.resume();
        res.writeHead(301, { 'content-type': 'application/xml', 'x-amz-bucket-region': 'ap-south-1', [STAND_IN_HEADER]: '1' });
        res.end(errorXml('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', bucket, `<Endpoint>${bucket}.s3.ap-south-1.amazonaws.com</Endpoint>`));
        return;
      }
      const forward = (body?: Buffer) => pipeUpstream(upstream, req, res, { host: opts.keepHost ? req.headers.host : upstream.host, body });
      if (!opts.intercept) return forward();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        Promise.resolve(opts.intercept!({ method: req.method ?? '', url: req.url ?? '', body: body.toString('utf8'), headers: req.headers })).then(
          (answer) => {
            if (!answer) return forward(body);
            res.writeHead(answer.status, { 'content-type': 'application/json', [STAND_IN_HEADER]: '1', ...answer.headers });
            res.end(answer.body);
          },
          (err: unknown) => {
            res.writeHead(500, { 'content-type': 'application/json', [STAND_IN_HEADER]: '1' });
            res.end(JSON.stringify({ message: `the proxy could not answer: ${err instanceof Error ? err.message : String(err)}` }));
          },
        );
      });
    };
    if (opts.latencyMs) setTimeout(go, opts.latencyMs);
    else go();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    hits,
    inFlight,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
