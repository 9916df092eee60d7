// A working day with the Alerts view in a real VS Code (code-server + Chromium) against moto_server,
// seeded by the sandbox seeder (pipeline alert states in ALARM and OK, CloudWatch alarms, the inbox).
// Issue 14: Do Not Disturb and writing our own settings keep the connection and the alarm states.
// Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openVsCode, ROOT, showOnlyView, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { publishDemoAlert, seed } from '../sandbox/seed/50-logs-alerts';
import type { SeedEnv } from '../sandbox/types';

describe('Alerts through a working day (issue 14)', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let env: SeedEnv;

  before(async () => {
    moto = await startMoto();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-alertsday-'));
    env = { endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig(), workspace, root: ROOT, log: () => undefined };
    await seed(env);
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({
      workspace, env: profile.env, viewport: { width: 1600, height: 1000 },
      settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' },
    });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  const only = (title: string) => showOnlyView(vs, title);

  const alertsHeader = () => vs.page.locator('.sidebar .pane-header', { has: vs.page.locator('h3.title', { hasText: /^\s*Alerts\s*$/ }) }).first();

  /** Connected: the status bar names the profile, the Alerts view lists the ALARM states, and no view says "No AWS connection". */
  async function assertConnected(when: string): Promise<void> {
    const status = await vs.statusBarText('sandbox · us-east-1', 15_000).catch(async () => `not connected: ${await vs.page.locator('#workbench\\.parts\\.statusbar').innerText()}`);
    assert.match(status, /sandbox · us-east-1/, `${when}: the status bar still names the connection`);
    const pane = vs.viewPane('Alerts');
    for (const want of ['checkout#error', 'payments#errorRate', 'cm-sandbox-dlq-depth']) {
      await pane.locator('.monaco-list-row', { hasText: want }).first().waitFor({ timeout: 15_000 }).catch(() => undefined);
      assert.equal(await pane.locator('.monaco-list-row', { hasText: want }).count() > 0, true, `${when}: the Alerts view shows ${want}: ${(await pane.innerText()).replace(/\s+/g, ' ')}`);
    }
    const welcome = await vs.page.locator('.sidebar .welcome-view-content', { hasText: 'No AWS connection' }).count();
    assert.equal(welcome, 0, `${when}: no view says "No AWS connection"`);
  }

  test('Do Not Disturb on and off, and writing another of our settings, keep the connection and the alarm states', async () => {
    await vs.openContainer();
    await only('Alerts');
    await alertsHeader().filter({ hasText: 'notifications on' }).waitFor({ timeout: 90_000 });
    await assertConnected('before');

    await vs.runCommand('Cloud Monitor: Toggle Alert Do Not Disturb');
    await alertsHeader().filter({ hasText: 'do not disturb' }).waitFor({ timeout: 30_000 });
    // The settings change reaches every listener; give a disconnect (the defect) its chance to show.
    await vs.page.locator('.notifications-toasts .notification-toast', { hasText: 'Do Not Disturb is on' }).first().waitFor({ timeout: 15_000 });
    await assertConnected('with Do Not Disturb on');
    await vs.screenshot('alerts-dnd-on');

    await vs.runCommand('Cloud Monitor: Toggle Alert Do Not Disturb');
    await alertsHeader().filter({ hasText: 'notifications on' }).waitFor({ timeout: 60_000 });
    await assertConnected('with Do Not Disturb off again');

    // Another of our settings, written in the user settings file as an editor would.
    const file = join(vs.server.userDataDir, 'User', 'settings.json');
    const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...settings, 'cloudMonitor.alerts.summaryThreshold': 7 }, null, 2));
    await assertConnected('after writing cloudMonitor.alerts.summaryThreshold');
    await vs.screenshot('alerts-dnd-off');
  });

  /** Hovers a row of the Alerts view and clicks its inline action. */
  async function inlineAction(rowText: string | RegExp, action: string): Promise<void> {
    const row = vs.viewPane('Alerts').locator('.monaco-list-row', { hasText: rowText }).first();
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${action}"]`).click();
  }

  test('a muted alert is marked with when the mute ends, and each mute is lifted on its own', async () => {
    const { page } = vs;
    await vs.openContainer();
    await only('Alerts');
    const pane = vs.viewPane('Alerts');
    await inlineAction('checkout#error', 'Mute Alerts…');
    // The mute's end lies between an hour after this click and an hour after the row is read.
    const mutedFrom = Date.now();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Mute checkout#error for 1 hour' }).first().click();
    await pane.locator('.monaco-list-row', { hasText: 'checkout#error' }).filter({ hasText: 'muted until' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await inlineAction('payments#errorRate', 'Mute Alerts…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Mute every alert from payments for 4 hours' }).first().click();

    const hhmm = (ms: number) => `${String(new Date(ms).getHours()).padStart(2, '0')}:${String(new Date(ms).getMinutes()).padStart(2, '0')}`;
    const checkout = pane.locator('.monaco-list-row', { hasText: 'checkout#error' }).first();
    await checkout.filter({ hasText: 'muted until' }).waitFor({ timeout: 15_000 });
    const text = (await checkout.innerText()).replace(/\s+/g, ' ');
    // Every minute from an hour after the click to an hour after the read (the clock can pass a minute between them).
    const checkoutEnds = [...new Set(Array.from({ length: Math.floor((Date.now() - mutedFrom) / 60_000) + 2 }, (_, i) => hhmm(mutedFrom + 3_600_000 + i * 60_000)))];
    // A mute that ends on another day names the date too (after 23:00 for the 1-hour one).
    assert.ok(checkoutEnds.some((t) => new RegExp(`muted until (\\d{4}-\\d\\d-\\d\\d )?${t}`).test(text)), `the row says when its mute ends (${checkoutEnds.join(' or ')}): ${text}`);
    await pane.locator('.monaco-list-row', { hasText: 'payments#errorRate' }).filter({ hasText: 'muted until' }).first().waitFor({ timeout: 15_000 });
    // The Muted group lists each mute with its end.
    await pane.locator('.monaco-list-row', { hasText: /^\s*Muted/ }).first().waitFor();
    const mutes = pane.locator('.monaco-list-row', { hasText: /until (\d{4}-\d\d-\d\d )?\d\d:\d\d · in / });
    assert.equal(await mutes.count(), 2, (await pane.innerText()).replace(/\s+/g, ' '));
    await pane.locator('.monaco-list-row', { hasText: 'every alert from payments' }).filter({ hasText: /in 4h/ }).first().waitFor();
    await vs.screenshot('alerts-muted');

    // Lift the app mute alone: payments is no longer marked, checkout still is.
    await inlineAction('every alert from payments', 'Unmute Alert');
    await pane.locator('.monaco-list-row', { hasText: 'every alert from payments' }).waitFor({ state: 'detached', timeout: 15_000 });
    await pane.locator('.monaco-list-row', { hasText: 'payments#errorRate' }).filter({ hasText: 'muted until' }).waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await pane.locator('.monaco-list-row', { hasText: 'checkout#error' }).filter({ hasText: 'muted until' }).count(), 1, 'checkout stays muted');
    // And checkout from its own row.
    await inlineAction('checkout#error', 'Unmute Alert');
    await pane.locator('.monaco-list-row', { hasText: 'muted until' }).waitFor({ state: 'detached', timeout: 15_000 });
    await pane.locator('.monaco-list-row', { hasText: /^\s*Muted/ }).waitFor({ state: 'detached', timeout: 15_000 });
  });

  test('the alert history lists what arrived while away (in a summary, or muted) and the table\'s states, from the summary toast', async () => {
    const { page } = vs;
    await vs.openContainer();
    await only('Alerts');
    const pane = vs.viewPane('Alerts');
    // A summary from the third alert on, and checkout#error muted.
    const file = join(vs.server.userDataDir, 'User', 'settings.json');
    writeFileSync(file, JSON.stringify({ ...(JSON.parse(readFileSync(file, 'utf8')) as object), 'cloudMonitor.alerts.summaryThreshold': 2 }, null, 2));
    await inlineAction('checkout#error', 'Mute Alerts…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Mute checkout#error for 1 hour' }).first().click();
    await pane.locator('.monaco-list-row', { hasText: /^\s*Muted/ }).first().waitFor({ timeout: 15_000 });

    // Away: during Do Not Disturb they arrive without a toast (or, if the poll comes after it is off, together).
    await vs.runCommand('Cloud Monitor: Toggle Alert Do Not Disturb');
    await alertsHeader().filter({ hasText: 'do not disturb' }).waitFor({ timeout: 30_000 });
    for (const app of ['orders', 'billing', 'shipping', 'search']) await publishDemoAlert(env, { appId: app, alertType: 'error', summary: `history test: ${app} failed` });
    await publishDemoAlert(env, { appId: 'checkout', alertType: 'error', summary: 'history test: checkout failed (muted)' });
    await vs.runCommand('Cloud Monitor: Toggle Alert Do Not Disturb');

    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /alerts (arrived during Do Not Disturb|arrived while you were away|at once)/ }).first();
    await toast.waitFor({ timeout: 60_000 });
    await toast.locator('.monaco-button', { hasText: 'Show History' }).click();
    // Show History opens the History node.
    await pane.locator('.monaco-list-row[aria-expanded="true"]', { hasText: /^\s*History/ }).first().waitFor({ timeout: 15_000 });
    for (const app of ['orders', 'billing', 'shipping', 'search']) {
      await pane.locator('.monaco-list-row', { hasText: `${app}#error` }).filter({ hasText: /during Do Not Disturb|in a summary/ }).first().waitFor({ timeout: 15_000 });
    }
    await pane.locator('.monaco-list-row', { hasText: 'checkout#error' }).filter({ hasText: /ALARM · muted · .*history test: checkout failed/ }).first().waitFor({ timeout: 15_000 });
    // The states read from the table are in it too.
    await pane.locator('.monaco-list-row', { hasText: 'payments#errorRate' }).filter({ hasText: 'state change (table)' }).first().waitFor({ timeout: 15_000 });
    await vs.screenshot('alerts-history');
  });

  test('the activity-bar badge says what it counts, and keeps its count across a reconnect', async () => {
    const { page } = vs;
    await vs.openContainer();
    await only('Alerts');
    const icon = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="Cloud Monitor"]') });
    await icon.locator('.badge-content').filter({ hasText: /^3$/ }).waitFor({ timeout: 30_000 });
    const label = async () => (await icon.locator('a').first().getAttribute('aria-label')) ?? '';
    assert.match(await label(), /3 in ALARM \(2 pipeline alerts, 1 CloudWatch alarm\) in sandbox · us-east-1, counted at/, await label());
    // With the Alerts view closed (nothing reloads it), connect elsewhere and back.
    await only('Logs');
    const selectRegion = async (region: string) => {
      await vs.runCommand('Cloud Monitor: Select Region');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: region }).first().click();
      await vs.statusBarText(`sandbox · ${region}`);
    };
    await selectRegion('us-west-2');
    await icon.locator('.badge-content').waitFor({ state: 'hidden', timeout: 15_000 });
    await selectRegion('us-east-1');
    assert.equal((await icon.locator('.badge-content').allInnerTexts()).join('').trim(), '3', 'back on the connection it counted: the same count');
    assert.match(await label(), /3 in ALARM \(2 pipeline alerts, 1 CloudWatch alarm\) in sandbox · us-east-1, counted at \d\d:\d\d/, await label());
    await vs.screenshot('alerts-badge');
  });
});
