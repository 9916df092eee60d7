// Every region of a scope in a real VS Code (code-server + Chromium): two accounts of an IAM Identity Center
// session × two regions. moto_server serves both accounts in both regions with different data in each
// (test/helpers/motoScopeAccounts.ts); the SSO portal stand-in answers the portal (test/helpers/ssoPortalStandIn.ts);
// a proxy in front of moto answers what moto cannot do per region with AWS's own errors
// (test/helpers/regionFaults.ts): Security Hub not enabled, and CloudWatch Logs denied, in Data Dev's eu-west-1
// only. Select Scope is driven through its quick picks (both regions); Findings, Alerts, Logs and Pipeline then
// show account → region → that region's data, the failing region's note or error under it alone.
// Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { openVsCode, screenshotOnFailure, shotName, showOnlyView, type VsCodeSession } from '../helpers/codeServer';
import { startMotoAccounts, VIEWER_ROLE, type MotoAccounts } from '../helpers/motoScopeAccounts';
import { startSsoPortalStandIn, type SsoPortalStandIn } from '../helpers/ssoPortalStandIn';
import { startRegionFaultProxy, type RegionFaultProxy } from '../helpers/regionFaults';
import { startSecurityHubOrgStandIn, type SecurityHubOrgStandIn } from '../helpers/securityHubOrgStandIn';
import { ssoSessionSection, writeSsoToken } from '../helpers/ssoHome';

const PAYMENTS = { id: '111111111111', name: 'Payments Prod' };
const DATA = { id: '222222222222', name: 'Data Dev' };
const TOKEN = 'sso-access-token-for-region-ui-tests';
const SESSION = 'corp';
const US = 'us-east-1';
const TAIL_EVENT = 'payments worker started in eu-west-1';
const EU = 'eu-west-1';

interface RegionData { findings: string[]; logGroups: string[]; alarms: string[]; pipelineStacks: string[] }

/** Each account's data per region, as the views must show it under that account and region. */
const SEEDED: Record<string, Record<string, RegionData>> = {
  [PAYMENTS.id]: {
    [US]: { findings: ['Payments US bucket allows public read'], logGroups: ['/payments/us/api'], alarms: ['payments-us-5xx'], pipelineStacks: ['payments-us-pipeline'] },
    [EU]: { findings: ['Payments EU bucket has no lifecycle'], logGroups: ['/payments/eu/api', '/payments/eu/worker'], alarms: ['payments-eu-latency'], pipelineStacks: ['payments-eu-pipeline'] },
  },
  [DATA.id]: {
    [US]: { findings: ['Data US lake is not encrypted'], logGroups: ['/data/us/etl'], alarms: ['data-us-lag'], pipelineStacks: ['data-us-pipeline'] },
    [EU]: { findings: ['Data EU finding nobody may read'], logGroups: ['/data/eu/hidden'], alarms: ['data-eu-backlog'], pipelineStacks: ['data-eu-pipeline'] },
  },
};

interface Row { level: number; text: string }

async function rowsOf(pane: Locator): Promise<Row[]> {
  return pane.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => ({ level: Number(e.getAttribute('aria-level')), text: (e.textContent ?? '').replace(/\s+/g, ' ').trim() })));
}

/** The rows under `region` (level 2) of `account` (level 1), up to the next row of level 2 or less. */
function underRegion(rows: Row[], account: string, region: string): string[] {
  const a = rows.findIndex((r) => r.level === 1 && r.text.startsWith(account));
  if (a < 0) return [];
  const r = rows.findIndex((x, i) => i > a && x.level <= 2 && (x.level === 1 || x.text.startsWith(region)));
  if (r < 0 || rows[r].level === 1) return [];
  const end = rows.findIndex((x, i) => i > r && x.level <= 2);
  return rows.slice(r + 1, end < 0 ? undefined : end).map((x) => x.text);
}

