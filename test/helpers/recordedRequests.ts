/**
 * Records the requests every SDK v3 client in this process would send to AWS, fully built and signed,
 * and never sends them: the Node HTTP request handler (the one every client, and the SSO and STS clients
 * inside the credential providers, sends through) is replaced for the duration of a test. A request is
 * answered by `answer` when it returns a response (e.g. SSO GetRoleCredentials, so the signing that
 * follows uses the role's keys); otherwise the send fails with RequestNotSent, which no retry strategy
 * retries. Unit tests only: no socket is opened.
 */
import { Readable } from 'node:stream';
import { STSClient } from '@aws-sdk/client-sts';

export interface RecordedRequest {
  method: string;
  host: string;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body: string;
  /** From the Authorization header's credential scope (SigV4); undefined for an unsigned request. */
  signing?: { accessKeyId: string; date: string; region: string; service: string };
}

export interface CannedResponse { statusCode: number; headers?: Record<string, string>; body: string }

export class RequestNotSent extends Error {
  override name = 'RequestNotSent';
}

interface SdkHttpRequest {
  method: string; hostname: string; path: string; query?: Record<string, string | string[] | null>;
  headers: Record<string, string>; body?: unknown;
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return body === undefined ? '' : '(stream)';
}

/** Parses `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …`. */
export function credentialScope(authorization: string | undefined): RecordedRequest['signing'] {
  const m = /Credential=([^/,]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] } : undefined;
}

export function recordRequests(answer: (r: RecordedRequest) => CannedResponse | undefined = () => undefined): { requests: RecordedRequest[]; restore(): void } {
  // The handler class is not a direct dependency: take it from a client, which builds one at construction.
  const probe = new STSClient({ region: 'us-east-1' });
  const proto = Object.getPrototypeOf((probe.config as unknown as { requestHandler: object }).requestHandler) as { handle: (req: SdkHttpRequest) => Promise<unknown> };
  probe.destroy();
  const original = proto.handle;
  const requests: RecordedRequest[] = [];
  proto.handle = async function (req: SdkHttpRequest) {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const r: RecordedRequest = {
      method: req.method, host: req.hostname, path: req.path, query: { ...req.query }, headers, body: bodyText(req.body),
      signing: credentialScope(headers.authorization),
    };
    requests.push(r);
    const canned = answer(r);
    if (!canned) throw new RequestNotSent(`recorded, not sent: ${r.method} https://${r.host}${r.path}`);
    return { response: { statusCode: canned.statusCode, headers: canned.headers ?? {}, body: Readable.from([Buffer.from(canned.body)]) } };
  };
  return { requests, restore: () => { proto.handle = original; } };
}
