// The `npm run demo` sandbox in a UI test: moto_server seeded by every seeder (test/sandbox/seedAll.ts),
// code-server with the sandbox profile, and every Cloud Monitor view showing seeded data. Its screenshot
// (test-results/sandbox-overview.1.139.1.png) is the one in the README (media/readme/overview.png).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { VsCodeSession } from '../helpers/codeServer';
import type { Moto } from '../helpers/moto';
import { openSandbox, widenSideBar, type SandboxSession } from './sandboxSession';

describe('the demo sandbox: every view shows seeded data (moto_server seeded as by npm run demo; forecast, anomalies and BatchUpdateFindings from the sandbox stand-in: moto lacks them)', () => {
  let session: SandboxSession | undefined;
  let vs: VsCodeSession;
  let moto: Moto;

  before(async () => {
    session = await openSandbox();
    ({ vs, moto } = session);
  });
  after(async () => {
    await session?.close();
  });

  test('Costs after consent, Buckets, Findings, Alerts, Logs and Pipeline each list seeded items; the status bar says sandbox', async () => {
    await vs.openContainer();
    await widenSideBar(vs, 240);
    try {
      await checkViews();
    } catch (err) {
      await vs.screenshot('sandbox-overview-failed');
      throw err;
    }
    await vs.screenshot('sandbox-overview');
  });

  test('triage works in the sandbox: Resolved from the detail view sticks after a refresh (the stand-in applies BatchUpdateFindings to moto)', async () => {
    const findings = vs.viewPane('Findings');
    const title = 'Security groups should not allow unrestricted access';
    await findings.locator('.monaco-list-row', { hasText: title }).first().click();
    const frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('h1', { hasText: title }).waitFor({ timeout: 30_000 });
    await frame.locator('#triage-resolved').click();
    await frame.locator('.status.ok', { hasText: 'Set RESOLVED on 1 finding.' }).waitFor({ timeout: 30_000 });
    // moto itself now says RESOLVED, so a refresh (or a restart) keeps it out of the default filter.
    const hub = new SecurityHubClient(moto.clientConfig());
    const stored = ((await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? []).find((f) => f.Title?.startsWith(title));
    hub.destroy();
    assert.equal(stored?.Workflow?.Status, 'RESOLVED');
    await vs.runCommand('Refresh Findings');
    await findings.locator('.monaco-list-row', { hasText: /Critical \(1\)/ }).first().waitFor({ timeout: 30_000 });
    assert.equal(await findings.locator('.monaco-list-row', { hasText: title }).count(), 0);
    await vs.screenshot('sandbox-triaged');
  });

  async function checkViews() {
    assert.match(await vs.statusBarText('sandbox · us-east-1 · 123456789012'), /local endpoint/);
    const row = (view: string, text: string | RegExp) => vs.viewPane(view).locator('.monaco-list-row', { hasText: text }).first();

    await row('Costs', 'Allow requests and load costs').click();
    await vs.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Allow Requests' }).click();
    await row('Costs', /Month to date: \$[\d,]+\.\d\d/).waitFor({ timeout: 60_000 });
    await row('Costs', /Forecast for month end: \$[\d,]+\.\d\d/).waitFor({ timeout: 30_000 });
    await row('Buckets', /us-east-1\s*\d+ buckets/).waitFor({ timeout: 60_000 });
    // The posture scan's progress message, watched from before a fresh scan starts: it must show, then
    // hide, so the wait proves a scan ran and finished (the first scan may be over before we look). A
    // short scan can set and clear the message within one task of the window, so the observer reads the
    // text each change removed or replaced too, not only what the sidebar holds when it is called.
    await vs.page.evaluate(() => {
      const w = window as unknown as { sawPostureScan?: boolean };
      const said = (text: string | null | undefined) => !!text?.includes('Checking bucket posture');
      w.sawPostureScan = false;
      new MutationObserver((records) => {
        if (said(document.querySelector('.sidebar')?.textContent)) w.sawPostureScan = true;
        for (const r of records) {
          if (said(r.oldValue) || [...r.removedNodes].some((n) => said(n.textContent))) w.sawPostureScan = true;
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true, characterDataOldValue: true });
    });
    await vs.runCommand('Cloud Monitor: Refresh Buckets');
    await vs.page.waitForFunction(() => (window as unknown as { sawPostureScan?: boolean }).sawPostureScan === true, undefined, { timeout: 60_000 });
    await vs.viewPane('Buckets').getByText(/Checking bucket posture/).waitFor({ state: 'hidden', timeout: 60_000 });
    await row('Buckets', /demo-data-lake\s*no TLS-only policy/).waitFor({ timeout: 60_000 });
    await row('Findings', /Critical \(\d+\)/).waitFor({ timeout: 60_000 });
    await row('Logs', '/app/checkout').waitFor({ timeout: 60_000 });
    await row('Pipeline', 'cloud-monitor-pipeline').waitFor({ timeout: 60_000 });
    await row('Alerts', /Pipeline alerts\s*\d+ in ALARM/).waitFor({ timeout: 60_000 });
    await row('Alerts', /#error/).waitFor({ timeout: 15_000 });
    assert.equal(await vs.page.locator('.sidebar .welcome-view-content', { hasText: 'No AWS connection' }).count(), 0);

    // The cost dashboard beside the views (the sandbox queued its 12-month request second).
    const costs = vs.viewPane('Costs');
    await costs.locator('.pane-header').hover();
    await costs.locator('.pane-header .action-label[aria-label="Open Cost Dashboard"]').click();
    const frame = vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('.chart-stacked canvas').waitFor({ timeout: 60_000 });
    assert.match(await frame.locator('.card .value').first().innerText(), /^\$[\d,]+\.\d\d$/);
  }
});
