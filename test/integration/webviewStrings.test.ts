// Every label of the three webviews comes from the strings table the host puts into the page
// (src/webview/strings.ts): each bundle in headless Chromium, with a pseudo-translated table (every message
// wrapped in ⟪…⟫, as a translation would change it), shows the table's texts and none of the English ones.
// On the old code, where the webviews carried their own English, "Summary", "Copy", "Range"… stay English.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { english, fill, type L10n } from '../../src/webview/strings';
import { dashboardChecks } from '../../src/costs/dashboardChecks';
import { dashboardStrings } from '../../src/costs/dashboardStrings';
import { findingStrings } from '../../src/findings/detailStrings';
import { resultsStrings } from '../../src/webview/results/strings';
import type { CostsDashboardSpec, DashboardParams } from '../../src/costs/dashboardProtocol';
import type { FindingDetailSpec } from '../../src/findings/detailProtocol';
import type { ResultsSpec } from '../../src/webview/results/protocol';
import { ResultsBinding } from '../../src/webview/results/binding';
import { ResultSet } from '../../src/webview/results/resultSet';
import { check } from '../../src/webview/validate';
import { openWebviewPage, ROOT, type WebviewPage } from '../helpers/webviewPage';
import type { Endpoint, Spec } from '../../src/webview/protocol';

/** A translation that changes every message visibly and keeps its placeholders. */
const pseudo: L10n = { t: (message, ...args) => english.t(`⟪${message}⟫`, ...args) };
const open: WebviewPage<Spec>[] = [];
after(async () => { for (const wv of open) await wv.close(); });

/** Every text of the page a person reads: text content and the title/placeholder/label/aria-label attributes. */
function pageText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const app = document.getElementById('app')!;
    const attrs = [...app.querySelectorAll('*')].flatMap((e) => ['title', 'placeholder', 'label', 'aria-label'].map((a) => e.getAttribute(a) ?? ''));
    return [app.textContent ?? '', ...attrs].join('\n');
  });
}

/** The English messages of a table, as the words between its placeholders (four letters or more, so data can't match them by chance). */
function englishWords(table: Record<string, string>): string[] {
  return [...new Set(Object.values(table).flatMap((m) => m.split(/\{\d+\}/)).map((s) => s.trim()).filter((s) => /[A-Za-z]{4,}/.test(s)))];
}

async function assertOnlyHostStrings(page: Page, table: Record<string, string>, expected: string[], shot: string): Promise<void> {
  const text = await pageText(page);
  await page.screenshot({ path: `${ROOT}/test-results/${shot}.png` });
  for (const e of expected) assert.ok(text.includes(e), `the page shows the host's "${e}"`);
  const outside = text.replace(/⟪[^⟫]*⟫/g, ' ');
  const left = englishWords(table).filter((w) => outside.includes(w));
  assert.deepEqual(left, [], 'no English label outside the host\'s (pseudo-translated) strings');
}

mkdirSync(`${ROOT}/test-results`, { recursive: true });

test('the finding detail webview shows only the labels of the host\'s strings table', async () => {
  const wv = await openWebviewPage<FindingDetailSpec>({
    bundle: 'finding',
    strings: findingStrings(pseudo),
    onHostEndpoint: (ep) => ep.on('ready', () => ep.notify('finding', {
      id: 'arn:zz-1', productArn: 'arn:zz-product', title: 'zz title', description: 'zz description', severity: 'HIGH', productName: 'zz', companyName: 'zz',
      resourceType: 'AwsS3Bucket', resourceId: 'arn:aws:s3:::zz-bucket', resourceCount: 3, workflowStatus: 'NEW', complianceStatus: 'FAILED',
      remediationText: 'zz remedy', remediationUrl: 'http://zz.example', types: ['zz/type'], note: { text: 'zz note', updatedBy: 'zz-user', updatedAt: '2026-01-02T03:04:05Z' },
      firstObservedAt: '2026-01-01T00:00:00Z', bucket: 'zz-bucket',
    })),
  });
  open.push(wv as unknown as WebviewPage<Spec>);
  await wv.page.waitForSelector('#triage-resolved');
  await assertOnlyHostStrings(wv.page, findingStrings(english), ['⟪Summary⟫', '⟪Resolved⟫', '⟪Note (optional): why this status⟫', '⟪(+2 more)⟫', '⟪Finding id: arn:zz-1⟫'], 'l10n-finding');
  assert.deepEqual(wv.errors, []);
});

