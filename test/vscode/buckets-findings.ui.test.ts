// UI test of the Buckets and Findings views in code-server + Chromium, against moto_server seeded by
// the sandbox seeder. Security Hub's BatchUpdateFindings is answered by a recorded-response proxy in
// front of moto (moto lacks it: HTTP 404); every other call goes through to moto.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { openVsCode, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { startFaultProxy, type FaultProxy } from '../helpers/s3FaultProxy';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { createBucket, seed } from '../sandbox/seed/10-buckets-findings';

let current: VsCodeSession | undefined;
const page = () => current!.page;
const titled = (name: string) => page().locator('.pane-header', { has: page().locator('h3.title', { hasText: new RegExp(`^\\s*${name}\\s*$`, 'i') }) });
function header(name: string): Locator {
  return page().locator('.sidebar').locator(titled(name)).first();
}
function pane(name: string): Locator {
  return page().locator('.sidebar .pane', { has: titled(name) }).first();
}
async function setExpanded(name: string, expanded: boolean): Promise<void> {
  const h = header(name);
  if (((await h.getAttribute('aria-expanded')) === 'true') !== expanded) await h.click();
}
/** Shows one of the two views with the whole sidebar height. */
async function only(name: 'Buckets' | 'Findings'): Promise<void> {
  await setExpanded(name, true);
  await setExpanded(name === 'Buckets' ? 'Findings' : 'Buckets', false);
}
const row = (p: Locator, text: string | RegExp) => p.locator('.monaco-list-row', { hasText: text }).first();

/** Collapses every view but Buckets and Findings, and widens the sidebar so descriptions fit. */
async function focusOurViews(vs: VsCodeSession): Promise<void> {
  current = vs;
  await vs.openContainer();
  await vs.page.locator('.sidebar .pane-header h3.title', { hasText: /^\s*Findings\s*$/i }).first().waitFor();
  const titles = (await vs.page.locator('.sidebar .pane-header h3.title').allInnerTexts()).map((t) => t.trim());
  for (const name of titles) if (!/^(buckets|findings)$/i.test(name)) await setExpanded(name, false);
  const box = await vs.page.locator('.part.sidebar').boundingBox();
  if (box) {
    await vs.page.mouse.move(box.x + box.width + 1, box.y + 300);
    await vs.page.mouse.down();
    await vs.page.mouse.move(box.x + 720, box.y + 300, { steps: 8 });
    await vs.page.mouse.up();
  }
}

const XSS_TITLE = '<img src=x onerror=alert(1)><script>alert("title")</script> Bucket <b>policy</b>';

