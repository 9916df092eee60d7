// `npm run bench -- accounts`: a scope of 20 accounts × 3 regions (issue 18), on the Logs view's first level:
// each account × region's first page of log groups (DescribeLogGroups, 50 a page), through the extension's own
// clients (ClientFactory, each member signing with its own credentials, the scope's one concurrency limit at its
// default, cloudMonitor.scope.concurrency = 8). Measured:
//   first_rows_ms          scope selected → the first account's rows (its three regions' log groups);
//   all_accounts_ms        → every account's rows;
//   switching_profiles_ms  the same work as the extension did before scopes: one profile and one region at a
//                          time (select the profile, select the region, load, next), new clients per profile
//                          as a profile change makes;
//   speedup_vs_switching   = switching_profiles_ms / all_accounts_ms;
//   ce_requests_scope_refresh  the Cost Explorer requests one Costs refresh makes with the payer in the scope
//                          (src/costs/accounts.ts against the in-process Cost Explorer fake of
//                          test/helpers/costData.ts, one per account seeing what that account sees);
//   ce_requests_first_load the Cost Explorer requests of the scope's first load, nothing known or cached: the
//                          payer named up front by Organizations' DescribeOrganization (free; every member of
//                          the bench's organization answers with the payer's id);
//   ce_requests_first_load_without_organizations  the same when Organizations cannot tell (AccessDenied):
//                          the payer is learnt from Cost Explorer's answers, one account at a time.
// The 20 × 3 log groups live in a stand-in that answers DescribeLogGroups after a fixed round trip (30 ms by
// default) with no capacity limit, in its own process so its CPU is not the client's (moto_server serves the
// accounts too, test/helpers/motoScopeAccounts.ts, but spends ~1.4 ms of CPU per call under one lock and would
// need 20 roles assumed first; what is compared here is how much waiting each design overlaps). The account is
// told from the signer's access key, the region from the credential scope. The machine is shared: the load
// average is printed and every figure is an upper bound. Never asserted by a test.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ClientFactory } from '../../src/aws/clientFactory';
import { Limiter, limitClient } from '../../src/aws/scope/limit';
import type { ScopeMember } from '../../src/aws/scope/scope';
import { fetchLogGroupPage } from '../../src/logs/logGroups';
import { organizationCosts } from '../helpers/organizationCosts';
import { STAND_IN_HEADER } from '../helpers/contractRecorder';

const ACCOUNTS = Number(process.env.ACCOUNTS_BENCH_ACCOUNTS ?? 20);
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
const RTT = Number(process.env.ACCOUNTS_BENCH_RTT_MS ?? 30);
const GROUPS_PER_REGION = 12;
const SCOPE_CONCURRENCY = 8; // package.json's default of cloudMonitor.scope.concurrency
const ids = Array.from({ length: ACCOUNTS }, (_, i) => String(100000000001 + i * 1111).padStart(12, '0'));

/** The stand-in: DescribeLogGroups of the account (access key `BENCH<account>`) and region (credential scope), after RTT ms. */
function standIn(delayMs: number): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    const auth = String(req.headers.authorization ?? '');
    const m = /Credential=BENCH(\d{12})\/\d{8}\/([a-z0-9-]+)\/logs\//.exec(auth);
    const target = String(req.headers['x-amz-target'] ?? '');
    setTimeout(() => {
      if (!m || target !== 'Logs_20140328.DescribeLogGroups') {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' });
        res.end(JSON.stringify({ __type: 'InvalidParameterException', message: `not served by the stand-in: ${target}` }));
        return;
      }
      const [, account, region] = m;
      const logGroups = Array.from({ length: GROUPS_PER_REGION }, (_, i) => {
        const name = `/aws/lambda/${account}-${region}-fn-${String(i).padStart(2, '0')}`;
        return { logGroupName: name, logGroupArn: `arn:aws:logs:${region}:${account}:log-group:${name}`, creationTime: 1_700_000_000_000, storedBytes: 1024 * i };
      });
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', [STAND_IN_HEADER]: '1' });
      res.end(JSON.stringify({ logGroups }));
    }, delayMs);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

if (process.argv[2] === '--stand-in') {
  void standIn(Number(process.argv[3])).then((endpoint) => process.send!({ endpoint }));
}

const member = (id: string, i: number): ScopeMember => ({ key: `sso:bench/${id}/ViewOnly`, label: `account-${String(i + 1).padStart(2, '0')}`, accountId: id, roleName: 'ViewOnly', ssoSession: 'bench' });

function factoryFor(endpoint: string): ClientFactory {
  const files = { configFile: {}, credentialsFile: {} };
  return new ClientFactory(() => ({ files, profiles: [], env: { AWS_ENDPOINT_URL: endpoint } }));
}

/** Every account × region at once under the scope's one limit; resolves with the first account's and the last rows' times. */
async function allAccounts(endpoint: string, members: ScopeMember[]): Promise<{ firstRowsMs: number; allMs: number; groups: number; peak: number; cpuMsPerCall: number }> {
  const cpu0 = process.cpuUsage();
  const factory = factoryFor(endpoint);
  const limiter = new Limiter(() => SCOPE_CONCURRENCY);
  for (const m of members) factory.provide(m.key, async () => ({ accessKeyId: `BENCH${m.accountId}`, secretAccessKey: 'bench' }));
  const t0 = performance.now();
  let firstRowsMs = 0;
  let groups = 0;
  await Promise.all(members.map(async (m, i) => {
    const pages = await Promise.all(REGIONS.map((region) => fetchLogGroupPage(limitClient(factory.get(CloudWatchLogsClient, m.key, region, 'logs'), limiter))));
    groups += pages.reduce((s, p) => s + p.groups.length, 0);
    if (i === 0) firstRowsMs = performance.now() - t0;
  }));
  const allMs = performance.now() - t0;
  factory.clear();
  return { firstRowsMs, allMs, groups, peak: limiter.peak, cpuMsPerCall: cpuPerCall(cpu0, members.length * REGIONS.length) };
}

