// A loopback proxy in front of moto_server that lets one DynamoDB write through at a time.
// DynamoDB applies a conditional write atomically (condition check and write as one step, per item);
// moto 5.2.1 evaluates the condition and then writes without a lock, so two concurrent requests can
// both pass the same condition. Serializing writes restores DynamoDB's guarantee; reads and every
// other service pass through concurrently. Used by tests that race many consumers on one alert key.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface AtomicProxy {
  endpoint: string;
  /** DynamoDB writes that went through the proxy, and the most that were ever waiting at once. */
  stats: { writes: number; peakWaiting: number };
  close(): Promise<void>;
}

export async function startDdbAtomicProxy(target: string): Promise<AtomicProxy> {
  const upstream = new URL(target);
  const stats = { writes: 0, peakWaiting: 0 };
  let waiting = 0;
  let chain: Promise<void> = Promise.resolve();

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const up = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
          upRes.on('end', resolve);
          upRes.on('error', () => resolve());
        },
      );
      up.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
        resolve();
      });
      up.end(body);
    });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      if (!WRITES.has(op)) return void forward(req, body, res);
      stats.writes++;
      waiting++;
      stats.peakWaiting = Math.max(stats.peakWaiting, waiting);
      chain = chain.then(async () => {
        waiting--;
        await forward(req, body, res);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