describe('Buckets and Findings UI (moto_server; BatchUpdateFindings from a recorded-response proxy: moto lacks it)', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let proxy: FaultProxy;
  const triageCalls: { FindingIdentifiers: { Id: string }[]; Workflow?: { Status: string }; Note?: { Text: string } }[] = [];

  before(async () => {
    moto = await startMoto();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-'));
    await seed({ endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig(), workspace, root: process.cwd(), log: () => undefined });
    proxy = await startFaultProxy(moto.endpoint, {}, {
      intercept: ({ method, url, body }) => {
        if (method !== 'PATCH' || !url.startsWith('/findings/batchupdate')) return undefined;
        const input = JSON.parse(body) as (typeof triageCalls)[number];
        triageCalls.push(input);
        return { status: 200, body: JSON.stringify({ ProcessedFindings: input.FindingIdentifiers, UnprocessedFindings: [] }) };
      },
    });
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), proxy.endpoint);
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1500, height: 1000 } });
    await focusOurViews(vs);
  });
  after(async () => {
    await vs?.close();
    await proxy?.close();
    await moto?.stop();
  });

  /** A view's pane by its exact title (the view descriptions follow the title in the header's text). */

  test('Buckets: one row per bucket with its posture, size and cost; findings counted', async () => {
    // Both views are open at first: the Findings view loads and sends its counts to the bucket rows.
    await row(pane('Findings'), /Critical \(2\)/).waitFor({ timeout: 60_000 });
    await only('Buckets');
    const buckets = pane('Buckets');
    await row(buckets, 'us-east-1').waitFor({ timeout: 60_000 });
    const pub = row(buckets, 'demo-public-website');
    await pub.waitFor({ timeout: 30_000 });
    // Posture arrives in the background; storage once the region is expanded (it is by default).
    await buckets.locator('.monaco-list-row', { hasText: /demo-public-website.*public!/ }).first().waitFor({ timeout: 60_000 });
    await buckets.locator('.monaco-list-row', { hasText: /demo-no-tls-policy.*no TLS-only policy/ }).first().waitFor({ timeout: 30_000 });
    await buckets.locator('.monaco-list-row', { hasText: /demo-no-lifecycle-logs.*no lifecycle.*890 GiB.*consider lifecycle/ }).first().waitFor({ timeout: 30_000 });
    assert.match(await row(buckets, 'demo-locked-down').innerText(), /ok\s*·\s*15 GiB\s*·\s*~\$0\.\d\d\/mo/);
    // The Findings view loads too (visible): its counts reach the bucket rows.
    await buckets.locator('.monaco-list-row', { hasText: /demo-public-website.*2 findings/ }).first().waitFor({ timeout: 60_000 });
    await vs.screenshot('buckets-view');
  });

  test('Buckets: tooltip lists every check; the problems filter hides clean buckets', async () => {
    const buckets = pane('Buckets');
    // Rows can shift while results arrive: hover until the tooltip is this bucket's.
    const hover = vs.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'demo-public-website' }).filter({ hasText: /Estimated\sstorage\scost/ }).first();
    for (let attempt = 0; attempt < 5 && !(await hover.isVisible()); attempt++) {
      await vs.page.mouse.move(900, 950);
      await row(buckets, 'demo-public-website').hover();
      await hover.waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    await hover.waitFor({ timeout: 5_000 });
    await vs.page.waitForTimeout(500);
    // MarkdownString.appendText turns spaces into &nbsp;.
    const text = ((await hover.textContent()) ?? '').replace(/\u00a0/g, ' ');
    for (const check of ['Block Public Access', 'Public via policy', 'Public via ACL', 'Default encryption', 'Versioning', 'Lifecycle rules', 'TLS-only policy', 'Estimated storage cost', '2025-01']) assert.ok(text.includes(check), `tooltip has ${check}: ${text}`);
    await vs.screenshot('buckets-tooltip');
    await vs.page.mouse.move(900, 950);
    await vs.runCommand('Cloud Monitor: Show Only Buckets with Problems');
    await vs.page.waitForTimeout(1000);
    assert.equal(await buckets.locator('.monaco-list-row', { hasText: 'demo-locked-down' }).count(), 0, 'a clean bucket is hidden');
    assert.equal(await buckets.locator('.monaco-list-row', { hasText: 'demo-public-website' }).count(), 1);
    await vs.screenshot('buckets-filter');
    await vs.runCommand('Cloud Monitor: Show All Buckets');
    await row(buckets, 'demo-locked-down').waitFor({ timeout: 15_000 });
  });

  test('Buckets: browse Hive partitions and open gzip JSON Lines read-only', async () => {
    // Control: typing lands in a writable editor, and shows how long a keystroke takes to render here.
    await vs.runCommand('File: New Untitled Text File');
    const writable = vs.page.locator('.editor-instance .monaco-editor.focused');
    await writable.waitFor({ timeout: 15_000 });
    const typedAt = Date.now();
    await vs.page.keyboard.type('zzz');
    await vs.page.locator('.editor-instance .view-lines', { hasText: 'zzz' }).first().waitFor({ timeout: 15_000 });
    const renderMs = Date.now() - typedAt;
    await vs.runCommand('View: Revert and Close Editor');
    await vs.page.locator('.editor-instance .view-lines', { hasText: 'zzz' }).waitFor({ state: 'detached', timeout: 15_000 });

    const buckets = pane('Buckets');
    await row(buckets, 'demo-data-lake').click();
    await row(buckets, 'events/').click();
    await buckets.locator('.monaco-list-row', { hasText: /year = 2024.*partition/ }).first().click();
    await buckets.locator('.monaco-list-row', { hasText: /month = 03.*partition/ }).first().click();
    await row(buckets, /day = 01/).waitFor({ timeout: 30_000 });
    await row(buckets, /day = 01/).click();
    await row(buckets, 'part-00000.json.gz').click();
    const editor = vs.page.locator('.editor-instance .view-lines').first();
    await editor.waitFor({ timeout: 30_000 });
    await vs.page.locator('.editor-instance .view-lines', { hasText: '"service":"checkout"' }).first().waitFor({ timeout: 30_000 });
    await vs.page.locator('.codelens-decoration', { hasText: 'Read-only preview of s3://demo-data-lake/events/year=2024/month=03/day=01/part-00000.json.gz' }).first().waitFor({ timeout: 15_000 });
    await vs.screenshot('buckets-preview-gzip-jsonl');
    // Typing does nothing: the document is read-only. Focus is in the preview's editor first: a click on
    // its first line, and if the workbench kept focus in the tree (seen under load), Focus Active Editor Group.
    await vs.page.locator('.editor-instance .view-line', { hasText: '"service":"checkout"' }).first().click();
    await vs.page.locator('.tab.active', { hasText: 'part-00000.json.gz' }).waitFor({ timeout: 15_000 });
    const focusedPreview = vs.page.locator('.editor-instance .monaco-editor.focused', { hasText: '"service":"checkout"' });
    if (!(await focusedPreview.waitFor({ timeout: 5_000 }).then(() => true, () => false))) await vs.runCommand('View: Focus Active Editor Group');
    await focusedPreview.waitFor({ timeout: 15_000 });
    await vs.page.keyboard.type('zzz');
    // VS Code answers an edit attempt in a read-only editor with this message: the keys reached the preview.
    await vs.page.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).first().waitFor({ timeout: 15_000 });
    await vs.screenshot('buckets-preview-readonly');
    // And the text never renders, for well over the time the control took to show it.
    const until = Date.now() + Math.max(3_000, 5 * renderMs);
    while (Date.now() < until) {
      assert.equal(await vs.page.locator('.editor-instance .view-lines', { hasText: 'zzz' }).count(), 0, 'typed text rendered in the preview');
      await vs.page.waitForTimeout(100);
    }
  });

  test('Buckets: an object over the size limit opens truncated, with a warning above it', async () => {
    const buckets = pane('Buckets');
    await row(buckets, 'exports/').click();
    await row(buckets, 'large.jsonl').click();
    await vs.page.locator('.codelens-decoration', { hasText: 'Truncated preview: first 1.0 MiB' }).first().waitFor({ timeout: 30_000 });
    await vs.page.locator('.notifications-toasts', { hasText: 'Showing only the first 1.0 MiB' }).first().waitFor({ timeout: 15_000 });
    await vs.screenshot('buckets-preview-truncated');
  });

  test('Findings: grouped by severity with counts, a badge, markup shown as text', async () => {
    await only('Findings');
    const findings = pane('Findings');
    await row(findings, /Critical \(2\)/).waitFor({ timeout: 60_000 });
    for (const label of ['High (3)', 'Medium (2)', 'Low (2)', 'Informational (2)']) await row(findings, label).waitFor({ timeout: 15_000 });
    const badge = vs.page.locator('.activitybar .action-item', { has: vs.page.locator('a[aria-label^="Cloud Monitor"]') }).locator('.badge-content').first();
    assert.equal((await badge.innerText()).trim(), '11');
    const xss = findings.locator('.monaco-list-row', { hasText: 'alert("title")' }).first();
    await xss.waitFor({ timeout: 15_000 });
    assert.ok((await xss.innerText()).includes(XSS_TITLE), 'the label is the literal title');
    assert.equal(await vs.page.locator('.sidebar img[src="x"]').count(), 0, 'no element was created from the markup');
    await vs.screenshot('findings-view');
  });

  test('Findings: the detail view renders the finding as text, with remediation and dates', async () => {
    const findings = pane('Findings');
    await findings.locator('.monaco-list-row', { hasText: 'alert("title")' }).first().click();
    const frame: FrameLocator = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    const h1 = frame.locator('h1');
    await h1.waitFor({ timeout: 30_000 });
    assert.equal(await h1.textContent(), XSS_TITLE);
    assert.equal(await frame.locator('img').count(), 0);
    assert.equal(await frame.locator('b, i, a[href^="javascript"]').count(), 0);
    const body = await frame.locator('body').innerText();
    assert.ok(body.includes('<script>document.body.innerHTML="pwned"</script>'), 'description shown literally');
    assert.ok(body.includes('Only https: links are opened, and this one is not.'), 'javascript: remediation link is not offered');
    assert.equal(await frame.locator('#open-remediation').count(), 0);
    assert.ok(body.includes('WARNING'), 'compliance status');
    assert.match(body, /First seen\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await vs.screenshot('finding-detail-markup');
  });

  test('Findings: triage from the detail view updates the tree without a reload; Reveal bucket selects it', async () => {
    const findings = pane('Findings');
    await findings.locator('.monaco-list-row', { hasText: 'S3 general purpose buckets should block public read access' }).first().click();
    const frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('h1', { hasText: 'block public read access' }).waitFor({ timeout: 30_000 });
    assert.ok((await frame.locator('body').innerText()).includes('https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2'));
    await frame.locator('#note textarea, #note').first().click();
    await vs.page.keyboard.type('Bucket made private in change 42');
    await frame.locator('#triage-resolved').click();
    await frame.locator('.status.ok', { hasText: 'Set RESOLVED on 1 finding.' }).waitFor({ timeout: 30_000 });
    assert.equal(triageCalls.length, 1);
    assert.equal(triageCalls[0].Workflow?.Status, 'RESOLVED');
    assert.equal(triageCalls[0].Note?.Text, 'Bucket made private in change 42');
    assert.deepEqual(triageCalls[0].FindingIdentifiers.map((f) => f.Id), ['s3-2/demo-public-website']);
    // Resolved findings leave the default filter: the tree and counts update in place.
    await row(findings, /Critical \(1\)/).waitFor({ timeout: 15_000 });
    assert.equal(await findings.locator('.monaco-list-row', { hasText: 'block public read access' }).count(), 0);
    await vs.page.locator('.activitybar .badge-content', { hasText: /^10$/ }).first().waitFor({ timeout: 15_000 });
    await vs.screenshot('finding-triaged');

    await setExpanded('Buckets', true);
    await frame.locator('#reveal-bucket').click();
    const buckets = pane('Buckets');
    await buckets.locator('.monaco-list-row.selected', { hasText: /demo-public-website.*1 finding/ }).first().waitFor({ timeout: 30_000 });
    await vs.screenshot('finding-reveal-bucket');
  });

  test('Findings: an open detail view comes back after a window reload (WebviewPanelSerializer)', async () => {
    await vs.runCommand('Developer: Reload Window');
    await vs.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    // Restoring waits for the extension to activate and fetch the finding again: slow on a busy machine.
    await frame.locator('h1', { hasText: 'S3 general purpose buckets should block public read access' }).waitFor({ timeout: 120_000 });
    // Fetched again from moto by id (the triage above went to the recorded endpoint, so moto still says NEW).
    await frame.locator('.row', { hasText: /Workflow\s*NEW/ }).waitFor({ timeout: 30_000 });
    assert.ok((await frame.locator('body').innerText()).includes('Finding id: s3-2/demo-public-website'));
    await vs.screenshot('finding-detail-restored');
  });
});

