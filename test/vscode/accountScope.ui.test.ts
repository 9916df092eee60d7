// A scope of three accounts of an IAM Identity Center session in a real VS Code (code-server + Chromium):
// moto_server serves the three accounts (test/helpers/motoScopeAccounts.ts: each role's credentials land in
// its own account, IAM enforced, so the Sandbox account's role is really denied everything but
// GetCallerIdentity), and a stand-in answers the SSO portal, which moto lacks (test/helpers/ssoPortalStandIn.ts,
// held to botocore's sso model). Select Scope is driven through its quick picks; Buckets, Findings, Alerts, Logs and Pipeline
// then show an account level, each account's own data under its name, and the denied account's error node
// under that account alone. Then, on another account's nodes: bulk triage across two accounts and triage from
// a finding's detail page go to each finding's own account, and Logs Insights started from another account's
// log group runs there. BatchUpdateFindings, which moto lacks, comes from the sandbox stand-in in front of moto
// (test/sandbox/gaps.ts), which applies it in the account whose credentials signed the call. Last, the cost
// dashboard: moto holds an organization whose management account is Payments (DescribeOrganization names it),
// and the Cost Explorer stand-in (test/helpers/ceEndpoint.ts, held to botocore's ce model) answers as an
// organization does, so the dashboard shows every account's costs from the payer. Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startSandboxGaps, type SandboxGaps } from '../sandbox/gaps';
import { chooseFromContextMenu as chooseMenuItem } from '../helpers/contextMenu';
import { openVsCode, screenshotOnFailure, shotName, showOnlyView, type VsCodeSession } from '../helpers/codeServer';
import { startMotoAccounts, VIEWER_ROLE, type MotoAccounts } from '../helpers/motoScopeAccounts';
import { startSsoPortalStandIn, type SsoPortalStandIn } from '../helpers/ssoPortalStandIn';
import { ssoSessionSection, writeSsoToken } from '../helpers/ssoHome';
import { startCeEndpoint, type CeEndpoint } from '../helpers/ceEndpoint';
import { answerCostAndUsage, costExplorerAnswers } from '../helpers/costData';
import { addDays, monthToDate, utcToday } from '../../src/costs/dates';
import { formatCurrency, parsePages, total } from '../../src/costs/math';

const PAYMENTS = { id: '111111111111', name: 'Payments Prod' };
const DATA = { id: '222222222222', name: 'Data Dev' };
const DENIED = { id: '333333333333', name: 'Sandbox' };
const TOKEN = 'sso-access-token-for-ui-tests';
const SESSION = 'corp';

/** Each account's own data, as the views must show it under that account. */
const SEEDED = {
  [PAYMENTS.id]: { buckets: ['payments-invoices', 'payments-logs'], logGroups: ['/payments/api', '/payments/worker'], findings: ['Payments bucket allows public read'], alarms: ['payments-5xx'], pipelineStacks: ['payments-pipeline'] },
  [DATA.id]: { buckets: ['data-lake-raw'], logGroups: ['/data/etl'], findings: ['Data lake bucket is not encrypted', 'Data lake bucket has no lifecycle rule'], alarms: ['data-etl-lag', 'data-etl-failures'], pipelineStacks: ['data-pipeline'] },
  [DENIED.id]: { buckets: ['sandbox-secret'], logGroups: ['/sandbox/hidden'], findings: ['Sandbox finding nobody may read'], alarms: ['sandbox-hidden-alarm'], pipelineStacks: ['sandbox-pipeline'] },
};

/** An account's month to date as Cost Explorer answers the account itself (the stand-in's line items). */
function ownMonthToDate(account: string, today: string): number {
  const page = answerCostAndUsage({ TimePeriod: { Start: monthToDate(today).start, End: addDays(today, 1) }, Granularity: 'DAILY', Metrics: ['UnblendedCost'], GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }] }, today, Infinity, { viewer: account });
  return total(parsePages([page]).rows, 'UnblendedCost', monthToDate(today));
}

interface Row { level: number; text: string }

/** The rendered rows of a view's tree, in order, with their depth (aria-level). */
async function rowsOf(pane: Locator): Promise<Row[]> {
  return pane.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => ({ level: Number(e.getAttribute('aria-level')), text: (e.textContent ?? '').replace(/\s+/g, ' ').trim() })));
}