/** As before scopes: one profile and one region at a time; a profile change makes new clients. */
async function switchingProfiles(endpoint: string, members: ScopeMember[]): Promise<{ ms: number; groups: number; cpuMsPerCall: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let groups = 0;
  for (const m of members) {
    const factory = factoryFor(endpoint);
    factory.provide(m.key, async () => ({ accessKeyId: `BENCH${m.accountId}`, secretAccessKey: 'bench' }));
    for (const region of REGIONS) groups += (await fetchLogGroupPage(factory.get(CloudWatchLogsClient, m.key, region, 'logs'))).groups.length;
    factory.clear();
  }
  return { ms: performance.now() - t0, groups, cpuMsPerCall: cpuPerCall(cpu0, members.length * REGIONS.length) };
}

/** CPU this process spent per call (making the clients included): on a loaded machine it bounds every design. */
function cpuPerCall(since: NodeJS.CpuUsage, calls: number): number {
  const d = process.cpuUsage(since);
  return Math.round(((d.user + d.system) / 1000 / calls) * 10) / 10;
}

/**
 * Cost Explorer requests of the Costs view for the scope: the first load, then one refresh. `organizations`:
 * DescribeOrganization names the payer (as for members of its organization), or is denied.
 */
async function costRequests(members: ScopeMember[], payer: string, organizations: boolean): Promise<{ firstLoad: number; refresh: number; perAccountRefresh: number; organizationCalls: number }> {
  const now = Date.now();
  const today = new Date(now).toISOString().slice(0, 10);
  let organizationCalls = 0;
  const managementAccountOf = async () => {
    organizationCalls++;
    if (organizations) return payer;
    throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
  };
  const { costs, stores, count } = organizationCosts(members, { payer, payers: [], today, now, managementAccountOf });
  // The price the view shows before the first load: the payer's one request, or (Organizations denied) one per account.
  const perAccountRefresh = (await costs.estimate('all', true)).requests;
  await costs.load('UnblendedCost', 'all', 'auto');
  const firstLoad = count();
  for (const s of stores.values()) s.markStale();
  await costs.load('UnblendedCost', 'all', 'auto');
  return { firstLoad, refresh: count() - firstLoad, perAccountRefresh, organizationCalls };
}

async function main(): Promise<void> {
  const load0 = loadavg()[0];
  const child = fork(__filename, ['--stand-in', String(RTT)], { stdio: 'inherit' });
  const endpoint = await new Promise<string>((r) => child.once('message', (msg) => r((msg as { endpoint: string }).endpoint)));
  try {
    const members = ids.map(member);
    console.log(`${ACCOUNTS} accounts × ${REGIONS.length} regions, ${GROUPS_PER_REGION} log groups each, stand-in round trip ${RTT} ms (own process), scope concurrency ${SCOPE_CONCURRENCY}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    await allAccounts(endpoint, members.slice(0, 2)); // warm-up: module loading and the first sockets, not measured
    const scope = await allAccounts(endpoint, members);
    console.log(`scope: first account's rows ${scope.firstRowsMs.toFixed(0)} ms, every account ${scope.allMs.toFixed(0)} ms (${scope.groups} log groups, ${scope.peak} requests in flight at most, ${scope.cpuMsPerCall} ms CPU per call)`);
    const switching = await switchingProfiles(endpoint, members);
    console.log(`one profile and region at a time: ${switching.ms.toFixed(0)} ms (${switching.groups} log groups, ${switching.cpuMsPerCall} ms CPU per call)`);
    if (switching.groups !== scope.groups) throw new Error(`the two designs saw different rows: ${scope.groups} vs ${switching.groups}`);
    // The payer is neither first nor last by name: the first load finds it on the way.
    const ce = await costRequests(members, ids[Math.floor(ACCOUNTS / 3)], true);
    const learning = await costRequests(members, ids[Math.floor(ACCOUNTS / 3)], false);
    console.log(`Cost Explorer: first load ${ce.firstLoad} request(s) (the payer named by Organizations, ${ce.organizationCalls} free DescribeOrganization calls), then a refresh ${ce.refresh}; without Organizations the first load makes ${learning.firstLoad} (finding the payer), then ${learning.refresh}; one request per account would be ${learning.perAccountRefresh} per refresh`);
    const load1 = loadavg()[0];
    const metrics = {
      accounts: ACCOUNTS,
      regions: REGIONS.length,
      first_rows_ms: Math.round(scope.firstRowsMs),
      all_accounts_ms: Math.round(scope.allMs),
      switching_profiles_ms: Math.round(switching.ms),
      speedup_vs_switching: Math.round((switching.ms / scope.allMs) * 100) / 100,
      ce_requests_scope_refresh: ce.refresh,
      ce_requests_first_load: ce.firstLoad,
      ce_requests_first_load_without_organizations: learning.firstLoad,
      organizations_calls_first_load: ce.organizationCalls,
      ce_requests_per_account_refresh: learning.perAccountRefresh,
      cpu_ms_per_call_scope: scope.cpuMsPerCall,
      cpu_ms_per_call_switching: switching.cpuMsPerCall,
      rtt_ms: RTT,
      load_average_1m: Math.round(Math.max(load0, load1) * 10) / 10,
    };
    console.log(JSON.stringify({ bench: 'accounts', metrics }));
  } finally {
    child.kill();
  }
}

if (process.argv[2] !== '--stand-in') void main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