describe('Buckets and Findings UI: errors stay where they happen (fault proxy in front of moto: AccessDenied on one bucket, Security Hub not enabled)', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let proxy: FaultProxy;

  before(async () => {
    moto = await startMoto();
    for (const name of ['ok-bucket', 'denied-bucket', 'other-bucket']) await createBucket(moto.clientConfig(), { name, pab: true, encryption: 'AES256' });
    proxy = await startFaultProxy(moto.endpoint, { 'denied-bucket': 'AccessDenied' }, {
      // What Security Hub answers in a region where it was never enabled.
      intercept: ({ method, url }) => method === 'POST' && url.startsWith('/findings')
        ? { status: 401, headers: { 'x-amzn-errortype': 'InvalidAccessException' }, body: JSON.stringify({ Code: 'InvalidAccessException', Message: 'Account 123456789012 is not subscribed to AWS Security Hub' }) }
        : undefined,
    });
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), proxy.endpoint);
    vs = await openVsCode({ workspace: mkdtempSync(join(tmpdir(), 'ws-')), env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1500, height: 1000 } });
    await focusOurViews(vs);
  });
  after(async () => {
    await vs?.close();
    await proxy?.close();
    await moto?.stop();
  });

  test('AccessDenied shows on that bucket only; the others are checked', async () => {
    await only('Buckets');
    const buckets = pane('Buckets');
    await buckets.locator('.monaco-list-row', { hasText: /denied-bucket.*access denied/ }).first().waitFor({ timeout: 60_000 });
    await buckets.locator('.monaco-list-row', { hasText: /ok-bucket.*no TLS-only policy/ }).first().waitFor({ timeout: 30_000 });
    await buckets.locator('.monaco-list-row', { hasText: /other-bucket.*no TLS-only policy/ }).first().waitFor({ timeout: 30_000 });
    await row(buckets, 'denied-bucket').click();
    const error = row(buckets, 'Access denied: Access Denied');
    await error.waitFor({ timeout: 30_000 });
    await error.hover();
    assert.equal(await error.locator('.action-label[aria-label="Retry"]').count(), 1, 'inline Retry on the failed listing');
    await row(buckets, 'ok-bucket').click();
    await row(buckets, 'Empty bucket').waitFor({ timeout: 30_000 });
    await vs.screenshot('buckets-access-denied');
  });

  test('Security Hub not enabled is a message with a link, not an error', async () => {
    await only('Findings');
    const findings = pane('Findings');
    await row(findings, 'Security Hub is not enabled in us-east-1').waitFor({ timeout: 60_000 });
    await row(findings, 'Enable Security Hub in the AWS console').waitFor({ timeout: 15_000 });
    assert.equal(await findings.locator('.monaco-list-row .codicon-error').count(), 0, 'no error item');
    assert.match(await header('Findings').innerText(), /not enabled/i);
    await vs.screenshot('findings-not-enabled');
  });
});
