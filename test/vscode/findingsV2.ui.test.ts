// UI test of the Findings view for an account that has only Security Hub's 2025 generation (OCSF
// findings), in code-server + Chromium. moto 5.2.1 lacks DescribeSecurityHubV2, GetFindingsV2 and
// BatchUpdateFindingsV2, so the Security Hub V2 stand-in (test/helpers/securityHubV2StandIn.ts, checked
// against the botocore model) answers them in front of moto_server, and answers Security Hub CSPM's
// GetFindings with "not subscribed", as AWS does for an account without CSPM. Everything else is moto.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { openVsCode, type VsCodeSession } from '../helpers/codeServer';
import { startMoto, type Moto } from '../helpers/moto';
import { writeSandboxProfile } from '../helpers/sandboxProfile';
import { ocsfFinding, sandboxOcsfFindings, V2_HOSTILE_TITLE } from '../helpers/securityHubV2Data';
import { startSecurityHubV2StandIn } from '../helpers/securityHubV2StandIn';

const env = { region: 'us-east-1', accountId: '123456789012' };
const S32 = 'V2: S3 general purpose buckets should block public read access';

describe('Findings UI for a Security Hub 2025-generation-only account (Security Hub V2 stand-in in front of moto_server: moto lacks the V2 operations)', () => {
  let vs: VsCodeSession;
  let moto: Moto;
  let standIn: Awaited<ReturnType<typeof startSecurityHubV2StandIn>>;

  const pane = (): Locator => vs.viewPane('Findings');
  const row = (text: string | RegExp) => pane().locator('.monaco-list-row', { hasText: text }).first();
  const detail = () => vs.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  before(async () => {
    moto = await startMoto();
    standIn = await startSecurityHubV2StandIn({ findings: sandboxOcsfFindings(env), cspm: false, upstream: moto.endpoint });
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), standIn.endpoint);
    vs = await openVsCode({ workspace: mkdtempSync(join(tmpdir(), 'ws-')), env: profile.env, settings: { 'cloudMonitor.profile': 'sandbox', 'cloudMonitor.region': 'us-east-1' }, viewport: { width: 1500, height: 1000 } });
    await vs.openContainer();
    await vs.page.locator('.sidebar .pane-header h3.title', { hasText: /^\s*Findings\s*$/i }).first().waitFor({ timeout: 60_000 });
    // Only the Findings view open, with the whole side bar, widened so descriptions fit.
    const headers = vs.page.locator('.sidebar .pane-header');
    for (let i = 0; i < (await headers.count()); i++) {
      const h = headers.nth(i);
      const isFindings = /^\s*Findings\s*$/i.test((await h.locator('h3.title').innerText()).trim());
      if (((await h.getAttribute('aria-expanded')) === 'true') !== isFindings) await h.click();
    }
    const box = await vs.page.locator('.part.sidebar').boundingBox();
    if (box) {
      await vs.page.mouse.move(box.x + box.width + 1, box.y + 300);
      await vs.page.mouse.down();
      await vs.page.mouse.move(box.x + 720, box.y + 300, { steps: 8 });
      await vs.page.mouse.up();
    }
  });
  after(async () => {
    await vs?.close();
    await standIn?.close();
    await moto?.stop();
  });

  test('the V2-only account shows its findings grouped by severity, not "not enabled" (Security Hub V2 stand-in)', async () => {
    try {
      await row(/Critical \(2\)/).waitFor({ timeout: 90_000 });
    } catch (err) {
      await vs.screenshot('findings-v2-failed');
      throw err;
    }
    for (const label of ['High (3)', 'Medium (2)', 'Low (2)', 'Informational (1)']) await row(label).waitFor({ timeout: 15_000 });
    assert.equal(await pane().locator('.monaco-list-row', { hasText: 'not enabled' }).count(), 0);
    assert.match(await vs.page.locator('.sidebar .pane-header', { hasText: /Findings/ }).first().innerText(), /New or In Progress/);
    // Rows carry the V2 status words; the In Progress finding is listed (still open).
    await pane().locator('.monaco-list-row', { hasText: /administrative privileges.*In Progress/ }).first().waitFor({ timeout: 15_000 });
    await pane().locator('.monaco-list-row', { hasText: /Exfiltration:S3\/AnomalousBehavior.*New.*GuardDuty/ }).first().waitFor({ timeout: 15_000 });
    // Outside text is a literal label: markup and a command link are the characters they are.
    const hostile = row('OCSF [Open runbook]');
    await hostile.waitFor({ timeout: 15_000 });
    assert.ok((await hostile.innerText()).includes(V2_HOSTILE_TITLE), 'the label is the literal title');
    assert.equal(await vs.page.locator('.sidebar img[src="x"]').count(), 0, 'no element was created from the markup');
    assert.equal(await pane().locator('.monaco-list-row a[href^="command:"]').count(), 0, 'no command link');
    await vs.screenshot('findings-v2-view');
    assert.deepEqual(standIn.requests.slice(0, 2).map((r) => r.operation), ['DescribeSecurityHubV2', 'GetFindingsV2']);
  });

  test('the detail page shows the OCSF finding as text; a hostile one stays text (Security Hub V2 stand-in)', async () => {
    await row('OCSF [Open runbook]').click();
    const frame = detail();
    const h1 = frame.locator('h1', { hasText: 'OCSF' });
    await h1.waitFor({ timeout: 30_000 });
    assert.equal(await h1.textContent(), V2_HOSTILE_TITLE);
    assert.equal(await frame.locator('img, b, a').count(), 0, 'no element from the markup');
    const body = await frame.locator('body').innerText();
    assert.ok(body.includes('<script>document.body.innerHTML="pwned"</script> $(pass-filled) all clear'), 'description shown literally');
    assert.ok(body.includes('Only https: links are opened, and this one is not.'), 'the javascript: reference is not offered');
    await vs.screenshot('finding-v2-detail-hostile');
  });

  test('triage from the detail page: Resolved goes out as StatusId 4 with the note, and sticks after Refresh (Security Hub V2 stand-in)', async () => {
    await row(S32).click();
    const frame = detail();
    await frame.locator('h1', { hasText: S32 }).waitFor({ timeout: 30_000 });
    const body = await frame.locator('body').innerText();
    assert.match(body, /Workflow\s+New/);
    assert.match(body, /Account · Region\s+123456789012 · us-east-1/);
    assert.match(body, /Compliance\s+Fail/);
    assert.match(body, /Product\s+Security Hub · AWS/);
    assert.ok(body.includes('https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2'));
    assert.equal(await frame.locator('#open-remediation').count(), 1);
    assert.equal((await frame.locator('#triage-notified').innerText()).trim(), 'In progress', "the V2 console's word for NOTIFIED");
    await vs.screenshot('finding-v2-detail');

    await frame.locator('#note textarea, #note').first().click();
    await vs.page.keyboard.type('Bucket made private in change 42');
    await frame.locator('#triage-resolved').click();
    await frame.locator('.status.ok', { hasText: 'Set Resolved on 1 finding.' }).waitFor({ timeout: 30_000 });
    await frame.locator('.row', { hasText: /Workflow\s*Resolved/ }).waitFor({ timeout: 15_000 });
    const update = standIn.requests.filter((r) => r.operation === 'BatchUpdateFindingsV2');
    assert.equal(update.length, 1);
    assert.deepEqual(update[0].input, {
      FindingIdentifiers: [{ CloudAccountUid: env.accountId, FindingInfoUid: 'S3.2/v2-public-bucket', MetadataProductUid: 'arn:aws:securityhub:us-east-1::productv2/aws/securityhub' }],
      StatusId: 4,
      Comment: 'Bucket made private in change 42',
    });
    // Resolved leaves the default filter at once, from memory…
    await row(/Critical \(1\)/).waitFor({ timeout: 15_000 });
    assert.equal(await pane().locator('.monaco-list-row', { hasText: S32 }).count(), 0);
    // …and after a refresh, read again from the stand-in: the triage stuck. A finding that arrived in the
    // meantime shows that the tree on screen is the one read after the refresh.
    standIn.findings.push(ocsfFinding(env, { uid: 'S3.5/v2-late', severity: 'Low', title: 'V2: arrived after the triage', resource: { uid: 'arn:aws:s3:::v2-late', type: 'AWS::S3::Bucket' }, minutesAgo: 1 }));
    await vs.runCommand('Refresh Findings');
    await row('V2: arrived after the triage').waitFor({ timeout: 60_000 });
    await row('Low (3)').waitFor({ timeout: 15_000 });
    await row(/Critical \(1\)/).waitFor({ timeout: 15_000 });
    assert.equal(await pane().locator('.monaco-list-row', { hasText: S32 }).count(), 0, 'the resolved finding stays gone');
    const stored = standIn.findings.find((d) => d.finding_info.uid === 'S3.2/v2-public-bucket')!;
    assert.equal(stored.status, 'Resolved');
    assert.equal(stored.comment, 'Bucket made private in change 42');
    await vs.screenshot('finding-v2-triaged');
    assert.deepEqual(standIn.rejected, [], 'every request fitted the model');
    assert.deepEqual(standIn.answerProblems, [], 'every answer fitted the model');
  });
});