describe('Every region of a scope: two accounts × two regions of an IAM Identity Center session', () => {
  let vs: VsCodeSession | undefined;
  let accounts: MotoAccounts;
  let portal: SsoPortalStandIn;
  let proxy: RegionFaultProxy;
  let hubs: SecurityHubOrgStandIn;
  /** The payments profile's key: its Findings view before the scope is selected reads as that profile. */
  let profileKey = '';
  const keyAccounts = new Map<string, string>();

  before(async () => {
    const seed = (a: { id: string }) => ({ id: a.id, buckets: [`${a.id}-bucket`], viewer: 'allowAll' as const, ...SEEDED[a.id][US], regions: { [EU]: SEEDED[a.id][EU] } });
    accounts = await startMotoAccounts([seed(PAYMENTS), seed(DATA)]);
    proxy = await startRegionFaultProxy(accounts.moto.endpoint, [
      { account: DATA.id, region: EU, service: 'securityhub' },
      { account: DATA.id, region: EU, service: 'logs' },
    ], keyAccounts);
    // Payments has a cross-region aggregator (home us-east-1, every region): moto lacks ListFindingAggregators and
    // GetFindingAggregator, so the Security Hub org stand-in answers them, and GetFindings in the home region with
    // both regions' findings, in front of the fault proxy.
    hubs = await startSecurityHubOrgStandIn(accounts, { accountIds: [PAYMENTS.id, DATA.id], regions: [US, EU], aggregators: { [PAYMENTS.id]: { region: US, mode: 'ALL_REGIONS' } }, upstream: proxy.endpoint });
    portal = await startSsoPortalStandIn({
      accessToken: TOKEN,
      accounts: [PAYMENTS, DATA].map((a) => ({ accountId: a.id, accountName: a.name, roles: [VIEWER_ROLE] })),
      credentials: async (accountId, roleName) => {
        const c = await accounts.assume(accountId, roleName);
        keyAccounts.set(c.accessKeyId, accountId);
        return c;
      },
    });
    const home = mkdtempSync(join(tmpdir(), 'cm-regions-ui-home-'));
    writeSsoToken(home, SESSION, { accessToken: TOKEN, expiresAt: new Date(Date.now() + 8 * 3600_000), region: EU });
    const payments = await accounts.assume(PAYMENTS.id, VIEWER_ROLE);
    keyAccounts.set(payments.accessKeyId, PAYMENTS.id);
    profileKey = payments.accessKeyId;
    // One event in Payments' eu-west-1 worker group, for the tail of that region's node to show.
    const euLogs = new CloudWatchLogsClient({ ...accounts.moto.clientConfig(EU), credentials: { accessKeyId: payments.accessKeyId, secretAccessKey: payments.secretAccessKey, sessionToken: payments.sessionToken } });
    await euLogs.send(new CreateLogStreamCommand({ logGroupName: '/payments/eu/worker', logStreamName: 'worker-1' }));
    await euLogs.send(new PutLogEventsCommand({ logGroupName: '/payments/eu/worker', logStreamName: 'worker-1', logEvents: [{ timestamp: Date.now() - 30_000, message: TAIL_EVENT }] }));
    euLogs.destroy();
    const config = join(home, 'config');
    const credentials = join(home, 'credentials');
    writeFileSync(config, `[profile payments]\nregion = ${US}\n\n${ssoSessionSection(SESSION, { region: EU })}`);
    writeFileSync(credentials, `[payments]\naws_access_key_id = ${payments.accessKeyId}\naws_secret_access_key = ${payments.secretAccessKey}\naws_session_token = ${payments.sessionToken}\n`);
    vs = await openVsCode({
      workspace: mkdtempSync(join(tmpdir(), 'ws-regions-')),
      env: {
        HOME: home, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: 'true',
        // Every service through the proxy to moto; the SSO portal at its stand-in (the bearer token goes only there).
        AWS_ENDPOINT_URL: hubs.endpoint, AWS_ENDPOINT_URL_SSO: portal.url,
      },
      settings: { 'cloudMonitor.profile': 'payments', 'cloudMonitor.region': US },
      viewport: { width: 1500, height: 1200 },
    });
  });

  after(async () => {
    await vs?.close();
    await portal?.stop();
    await hubs?.close();
    await proxy?.close();
    await accounts?.moto.stop();
  });

  const name = 'select a two-region scope; Findings, Alerts, Logs and Pipeline show account → region → that region\'s data, the failing region alone; an account with a cross-region aggregator is read once there, its region nodes say "via aggregator" (aggregator from the Security Hub org stand-in: moto lacks it)';
  test(name, () => screenshotOnFailure(() => vs, shotName('scopeRegions', name), async () => {
    const session = vs!;
    const { page } = session;
    await session.openContainer();
    await session.statusBarText(`payments · ${US} · ${PAYMENTS.id}`, 60_000);

    // Select Scope: the session, both accounts (preselected), then eu-west-1 beside the preselected us-east-1.
    await session.runCommand('Select Scope (Accounts and Regions)');
    const quick = page.locator('.quick-input-widget');
    const pick = (text: string | RegExp) => quick.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await pick(`IAM Identity Center: ${SESSION}`).click({ timeout: 15_000 });
    await quick.locator('.quick-input-title', { hasText: `Accounts and Roles of ${SESSION}` }).waitFor({ timeout: 30_000 });
    for (const a of [PAYMENTS, DATA]) await pick(a.name).waitFor();
    await page.keyboard.press('Enter');
    await quick.locator('.quick-input-title', { hasText: 'Select Scope: Regions' }).waitFor({ timeout: 15_000 });
    await page.keyboard.type(EU);
    const eu = pick('Europe (Ireland)');
    await eu.locator('.monaco-checkbox, input[type="checkbox"]').first().click();
    await quick.locator('.quick-input-count', { hasText: '2 Selected' }).waitFor({ timeout: 15_000 });
    await session.screenshot('scopeRegions-pick-regions');
    // OK, not Enter: Enter on the filtered row would toggle it off again.
    await quick.getByRole('button', { name: 'OK' }).click();
    await session.statusBarText('2 accounts · 2 regions', 30_000);

    /** Clicks a collapsed row until it says it is expanded (a click can land while the view redraws). */
    const expandRow = async (row: Locator) => {
      for (let tries = 0; tries < 3 && (await row.getAttribute('aria-expanded')) !== 'true'; tries++) {
        await row.click();
        await row.and(page.locator('[aria-expanded="true"]')).waitFor({ timeout: 10_000 }).catch(() => undefined);
      }
      assert.equal(await row.getAttribute('aria-expanded'), 'true', `expanded: ${await row.textContent()}`);
    };
    /** Expands each account, then each region under it, and waits for each region's `ready` row. */
    const expand = async (view: string, ready: (account: string, region: string) => string | RegExp): Promise<Row[]> => {
      await showOnlyView(session, view);
      const pane = session.viewPane(view);
      // The accounts in the view's order (by name): the k-th account's region rows are the k-th with that code.
      for (const [k, a] of [DATA, PAYMENTS].entries()) {
        const row = pane.locator('.monaco-list-row[aria-level="1"]', { hasText: a.name }).first();
        await row.waitFor({ timeout: 60_000 });
        await expandRow(row);
        for (const region of [US, EU]) {
          const regionRow = pane.locator('.monaco-list-row[aria-level="2"]', { hasText: region }).nth(k);
          await regionRow.waitFor({ timeout: 60_000 });
          await expandRow(regionRow);
          await pane.locator('.monaco-list-row', { hasText: ready(a.id, region) }).first().waitFor({ timeout: 60_000 });
        }
      }
      await session.screenshot(`scopeRegions-${view.toLowerCase()}`);
      return rowsOf(pane);
    };
    const failing = (account: string, region: string) => account === DATA.id && region === EU;
    const others = (account: string, region: string, pick: (s: RegionData) => readonly string[]) =>
      Object.entries(SEEDED).flatMap(([acct, byRegion]) => Object.entries(byRegion).filter(([r]) => acct !== account || r !== region).flatMap(([, s]) => pick(s)));

    // Findings: account → region → severity → resource → finding; Security Hub off in Data Dev's eu-west-1.
    const findingsReady = (a: string, r: string) => (failing(a, r) ? `Security Hub is not enabled in ${EU}` : SEEDED[a][r].findings[0]);
    let rows = await expand('Findings', findingsReady);
    // A region node says where its findings were read once its read has answered, so the last one expanded is
    // drawn again after its rows (VS Code redraws a node 200 ms after the extension asks, at the earliest).
    const lastVia = session.viewPane('Findings').locator('.monaco-list-row[aria-level="2"]', { hasText: `${EU}Europe (Ireland) · via aggregator in ${US}` });
    await lastVia.first().waitFor({ timeout: 15_000 }).catch(() => undefined);
    rows = await rowsOf(session.viewPane('Findings'));
    // The region level: code and name, under each account; Payments' say where its findings were read.
    for (const a of [PAYMENTS, DATA]) {
      const at = rows.findIndex((r) => r.level === 1 && r.text.startsWith(a.name));
      const via = a === PAYMENTS ? ` · via aggregator in ${US}` : '';
      assert.ok(rows.some((r, i) => i > at && r.level === 2 && r.text === `${US}US East (N. Virginia)${via}`), JSON.stringify(rows));
      assert.ok(rows.some((r, i) => i > at && r.level === 2 && r.text === `${EU}Europe (Ireland)${via}`), JSON.stringify(rows));
    }
    // Payments: one GetFindings, in its aggregation region, for both region nodes; Data Dev one per region, as before
    // (the scope's role credentials; the profile's own read before the scope was selected is not the scope's).
    const getFindings = (id: string) => hubs.calls.filter((c) => c.operation === 'GetFindings' && c.accountId === id && c.accessKeyId !== profileKey).map((c) => c.region).sort();
    assert.deepEqual(getFindings(PAYMENTS.id), [US]);
    assert.deepEqual(getFindings(DATA.id), [EU, US]);
    assert.deepEqual(hubs.problems, []);
    // The note in full: the region row's tooltip (the sidebar cuts the description).
    const findingsPane = session.viewPane('Findings');
    await findingsPane.locator('.monaco-list-row[aria-level="2"]', { hasText: `${EU}Europe (Ireland) · via aggregator` }).first().hover();
    await page.locator('.monaco-hover', { hasText: `via aggregator in ${US}` }).first().waitFor({ timeout: 15_000 });
    await session.screenshot('scopeRegions-findings-via-aggregator');
    await page.mouse.move(1200, 600);
    for (const a of [PAYMENTS, DATA]) {
      for (const region of [US, EU]) {
        const shown = underRegion(rows, a.name, region).join('\n');
        if (failing(a.id, region)) {
          assert.deepEqual(underRegion(rows, a.name, region), [`Security Hub is not enabled in ${EU}`], JSON.stringify(rows));
          continue;
        }
        assert.ok(shown.includes(SEEDED[a.id][region].findings[0]), `${a.name} ${region}: ${shown}`);
        for (const t of others(a.id, region, (s) => s.findings)) assert.ok(!shown.includes(t), `${a.name} ${region} shows ${t}`);
      }
    }

    // Refresh Findings asks again where each account's findings are gathered (a redraw does not): Payments'
    // aggregator removed meanwhile, its region nodes read in their own regions again and no longer say "via".
    const aggregatorChecks = () => hubs.calls.filter((c) => c.operation === 'ListFindingAggregators' && c.accountId === PAYMENTS.id).length;
    const checked = aggregatorChecks();
    const aggregator = hubs.aggregators[PAYMENTS.id];
    hubs.aggregators[PAYMENTS.id] = undefined;
    await session.runCommand('Refresh Findings');
    let paymentsRegions: string[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await page.waitForTimeout(500)) {
      rows = await expand('Findings', findingsReady);
      const at = rows.findIndex((r) => r.level === 1 && r.text.startsWith(PAYMENTS.name));
      const end = rows.findIndex((r, i) => i > at && r.level === 1);
      paymentsRegions = rows.slice(at + 1, end < 0 ? undefined : end).filter((r) => r.level === 2).map((r) => r.text).sort();
      if (paymentsRegions.length === 2 && paymentsRegions.every((t) => !t.includes('via'))) break;
    }
    await session.screenshot('scopeRegions-findings-refresh-redetect');
    assert.deepEqual(paymentsRegions, [`${EU}Europe (Ireland)`, `${US}US East (N. Virginia)`].sort(), JSON.stringify(rows));
    assert.equal(aggregatorChecks(), checked + 1, 'Refresh detected the aggregator once more');
    hubs.aggregators[PAYMENTS.id] = aggregator;

    // Alerts: account → region → the region's pipeline stack and CloudWatch alarms.
    rows = await expand('Alerts', (a, r) => SEEDED[a][r].alarms[0]);
    for (const a of [PAYMENTS, DATA]) {
      for (const region of [US, EU]) {
        const shown = underRegion(rows, a.name, region).join('\n');
        assert.ok(shown.includes(SEEDED[a.id][region].alarms[0]), `${a.name} ${region}: ${shown}`);
        for (const t of others(a.id, region, (s) => s.alarms)) assert.ok(!shown.includes(t), `${a.name} ${region} shows ${t}`);
      }
    }

    // Logs: account → region → log groups; Logs denied in Data Dev's eu-west-1, an error under it alone.
    const denied = /Access denied/i;
    rows = await expand('Logs', (a, r) => (failing(a, r) ? denied : SEEDED[a][r].logGroups.at(-1)!));
    const groupNames = (texts: string[]) => texts.map((t) => t.replace(/\d+(\.\d+)? (B|KiB|MiB|GiB|TiB) · .*$/, ''));
    for (const a of [PAYMENTS, DATA]) {
      for (const region of [US, EU]) {
        const shown = underRegion(rows, a.name, region);
        if (failing(a.id, region)) {
          assert.equal(shown.length, 1, `one error node under ${a.name} ${region}: ${JSON.stringify(rows)}`);
          assert.match(shown[0], denied);
          continue;
        }
        assert.deepEqual(groupNames(shown), [...SEEDED[a.id][region].logGroups], `${a.name} ${region}: ${JSON.stringify(rows)}`);
      }
    }

    // Tail of a group of Payments' eu-west-1 node (its click): that account, in that region.
    await session.viewPane('Logs').locator('.monaco-list-row[aria-level="3"]', { hasText: '/payments/eu/worker' }).first().click();
    const editor = page.locator('.editor-instance .view-lines').first();
    await editor.filter({ hasText: `(${PAYMENTS.name} · ${EU})` }).waitFor({ timeout: 30_000 });
    await editor.filter({ hasText: TAIL_EVENT }).waitFor({ timeout: 60_000 });
    await session.screenshot('scopeRegions-tail');
    assert.doesNotMatch(await editor.innerText(), /Tail failed/);

    // Pipeline: account → region → that region's stacks.
    rows = await expand('Pipeline', (a, r) => SEEDED[a][r].pipelineStacks[0]);
    for (const a of [PAYMENTS, DATA]) {
      for (const region of [US, EU]) {
        assert.deepEqual(underRegion(rows, a.name, region).map((t) => t.split(/CREATE_|UPDATE_/)[0]), [...SEEDED[a.id][region].pipelineStacks], JSON.stringify(rows));
      }
    }
  }));
});
