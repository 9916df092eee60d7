// "Open Pipeline Data in Athena" in a real VS Code (code-server + Chromium) against moto_server: the
// query it opens carries the pipeline's workgroup and database for that editor only, the workspace's
// other .sql files keep the workspace's context, and once the pipeline's workgroup is gone a run says
// so and offers the way back. Screenshots go to test-results/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, DeleteWorkGroupCommand } from '@aws-sdk/client-athena';
import { openVsCode, ROOT, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { deployPipelineStack } from '../helpers/pipelineStack';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { seed } from '../sandbox/seed/40-athena';

const STACK = 'ui-athena';
const PIPELINE_CONTEXT = 'ui-athena · AwsDataCatalog.cloud_monitor_ui_athena';
const WORKSPACE_CONTEXT = 'sandbox · AwsDataCatalog.pipeline';

describe('Pipeline → Athena: the pipeline query carries its own context', () => {
  let vs: VsCodeSession;
  let moto: Moto;

  before(async () => {
    moto = await startMoto();
    const workspace = mkdtempSync(join(tmpdir(), 'ws-pipeline-athena-'));
    // The workspace's own Athena context (workgroup sandbox, database pipeline) and canned results.
    await seed({ endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig(), workspace, root: ROOT, log: () => undefined }, { rounds: 1 });
    writeFileSync(join(workspace, 'other.sql'), '-- The user\'s own query, in the workspace\'s context.\nSELECT appid, hour, errors FROM pipeline.events LIMIT 10;\n');
    await deployPipelineStack(moto.clientConfig(), { stackName: STACK, root: ROOT });
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), moto.endpoint);
    vs = await openVsCode({ workspace, env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1600, height: 1000 } });
  });
  after(async () => {
    await vs?.close();
    await moto?.stop();
  });

  const editorText = async () => (await vs.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
  const quickOpen = async (name: string) => {
    const { page } = vs;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
  };
  const runFirstLens = async () => {
    const lens = vs.page.locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: 'Run' }).first();
    await lens.waitFor({ timeout: 30_000 });
    await lens.click();
  };

  /** Waits until some results panel's status says `want` (a second query may open a panel of its own). */
  const resultsStatus = async (want: RegExp) => {
    const until = Date.now() + 60_000;
    for (;;) {
      for (const frame of vs.page.frames()) {
        const texts = await frame.locator('.status').allTextContents().catch(() => [] as string[]);
        if (texts.some((t) => want.test(t))) return;
      }
      if (Date.now() > until) throw new Error(`no results panel says ${want}`);
      await vs.page.waitForTimeout(250);
    }
  };

  test('the pipeline query names its workgroup and database in its header; the status bar shows them for that editor', async () => {
    const { page } = vs;
    // The command shows in the palette once connected (opening the views connects).
    await vs.openContainer();
    await vs.statusBarText('sandbox · us-east-1 · 123456789012', 60_000);
    await vs.runCommand('Cloud Monitor: Open Pipeline Data in Athena');
    // The status table is empty: it asks for the app id.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Open Data in Athena' }).waitFor({ timeout: 60_000 });
    await page.locator('.quick-input-widget input').fill('checkout');
    await page.keyboard.press('Enter');
    await page.locator('.editor-group-container.active .monaco-editor .view-lines', { hasText: 'FROM "cloud_monitor_ui_athena"."events"' }).waitFor({ timeout: 30_000 });
    const text = await editorText();
    assert.match(text, /-- workgroup: ui-athena/);
    assert.match(text, /-- database: cloud_monitor_ui_athena/);
    await vs.statusBarText(PIPELINE_CONTEXT);
    await vs.screenshot('pipeline-athena-own-context');
  });

  test('the workspace\'s other .sql file keeps the workspace context and runs in it', async () => {
    const { page } = vs;
    await quickOpen('other.sql');
    await page.locator('.editor-group-container.active .monaco-editor .view-lines', { hasText: 'The user\'s own query' }).waitFor();
    await vs.statusBarText(WORKSPACE_CONTEXT, 15_000);
    await runFirstLens();
    await resultsStatus(/144 rows/);
    await vs.screenshot('pipeline-athena-other-file');
  });

  test('after the pipeline\'s workgroup is deleted, a run names it as missing and "Use Workspace Default" clears the file\'s header', async () => {
    const { page } = vs;
    // What deleting the pipeline stack leaves behind (moto's stack delete does not remove the workgroup itself).
    const athena = new AthenaClient(moto.clientConfig());
    await athena.send(new DeleteWorkGroupCommand({ WorkGroup: STACK, RecursiveDeleteOption: true }));
    athena.destroy();
    await page.locator('.tabs-container .tab', { hasText: 'Untitled-1' }).first().click();
    await vs.statusBarText(PIPELINE_CONTEXT);
    await runFirstLens();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Workgroup "ui-athena" no longer exists' });
    const useDefault = toast.locator('.monaco-button', { hasText: 'Use Workspace Default' });
    await useDefault.waitFor({ timeout: 60_000 });
    await vs.screenshot('pipeline-athena-missing-workgroup');
    await useDefault.click();
    await vs.statusBarText(WORKSPACE_CONTEXT, 15_000);
    const text = await editorText();
    assert.doesNotMatch(text, /-- workgroup:/);
    assert.doesNotMatch(text, /-- database:/);
    // It runs in the workspace's context now.
    await runFirstLens();
    await resultsStatus(/200 rows/);
    await vs.screenshot('pipeline-athena-back-to-default');
  });
});
