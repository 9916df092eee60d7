// The scope's one concurrency limit (src/aws/scope/limit.ts) holds a slot while a request is on the wire: each
// attempt takes one just before it is signed and gives it back once its answer is read. A throttled account's
// back-off between attempts holds no slot, so the other accounts go on meanwhile. Against moto_server, behind a
// loopback stand-in that answers one account's first attempts with ThrottlingException.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ClientFactory } from '../../src/aws/clientFactory';
import { Limiter, limitClient } from '../../src/aws/scope/limit';
import { forward, reply, startLoopback, type Loopback } from '../helpers/loopback';
import { startMoto, type Moto } from '../helpers/moto';
import { credentialScope } from '../helpers/recordedRequests';
import { STAND_IN_HEADER } from '../helpers/contractRecorder';

let moto: Moto;
let standIn: Loopback;
const THROTTLED = 'AKIATHROTTLED0001';
const CALM = 'AKIACALM000000001';
/** Attempts of the throttled account answered ThrottlingException before it is let through. */
const THROTTLES = 2;
const log: string[] = [];

before(async () => {
  moto = await startMoto();
  let throttled = 0;
  standIn = await startLoopback(async (req, res, body) => {
    const key = credentialScope(req.headers.authorization)?.accessKeyId ?? '?';
    if (key === THROTTLED && throttled < THROTTLES) {
      throttled++;
      log.push(`${key} throttled`);
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' }).end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      return;
    }
    log.push(`${key} answered`);
    reply(res, await forward(moto.endpoint, req, body));
  });
});
after(async () => {
  await standIn?.close();
  await moto?.stop();
});

test('a throttled account\'s back-off holds no slot: under a limit of 1 another account is answered in between (moto_server)', async () => {
  const files = { configFile: {}, credentialsFile: {} };
  const factory = new ClientFactory(() => ({ files, profiles: [], env: { AWS_ENDPOINT_URL: standIn.url } }));
  for (const key of [THROTTLED, CALM]) factory.provide(key, async () => ({ accessKeyId: key, secretAccessKey: 'secret' }));
  const limiter = new Limiter(() => 1);
  const client = (key: string) => limitClient(factory.get(CloudWatchLogsClient, key, 'us-east-1', 'logs'), limiter);
  const done: string[] = [];
  const throttled = client(THROTTLED).send(new DescribeLogGroupsCommand({})).then(() => done.push(THROTTLED));
  const calm = client(CALM).send(new DescribeLogGroupsCommand({})).then(() => done.push(CALM));
  await Promise.all([throttled, calm]);
  assert.deepEqual(log, [`${THROTTLED} throttled`, `${CALM} answered`, `${THROTTLED} throttled`, `${THROTTLED} answered`], 'the calm account went while the throttled one backed off');
  assert.deepEqual(done, [CALM, THROTTLED]);
  assert.equal(limiter.peak, 1, 'never more than the limit on the wire');
  assert.equal(limiter.inFlight, 0);
  factory.clear();
});