/** The rows under the top-level row whose text starts with `account`, up to the next top-level row. */
function under(rows: Row[], account: string): string[] {
  const start = rows.findIndex((r) => r.level === 1 && r.text.startsWith(account));
  if (start < 0) return [];
  const end = rows.findIndex((r, i) => i > start && r.level === 1);
  return rows.slice(start + 1, end < 0 ? undefined : end).map((r) => r.text);
}

describe('Every account at once: a three-account scope of an IAM Identity Center session', () => {
  let vs: VsCodeSession | undefined;
  let accounts: MotoAccounts;
  let portal: SsoPortalStandIn;
  let gaps: SandboxGaps;
  let ce: CeEndpoint;

  before(async () => {
    accounts = await startMotoAccounts([
      { id: PAYMENTS.id, ...SEEDED[PAYMENTS.id], viewer: 'allowAll' },
      { id: DATA.id, ...SEEDED[DATA.id], viewer: 'allowAll' },
      { id: DENIED.id, ...SEEDED[DENIED.id], viewer: 'denyS3' },
    // An organization whose management account is Payments: its Cost Explorer answers for the accounts of the scope.
    ], { organization: { management: PAYMENTS.id, members: 0 } });
    // The Data account's ETL log group has an event for Logs Insights to find.
    const logs = new CloudWatchLogsClient(await accounts.clientConfigIn(DATA.id));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/data/etl', logStreamName: 'run-1' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/data/etl', logStreamName: 'run-1', logEvents: [{ timestamp: Date.now() - 60_000, message: 'data-etl batch 42 loaded' }] }));
    logs.destroy();
    gaps = await startSandboxGaps(accounts.moto, { accounts });
    // Cost Explorer, which moto cannot answer as an organization: the stand-in held to botocore's ce model, computing
    // from line items of 111111111111 (prod) and 222222222222 (dev); the payer sees every account, a member its own.
    ce = await startCeEndpoint(accounts.moto.endpoint, costExplorerAnswers(() => utcToday(Date.now()), { organization: { payer: PAYMENTS.id, accountOf: (k) => (k ? accounts.accountOfKey(k) : undefined) } }));
    portal = await startSsoPortalStandIn({
      accessToken: TOKEN,
      accounts: [PAYMENTS, DATA, DENIED].map((a) => ({ accountId: a.id, accountName: a.name, roles: [VIEWER_ROLE] })),
      credentials: (accountId, roleName) => accounts.assume(accountId, roleName),
    });
    // A home of its own: the SSO token cache (~/.aws/sso/cache) is read from it.
    const home = mkdtempSync(join(tmpdir(), 'cm-scope-ui-home-'));
    writeSsoToken(home, SESSION, { accessToken: TOKEN, expiresAt: new Date(Date.now() + 8 * 3600_000) });
    // The profile the views start with: the Payments account's viewer role (moto refuses unknown keys).
    const payments = await accounts.assume(PAYMENTS.id, VIEWER_ROLE);
    const config = join(home, 'config');
    const credentials = join(home, 'credentials');
    writeFileSync(config, `[profile payments]\nregion = us-east-1\n\n${ssoSessionSection(SESSION)}`);
    writeFileSync(credentials, `[payments]\naws_access_key_id = ${payments.accessKeyId}\naws_secret_access_key = ${payments.secretAccessKey}\naws_session_token = ${payments.sessionToken}\n`);
    const workspace = mkdtempSync(join(tmpdir(), 'ws-scope-'));
    vs = await openVsCode({
      workspace,
      env: {
        HOME: home, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_EC2_METADATA_DISABLED: 'true',
        // Every service at moto, through the sandbox stand-in (BatchUpdateFindings per signing account); the SSO
        // portal at its stand-in (the bearer token goes only there).
        AWS_ENDPOINT_URL: gaps.endpoint, AWS_ENDPOINT_URL_SSO: portal.url, AWS_ENDPOINT_URL_COST_EXPLORER: ce.url,
      },
      settings: { 'cloudMonitor.profile': 'payments', 'cloudMonitor.region': 'us-east-1' },
      viewport: { width: 1500, height: 1100 },
    });
  });

  after(async () => {
    await vs?.close();
    await portal?.stop();
    await gaps?.close();
    await ce?.close();
    await accounts?.moto.stop();
  });

  const name = 'select a three-account scope; Buckets, Findings, Alerts, Logs and Pipeline show each account under its name, the denied one its error (AccessDenied, or where moto answers a JSON-protocol service in XML, an unreadable HTTP 403 answer naming the service and account)';
  test(name, () => screenshotOnFailure(() => vs, shotName('accountScope', name), async () => {
    const session = vs!;
    const { page } = session;
    await session.openContainer();
    await session.statusBarText(`payments · us-east-1 · ${PAYMENTS.id}`, 60_000);

    // Select Scope: the IAM Identity Center session, every account (preselected), the region already chosen.
    await session.runCommand('Select Scope (Accounts and Regions)');
    const quick = page.locator('.quick-input-widget');
    const pick = (text: string | RegExp) => quick.locator('.quick-input-list .monaco-list-row', { hasText: text }).first();
    await pick(`IAM Identity Center: ${SESSION}`).click({ timeout: 15_000 });
    await quick.locator('.quick-input-title', { hasText: `Accounts and Roles of ${SESSION}` }).waitFor({ timeout: 30_000 });
    for (const a of [PAYMENTS, DATA, DENIED]) await pick(a.name).waitFor();
    await session.screenshot('accountScope-pick-accounts');
    await page.keyboard.press('Enter');
    await quick.locator('.quick-input-title', { hasText: 'Select Scope: Regions' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await session.statusBarText('3 accounts · 1 region', 30_000);

    /** Expands each account of a view (one click each: a collapsed row expands) and waits for `ready`. */
    const expandAccounts = async (view: string, ready: Record<string, string | RegExp>): Promise<Row[]> => {
      await showOnlyView(session, view);
      const pane = session.viewPane(view);
      for (const a of [PAYMENTS, DATA, DENIED]) {
        const row = pane.locator('.monaco-list-row[aria-level="1"]', { hasText: a.name }).first();
        await row.waitFor({ timeout: 60_000 });
        if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
        await pane.locator('.monaco-list-row', { hasText: ready[a.id] }).first().waitFor({ timeout: 60_000 });
      }
      await session.screenshot(`accountScope-${view.toLowerCase()}`);
      return rowsOf(pane);
    };
    // moto 5.2.1 answers some denials of JSON-protocol services as XML (AWS answers in the service's protocol);
    // the SDK cannot parse those, and the node says so (src/aws/errors.ts) with the status, service and account.
    const denied = new RegExp(`^Access denied|^The endpoint's answer could not be read \\(HTTP 403 from [a-z0-9-]+ \\w+ in account ${DENIED.id}\\): .*access was denied`, 'i');

    // Buckets: account → region → bucket.
    let rows = await expandAccounts('Buckets', { [PAYMENTS.id]: 'payments-logs', [DATA.id]: 'data-lake-raw', [DENIED.id]: denied });
    // The accounts by name, each with its id and role.
    assert.deepEqual(rows.filter((r) => r.level === 1).map((r) => r.text), [DATA, PAYMENTS, DENIED].map((a) => `${a.name}${a.id} · ${VIEWER_ROLE}`), JSON.stringify(rows));
    const paymentsBuckets = under(rows, PAYMENTS.name).join('\n');
    assert.match(paymentsBuckets, /payments-invoices/);
    assert.match(paymentsBuckets, /payments-logs/);
    assert.doesNotMatch(paymentsBuckets, /data-lake-raw|sandbox-secret/);
    const dataBuckets = under(rows, DATA.name).join('\n');
    assert.match(dataBuckets, /data-lake-raw/);
    assert.doesNotMatch(dataBuckets, /payments-|sandbox-secret/);
    const sandboxBuckets = under(rows, DENIED.name);
    assert.equal(sandboxBuckets.length, 1, `one error node under the denied account: ${JSON.stringify(sandboxBuckets)}`);
    assert.match(sandboxBuckets[0], denied);

    // Findings: account → severity → resource → finding.
    rows = await expandAccounts('Findings', { [PAYMENTS.id]: SEEDED[PAYMENTS.id].findings[0], [DATA.id]: SEEDED[DATA.id].findings[0], [DENIED.id]: denied });
    assert.match(under(rows, PAYMENTS.name).join('\n'), /Payments bucket allows public read/);
    assert.doesNotMatch(under(rows, PAYMENTS.name).join('\n'), /Data lake|Sandbox finding/);
    assert.match(under(rows, DATA.name).join('\n'), /Data lake bucket is not encrypted/);
    assert.doesNotMatch(under(rows, DATA.name).join('\n'), /Payments bucket|Sandbox finding/);
    const sandboxFindings = under(rows, DENIED.name);
    assert.equal(sandboxFindings.length, 1, `one error node under the denied account: ${JSON.stringify(sandboxFindings)}`);
    assert.match(sandboxFindings[0], denied);

    // Alerts: account → the account's pipeline stack (seeded without an alert-state table) and its CloudWatch alarms.
    rows = await expandAccounts('Alerts', { [PAYMENTS.id]: 'payments-5xx', [DATA.id]: 'data-etl-lag', [DENIED.id]: denied });
    const paymentsAlerts = under(rows, PAYMENTS.name).join('\n');
    assert.match(paymentsAlerts, /Pipeline alerts\n.*no AlertStateTableName/);
    assert.match(paymentsAlerts, /payments-5xx/);
    assert.doesNotMatch(paymentsAlerts, /data-etl|sandbox-hidden/);
    const dataAlerts = under(rows, DATA.name).join('\n');
    assert.match(dataAlerts, /data-etl-failures/);
    assert.match(dataAlerts, /data-etl-lag/);
    assert.doesNotMatch(dataAlerts, /payments-5xx|sandbox-hidden/);
    // No badge: the profile's own count (a load under way at the switch) would read as every account's.
    const badge = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="Cloud Monitor"]') }).locator('.badge .badge-content');
    assert.equal(await badge.isVisible() ? (await badge.innerText()).trim() : '', '', 'no badge on Cloud Monitor under a multi-account scope');
    const sandboxAlerts = under(rows, DENIED.name);
    assert.equal(sandboxAlerts.length, 1, `one error node under the denied account: ${JSON.stringify(rows)}`);
    assert.match(sandboxAlerts[0], denied);

    // Logs: account → log groups; the saved queries once, after the accounts.
    rows = await expandAccounts('Logs', { [PAYMENTS.id]: '/payments/worker', [DATA.id]: '/data/etl', [DENIED.id]: denied });
    const paymentsLogs = under(rows, PAYMENTS.name);
    // A row's text is its label, then its description ("0 B · never expires").
    const groupNames = (texts: string[]) => texts.map((t) => t.replace(/\d+(\.\d+)? (B|KiB|MiB|GiB|TiB) · .*$/, ''));
    assert.deepEqual(groupNames(paymentsLogs), ['/payments/api', '/payments/worker'], JSON.stringify(rows));
    assert.deepEqual(groupNames(under(rows, DATA.name)), ['/data/etl'], JSON.stringify(rows));
    const sandboxLogs = under(rows, DENIED.name);
    assert.equal(sandboxLogs.length, 1, `one error node under the denied account: ${JSON.stringify(rows)}`);
    assert.match(sandboxLogs[0], denied);
    assert.ok(!sandboxLogs.some((t) => t.includes('/sandbox/hidden')), 'the denied account shows none of its groups');

    // Pipeline: account → that account's pipeline stacks, with no stack actions (they act on the profile's account).
    rows = await expandAccounts('Pipeline', { [PAYMENTS.id]: 'payments-pipeline', [DATA.id]: 'data-pipeline', [DENIED.id]: denied });
    assert.deepEqual(under(rows, PAYMENTS.name).map((t) => t.split(/CREATE_|UPDATE_/)[0]), ['payments-pipeline'], JSON.stringify(rows));
    assert.deepEqual(under(rows, DATA.name).map((t) => t.split(/CREATE_|UPDATE_/)[0]), ['data-pipeline'], JSON.stringify(rows));
    const sandboxPipeline = under(rows, DENIED.name);
    assert.equal(sandboxPipeline.length, 1, `one error node under the denied account: ${JSON.stringify(rows)}`);
    assert.match(sandboxPipeline[0], denied);
  }));

  const chooseFromContextMenu = (target: Locator, label: string, opened: Locator) => chooseMenuItem(vs!.page, target, label, opened);

  /** Each finding's workflow status in moto, read in the account itself. */
  async function statusesIn(accountId: string): Promise<Record<string, string>> {
    const hub = new SecurityHubClient(await accounts.clientConfigIn(accountId));
    const found = (await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? [];
    hub.destroy();
    return Object.fromEntries(found.map((f) => [f.Title!, f.Workflow?.Status ?? 'NEW']));
  }

  const actName = 'on another account\'s nodes: bulk triage across two accounts, triage from the detail page and Logs Insights act in each node\'s own account';
  test(actName, () => screenshotOnFailure(() => vs, shotName('accountScope', actName), async () => {
    const session = vs!;
    const { page } = session;
    await showOnlyView(session, 'Findings');
    const pane = session.viewPane('Findings');
    const row = (text: string) => pane.locator('.monaco-list-row', { hasText: text }).first();
    const paymentsFinding = SEEDED[PAYMENTS.id].findings[0];
    const [dataFinding, dataLifecycle] = SEEDED[DATA.id].findings;
    await row(dataLifecycle).waitFor({ timeout: 60_000 });

    // A selection spanning two accounts: the confirmation says how many findings and calls in each account.
    gaps.batchUpdates.length = 0;
    await row(paymentsFinding).click();
    await row(dataFinding).click({ modifiers: ['Control'] });
    assert.equal(await pane.locator('.monaco-list-row.selected').count(), 2);
    await chooseFromContextMenu(row(dataFinding), 'Set Finding Workflow Status', page.locator('.quick-input-widget', { hasText: 'Set workflow status of 2 findings' }));
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'RESOLVED' }).first().click();
    await page.locator('.quick-input-widget', { hasText: 'Note for RESOLVED' }).waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-widget input').fill('fixed in each account');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Set the workflow status of 2 findings to RESOLVED?' });
    await dialog.waitFor({ timeout: 15_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /2 findings will change, in 2 calls to Security Hub/);
    assert.match(text, /In 2 accounts, each with its own credentials:/);
    assert.match(text, /Payments Prod \(111111111111\): 1 finding, 1 call/);
    assert.match(text, /Data Dev \(222222222222\): 1 finding, 1 call/);
    await session.screenshot('accountScope-bulk-triage-confirm');
    await dialog.getByRole('button', { name: 'Set RESOLVED on 2 Findings' }).click();

    // Each account's call went with its own credentials, and each finding changed in its own account.
    await row(dataFinding).waitFor({ state: 'detached', timeout: 60_000 });
    await row(paymentsFinding).waitFor({ state: 'detached', timeout: 60_000 });
    assert.deepEqual(gaps.batchUpdates.map((c) => [c.accountId, c.processed, c.unprocessed]).sort(), [[PAYMENTS.id, 1, 0], [DATA.id, 1, 0]].sort());
    assert.equal((await statusesIn(PAYMENTS.id))[paymentsFinding], 'RESOLVED');
    const dataNow = await statusesIn(DATA.id);
    assert.equal(dataNow[dataFinding], 'RESOLVED');
    assert.equal(dataNow[dataLifecycle], 'NEW');
    await session.screenshot('accountScope-bulk-triaged');

    // The detail page of another account's finding: its triage button acts in that account.
    gaps.batchUpdates.length = 0;
    await row(dataLifecycle).click();
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('#triage-notified').click({ timeout: 60_000 });
    await frame.locator('#triage-status', { hasText: 'Set NOTIFIED on 1 finding.' }).waitFor({ timeout: 60_000 });
    await session.screenshot('accountScope-detail-triaged');
    assert.deepEqual(gaps.batchUpdates.map((c) => [c.accountId, c.processed]), [[DATA.id, 1]]);
    assert.equal((await statusesIn(DATA.id))[dataLifecycle], 'NOTIFIED');

    // Logs Insights from the Data account's log group: the query file names the account, and runs there.
    await showOnlyView(session, 'Logs');
    const logs = session.viewPane('Logs');
    const etl = logs.locator('.monaco-list-row', { hasText: '/data/etl' }).first();
    await etl.waitFor({ timeout: 60_000 });
    const editorLine = page.locator('.monaco-editor .view-line', { hasText: `# account: ${DATA.id}/${VIEWER_ROLE}` }).first();
    await chooseFromContextMenu(etl, 'New Logs Insights Query', editorLine);
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Logs Insights query' }).first();
    await lens.waitFor({ timeout: 60_000 });
    await page.locator('.monaco-editor .codelens-decoration', { hasText: `account ${DATA.id}/${VIEWER_ROLE}` }).first().waitFor({ timeout: 30_000 });
    await session.screenshot('accountScope-insights-query');
    await lens.click();
    const results = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await results.locator('.status', { hasText: /1 row/ }).first().waitFor({ timeout: 90_000 });
    await results.getByText('data-etl batch 42 loaded').first().waitFor({ timeout: 30_000 });
    await session.screenshot('accountScope-insights-results');
  }));

  const dashName = 'the cost dashboard under the scope shows every account from the management account (Payments Prod, which Organizations names): the notice says so, each account\'s figures are its own, every request signed by the payer and filtered to the scope\'s accounts';
  test(dashName, () => screenshotOnFailure(() => vs, shotName('accountScope', dashName), async () => {
    const session = vs!;
    ce.requests.length = 0;
    await session.runCommand('Open Cost Dashboard');
    // The finding and results panels are webviews too: find the dashboard's among them.
    const frames = session.page.frameLocator('iframe.webview.ready');
    let frame: FrameLocator | undefined;
    for (const deadline = Date.now() + 60_000; !frame && Date.now() < deadline;) {
      const n = await session.page.locator('iframe.webview.ready').count();
      for (let i = 0; i < n && !frame; i++) {
        const f = frames.nth(i).frameLocator('#active-frame');
        if (await f.locator('#scope-note').count().catch(() => 0)) frame = f;
      }
    }
    assert.ok(frame, 'the dashboard opened');
    await frame.locator('.notice vscode-button', { hasText: 'Allow requests' }).click({ timeout: 60_000 });
    await session.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow Requests' }).click({ timeout: 15_000 });
    await frame.locator('.chart-stacked .u-title', { hasText: /by service$/ }).waitFor({ timeout: 60_000 });
    const note = (await frame.locator('#scope-note').innerText()).replace(/\s+/g, ' ').trim();
    assert.equal(note, `Every account of the scope (3), from the management account ${PAYMENTS.name} (${PAYMENTS.id}): its Cost Explorer answers for the accounts of its organization, asked for these accounts only, and each request is recorded under it.`);

    // By account: each account's month to date, as the account itself would see it in Cost Explorer.
    await frame.locator('#dimension').click();
    await frame.locator('#dimension').getByRole('option', { name: /^Account/ }).first().click();
    await frame.locator('.chart-stacked .u-title', { hasText: /by account$/ }).waitFor({ timeout: 60_000 });
    await frame.locator('.status vscode-progress-ring').waitFor({ state: 'detached', timeout: 60_000 });
    const movers = (await frame.locator('.movers tbody tr').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    const today = utcToday(Date.now());
    for (const a of [PAYMENTS, DATA]) {
      const row = movers.find((t) => t.includes(`(${a.id})`));
      assert.ok(row, `${a.name} is in the dashboard: ${JSON.stringify(movers)}`);
      assert.ok(row.includes(formatCurrency(ownMonthToDate(a.id, today), 'USD')), `${a.name}: its own month to date ${formatCurrency(ownMonthToDate(a.id, today), 'USD')} in ${row}`);
    }
    const headline = await frame.locator('.cards .card .value').first().innerText();
    assert.equal(headline, formatCurrency(ownMonthToDate(PAYMENTS.id, today) + ownMonthToDate(DATA.id, today), 'USD'), 'the month to date is every account\'s');
    await session.screenshot('accountScope-dashboard-every-account');

    // Every Cost Explorer request came from the payer, each costs request and forecast filtered to the scope.
    assert.ok(ce.requests.length > 0);
    assert.deepEqual([...new Set(ce.requests.map((r) => accounts.accountOfKey(r.accessKeyId ?? '')))], [PAYMENTS.id]);
    const scoped = { Dimensions: { Key: 'LINKED_ACCOUNT', Values: [PAYMENTS.id, DATA.id, DENIED.id].sort() } };
    for (const r of ce.requests.filter((x) => x.op === 'GetCostAndUsage' || x.op === 'GetCostForecast')) assert.deepEqual(r.body.Filter, scoped, r.op);
    assert.ok(ce.requests.some((r) => r.op === 'GetCostForecast'), 'the forecast too');
  }));
});
