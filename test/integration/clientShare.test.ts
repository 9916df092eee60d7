// The clients one ClientFactory makes of one SDK class share one HTTP handler (src/aws/clientShare.ts): a scope's
// clients, one per account × region, reuse each other's connections instead of each opening its own (a TCP and
// TLS handshake per client on AWS), while every request is still signed with its own member's credentials and
// region. Against moto_server, behind a keep-alive loopback that counts the connections the clients open and
// reads which key and region signed each request.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ClientFactory } from '../../src/aws/clientFactory';
import { forward, reply, startLoopback } from '../helpers/loopback';
import { startMoto, type Moto } from '../helpers/moto';
import { credentialScope } from '../helpers/recordedRequests';

let moto: Moto;
const saved = { ...process.env };

/**
 * A keep-alive loopback in front of moto_server (which closes every connection after its answer): each request
 * passed through unchanged; how many connections the clients opened, and which key and region signed each request.
 */
interface CountingProxy { endpoint: string; connections: number; signed: { key: string; region: string }[]; close(): Promise<void> }
async function countingProxy(upstream: string): Promise<CountingProxy> {
  const signed: CountingProxy['signed'] = [];
  const lb = await startLoopback(async (req, res, body) => {
    const s = credentialScope(req.headers.authorization);
    if (s) signed.push({ key: s.accessKeyId, region: s.region });
    const answer = await forward(upstream, req, body);
    delete answer.headers.connection;
    reply(res, answer);
  });
  const proxy: CountingProxy = { endpoint: lb.url, connections: 0, signed, close: () => lb.close() };
  lb.server.on('connection', () => proxy.connections++);
  return proxy;
}

let proxy: CountingProxy;
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const MEMBERS = ['sso:bench/111111111111/ViewOnly', 'sso:bench/222222222222/ViewOnly'];
const keyOf = (member: string) => `AKIA${member.split('/')[1]}`;

/** The members' credentials, given again after each clear() as the connection does for a scope. */
const provideMembers = (f: ClientFactory) => { for (const m of MEMBERS) f.provide(m, async () => ({ accessKeyId: keyOf(m), secretAccessKey: 'secret' })); };

function factory(): ClientFactory {
  const files = { configFile: {}, credentialsFile: {} };
  const f = new ClientFactory(() => ({ files, profiles: [], env: { AWS_ENDPOINT_URL: proxy.endpoint } }));
  provideMembers(f);
  return f;
}

before(async () => {
  moto = await startMoto();
  proxy = await countingProxy(moto.endpoint);
  for (const region of REGIONS) {
    await new CloudWatchLogsClient(moto.clientConfig(region)).send(new CreateLogGroupCommand({ logGroupName: `/share/${region}` }));
  }
});
afterEach(() => { process.env = { ...saved }; });
after(async () => {
  process.env = saved;
  await proxy?.close();
  await moto?.stop();
});

test('a factory\'s clients of one class (2 members × 3 regions) reuse one connection, each request signed with its own member\'s key and region (moto_server)', async () => {
  const f = factory();
  const before = proxy.connections;
  proxy.signed.length = 0;
  const seen: string[] = [];
  for (const m of MEMBERS) {
    for (const region of REGIONS) {
      const res = await f.get(CloudWatchLogsClient, m, region, 'logs').send(new DescribeLogGroupsCommand({}));
      seen.push(...(res.logGroups ?? []).map((g) => `${region} ${g.logGroupName}`));
    }
  }
  assert.equal(f.size, 6, 'one client per member × region, as before');
  assert.deepEqual(seen, [...REGIONS, ...REGIONS].map((r) => `${r} /share/${r}`), 'each client reached its own region');
  assert.deepEqual(proxy.signed, MEMBERS.flatMap((m) => REGIONS.map((region) => ({ key: keyOf(m), region }))), 'each request signed by its member for its region');
  assert.equal(proxy.connections - before, 1, 'six clients called one after another: one connection between them');
  f.clear();
});

test('one client\'s destroy() leaves the shared connection to the others; clear() closes it (moto_server)', async () => {
  const f = factory();
  const [a, b] = MEMBERS.map((m) => f.get(CloudWatchLogsClient, m, 'us-east-1', 'logs'));
  const before = proxy.connections;
  await a.send(new DescribeLogGroupsCommand({}));
  a.destroy();
  await b.send(new DescribeLogGroupsCommand({}));
  assert.equal(proxy.connections - before, 1, 'b went on over the connection a opened');
  f.clear();
  provideMembers(f);
  await f.get(CloudWatchLogsClient, MEMBERS[0], 'us-east-1', 'logs').send(new DescribeLogGroupsCommand({}));
  assert.equal(proxy.connections - before, 2, 'after clear() (a profile or scope change) a new connection');
  f.clear();
});

test('a member\'s credentials are refreshed on expiry on a shared connection (moto_server)', async () => {
  const f = factory();
  let issued = 0;
  // Credentials that expire within the SDK's five-minute refresh window: it asks the provider again before each request.
  f.provide('sso:refresh/333333333333/ViewOnly', async () => ({ accessKeyId: `AKIAREFRESH${++issued}`, secretAccessKey: 'secret', expiration: new Date(Date.now() + 60_000) }));
  proxy.signed.length = 0;
  await f.get(CloudWatchLogsClient, MEMBERS[0], 'us-east-1', 'logs').send(new DescribeLogGroupsCommand({}));
  const c = f.get(CloudWatchLogsClient, 'sso:refresh/333333333333/ViewOnly', 'us-east-1', 'logs');
  await c.send(new DescribeLogGroupsCommand({}));
  await c.send(new DescribeLogGroupsCommand({}));
  const [other, first, second] = proxy.signed.map((s) => s.key);
  assert.equal(other, keyOf(MEMBERS[0]));
  assert.match(first, /^AKIAREFRESH\d+$/);
  assert.match(second, /^AKIAREFRESH\d+$/);
  assert.notEqual(second, first, 'the second request signed with the credentials issued after the first expired');
  f.clear();
});

test('settings from the environment reach every client; read once per client class until clear() (moto_server)', async () => {
  process.env.AWS_MAX_ATTEMPTS = '1';
  const f = factory();
  const first = f.get(CloudWatchLogsClient, MEMBERS[0], 'us-east-1', 'logs');
  assert.equal(await (first.config.maxAttempts as () => Promise<number>)(), 1);
  process.env.AWS_MAX_ATTEMPTS = '2';
  const other = f.get(CloudWatchLogsClient, MEMBERS[1], 'eu-west-1', 'logs');
  assert.equal(await (other.config.maxAttempts as () => Promise<number>)(), 1, 'a later client of the class takes the value already read');
  f.clear();
  provideMembers(f);
  const afterClear = f.get(CloudWatchLogsClient, MEMBERS[1], 'eu-west-1', 'logs');
  assert.equal(await (afterClear.config.maxAttempts as () => Promise<number>)(), 2, 'after clear() the environment is read again');
  f.clear();
});
