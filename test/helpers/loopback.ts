// The one shape of every loopback stand-in the tests put in front of (or instead of) moto_server: an HTTP
// server on 127.0.0.1 and a free port, whose handler gets the whole request body, and which can pass a
// request through to moto unchanged. A handler that throws answers 500 (or what `onError` writes), never
// hangs the client.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LoopbackHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void | Promise<void>;

export interface Loopback {
  /** `http://127.0.0.1:PORT` */
  url: string;
  server: Server;
  /** Closes open connections too, so a keep-alive client does not hold the test open. */
  close(): Promise<void>;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A server (not yet listening) whose handler gets the body; `listenLoopback` starts it. */
export function loopbackServer(handle: LoopbackHandler, onError?: (res: ServerResponse, err: unknown) => void): Server {
  return createServer((req, res) => {
    void (async () => handle(req, res, await readBody(req)))().catch((err: unknown) => {
      if (onError) onError(res, err);
      else if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      else res.end();
    });
  });
}

export async function listenLoopback(server: Server): Promise<Loopback> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Starts a loopback server on a free port. */
export function startLoopback(handle: LoopbackHandler, onError?: (res: ServerResponse, err: unknown) => void): Promise<Loopback> {
  return listenLoopback(loopbackServer(handle, onError));
}

export interface Forwarded { status: number; headers: Record<string, string>; body: Buffer }

/** Sends the request on to `upstream` (moto_server) as it came, and returns the answer with its framing headers dropped. */
export async function forward(upstream: string, req: IncomingMessage, body: Buffer): Promise<Forwarded> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
  const res = await fetch(`${upstream}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body) });
  const out: Record<string, string> = {};
  // fetch has already decoded and de-chunked the body; a HEAD's length is the object's, kept as it came.
  const head = req.method === 'HEAD';
  res.headers.forEach((v, k) => { if ((head || k !== 'content-length') && k !== 'transfer-encoding' && k !== 'content-encoding') out[k] = v; });
  return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
}

/**
 * Writes a forwarded answer (or one edited from it) back to the client, with the Content-Length of its body
 * as S3 and every AWS service send it (an answer without one went out chunked: a reader that sizes itself by
 * it, as the S3 result read does, took another path than against AWS). A HEAD keeps the length it came with.
 */
export function reply(res: ServerResponse, answer: Forwarded): void {
  const asCame = answer.status === 204 || answer.status === 304 || answer.headers['content-length'] !== undefined;
  const length = asCame ? {} : { 'content-length': String(answer.body.length) };
  res.writeHead(answer.status, { ...answer.headers, ...length }).end(answer.body);
}

/**
 * Streams a request on to `upstream` as it came (method, path, headers; `host`: the Host header to send, by default
 * the client's own) and the answer back as it comes; an upstream that cannot be reached answers 502. `body`: the
 * request's body when it has been read already (otherwise the request itself is piped on).
 */
export function pipeUpstream(upstream: URL, req: IncomingMessage, res: ServerResponse, opts: { host?: string; body?: Buffer } = {}): void {
  const headers = opts.host === undefined ? req.headers : { ...req.headers, host: opts.host };
  const up = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (upRes) => {
    res.writeHead(upRes.statusCode ?? 502, upRes.headers);
    upRes.pipe(res);
  });
  up.on('error', () => {
    res.writeHead(502);
    res.end();
  });
  if (opts.body) up.end(opts.body);
  else req.pipe(up);
}
