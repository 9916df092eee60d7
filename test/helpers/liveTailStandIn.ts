/**
 * A loopback CloudWatch Logs endpoint that serves StartLiveTail as a real event stream
 * (application/vnd.amazon.eventstream: binary messages with CRC32 checksums), because moto does not
 * serve it. The SDK's own event-stream deserializer reads what it sends, so tests see exactly what the
 * SDK gives the extension: events as items, and an `exception` message (SessionTimeoutException) thrown
 * from the iterator. The request is checked against botocore's CloudWatch Logs model.
 *
 *   const tail = await startLiveTailStandIn([{ event: 'sessionStart', body: {...} }, { exception: 'SessionTimeoutException', body: { message } }]);
 *   new CloudWatchLogsClient({ ...moto.clientConfig(), endpoint: tail.endpoint })
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { loadAwsModel } from './awsModel';
import { STAND_IN_HEADER } from './contractRecorder';

export type LiveTailMessage = { event: 'sessionStart' | 'sessionUpdate'; body: unknown } | { exception: 'SessionTimeoutException' | 'SessionStreamingException'; body: { message: string } };

export interface LiveTailStandIn {
  endpoint: string;
  /** Host headers and inputs of the StartLiveTail requests received. */
  requests: { host: string; input: Record<string, unknown> }[];
  /** Model violations in the requests. */
  problems: string[];
  /** Sends one more message on every open stream (with `keepOpen`). */
  send(message: LiveTailMessage): void;
  /** Streams still open (sessions the client has not ended). */
  readonly open: number;
  stop(): Promise<void>;
}

export interface LiveTailStandInOptions {
  /** Every other operation is passed through to this endpoint (moto_server), so one client serves both. */
  forward?: string;
  /** Keep each stream open after the messages (until the client ends it), as a live session does. */
  keepOpen?: boolean;
}

function forwardTo(endpoint: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const url = new URL(endpoint);
  const out = request({ hostname: url.hostname, port: url.port, path: req.url, method: req.method, headers: { ...req.headers, host: url.host } }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  out.on('error', (err) => res.writeHead(502).end(String(err)));
  out.end(body);
}

/** One event-stream message: prelude (total length, headers length, CRC), string headers, payload, CRC. */
export function encodeEventStreamMessage(headers: Record<string, string>, payload: Buffer): Buffer {
  const encoded = Object.entries(headers).map(([name, value]) => {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    h.writeUInt8(n.length, 0);
    n.copy(h, 1);
    h.writeUInt8(7, 1 + n.length); // 7: string
    h.writeUInt16BE(v.length, 2 + n.length);
    v.copy(h, 4 + n.length);
    return h;
  });
  const headerBytes = Buffer.concat(encoded);
  const total = 12 + headerBytes.length + payload.length + 4;
  const prelude = Buffer.alloc(8);
  prelude.writeUInt32BE(total, 0);
  prelude.writeUInt32BE(headerBytes.length, 4);
  const preludeCrc = Buffer.alloc(4);
  preludeCrc.writeUInt32BE(crc32(prelude) >>> 0, 0);
  const withoutCrc = Buffer.concat([prelude, preludeCrc, headerBytes, payload]);
  const messageCrc = Buffer.alloc(4);
  messageCrc.writeUInt32BE(crc32(withoutCrc) >>> 0, 0);
  return Buffer.concat([withoutCrc, messageCrc]);
}

export async function startLiveTailStandIn(messages: LiveTailMessage[], opts: LiveTailStandInOptions = {}): Promise<LiveTailStandIn> {
  const model = loadAwsModel('logs');
  const streams = new Set<ServerResponse>();
  const encode = (m: LiveTailMessage) => {
    const payload = Buffer.from(JSON.stringify(m.body), 'utf8');
    return 'event' in m
      ? encodeEventStreamMessage({ ':message-type': 'event', ':event-type': m.event, ':content-type': 'application/json' }, payload)
      : encodeEventStreamMessage({ ':message-type': 'exception', ':exception-type': m.exception, ':content-type': 'application/json' }, payload);
  };
  const requests: LiveTailStandIn['requests'] = [];
  const problems: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target !== `${model.metadata.targetPrefix}.StartLiveTail` && opts.forward) return forwardTo(opts.forward, req, Buffer.concat(chunks), res);
      if (target !== `${model.metadata.targetPrefix}.StartLiveTail`) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' }).end(JSON.stringify({ __type: 'UnknownOperationException', message: `the stand-in serves StartLiveTail only, not ${target}` }));
        return;
      }
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      requests.push({ host: String(req.headers.host ?? ''), input });
      const bad = model.problems(model.operations.StartLiveTail.input!.shape, input);
      if (bad.length) {
        problems.push(...bad);
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' }).end(JSON.stringify({ __type: 'InvalidParameterException', message: bad.join('; ') }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', [STAND_IN_HEADER]: '1' });
      for (const m of messages) res.write(encode(m));
      if (!opts.keepOpen) return void res.end();
      streams.add(res);
      res.on('close', () => streams.delete(res));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    problems,
    send: (m) => { for (const res of streams) res.write(encode(m)); },
    get open() { return streams.size; },
    stop: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