test('the cost dashboard webview shows only the labels of the host\'s strings table', async () => {
  const params: DashboardParams = { rangeDays: 30, granularity: 'DAILY', dimension: 'SERVICE', metric: 'UnblendedCost', excludeCreditsRefundsTax: false };
  const wv = await openWebviewPage<CostsDashboardSpec>({
    bundle: 'costs',
    strings: dashboardStrings(pseudo),
    onHostEndpoint: (ep) => {
      ep.on('ready', () => ep.notify('init', { params, tagKey: 'zz_key' }));
      ep.handle('load', async () => ({ ok: false, reason: 'notConnected', message: 'zz message' }), dashboardChecks.load);
      ep.handle('estimate', async ({ params: ps }) => ps.map(() => ({ requests: 1, text: 'zz price' })), dashboardChecks.estimate);
    },
  });
  open.push(wv as unknown as WebviewPage<Spec>);
  await wv.page.waitForFunction(() => document.querySelector('.notice vscode-button') !== null);
  await assertOnlyHostStrings(wv.page, dashboardStrings(english), ['⟪Cost dashboard⟫', '⟪Range⟫', '⟪Last 30 days⟫', '⟪Select Profile⟫', '⟪Tag: zz_key⟫'], 'l10n-costs');
  assert.deepEqual(wv.errors, []);
});

test('the results webview shows only the labels of the host\'s strings table', async () => {
  const rs = new ResultSet([{ name: 'zz_a', kind: 'text', type: 'varchar' }, { name: 'zz_n', kind: 'number', type: 'bigint' }]);
  rs.appendRows([['zz', '1'], ['yy', '2']]);
  rs.setDetails([{ label: 'zz label', value: 'zz value' }], 'zz source');
  await rs.finish();
  const wv = await openWebviewPage<ResultsSpec>({
    bundle: 'results',
    strings: resultsStrings(pseudo),
    onHostEndpoint: (ep) => new ResultsBinding(ep, { writeClipboard: async () => undefined, exportToFile: async () => ({}) }, { title: 'zz.sql', resultSet: rs, query: 'SELECT zz' }),
  });
  open.push(wv as unknown as WebviewPage<Spec>);
  await wv.page.waitForFunction(() => (document.getElementById('app')?.textContent ?? '').includes('zz value'));
  await assertOnlyHostStrings(wv.page, resultsStrings(english), ['⟪Results⟫', '⟪Copy with Header⟫', '⟪Split by⟫', '⟪Rows read via⟫', fill('⟪{0} rows⟫', '2'), '⟪All columns⟫'], 'l10n-results');
  assert.deepEqual(wv.errors, []);
});

test('the cost dashboard offers "Choose a tag key" by the host\'s reason, in any language, and not for an AWS error that mentions a tag key', async () => {
  const params: DashboardParams = { rangeDays: 30, granularity: 'DAILY', dimension: 'TAG', metric: 'UnblendedCost', excludeCreditsRefundsTax: false };
  // A translated message has no English words for the page to match; an AWS error can say "tag key" and still be an error.
  const answers = [
    { ok: false as const, reason: 'noTagKey' as const, message: 'Kein Tag-Schlüssel gewählt: cloudMonitor.costs.tagKey festlegen.' },
    { ok: false as const, reason: 'error' as const, message: 'ValidationException: the tag key zz_key is not activated' },
  ];
  let chooseAsked!: () => void;
  const chosen = new Promise<void>((resolve) => { chooseAsked = resolve; });
  let host!: Endpoint<CostsDashboardSpec, 'host'>;
  const wv = await openWebviewPage<CostsDashboardSpec>({
    bundle: 'costs',
    strings: dashboardStrings(english),
    onHostEndpoint: (ep) => {
      host = ep;
      ep.on('ready', () => ep.notify('init', { params, tagKey: '' }));
      ep.on('chooseTagKey', () => chooseAsked(), check.none);
      ep.handle('load', async () => answers.shift() ?? { ok: false, reason: 'error', message: 'zz' }, dashboardChecks.load);
      ep.handle('estimate', async ({ params: ps }) => ps.map(() => ({ requests: 1, text: 'zz price' })), dashboardChecks.estimate);
    },
  });
  open.push(wv as unknown as WebviewPage<Spec>);
  const button = (label: string) => wv.page.locator('.notice vscode-button', { hasText: label });
  await button('Choose a tag key…').waitFor({ timeout: 15_000 });
  await button('Choose a tag key…').click();
  await chosen;

  host.notify('changed', undefined);
  await button('Retry').waitFor({ timeout: 15_000 });
  assert.equal(await button('Choose a tag key…').count(), 0, 'an AWS error is not a missing tag key');
  assert.deepEqual(wv.errors, []);
});
