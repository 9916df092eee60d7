// Extension-host tests of the Buckets and Findings commands, inside code-server against moto_server
// (seeded by the sandbox seeder) behind a proxy that answers Security Hub BatchUpdateFindings with a
// recorded response (moto lacks it). Prompts are stubbed with expectations: an unexpected one fails.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { hasNotificationLink } from '../../../src/util/inert';
import { findingConsoleUrl } from '../../../src/findings/consoleUrl';
import { COMMAND_LINK, HOSTILE_FINDING_IDS, ICON_SPOOF, PATH_NAMES } from '../../fixtures/hostile';
import { extensionCtx } from './api';
import { runAll, test, waitFor } from './runner';

const s3 = new S3Client({ endpoint: process.env.MOTO_ENDPOINT!, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, forcePathStyle: true });
const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;

type Shown = { level: 'warning' | 'info' | 'error'; message: string; items: string[]; modal?: boolean; detail?: string };
const shown: Shown[] = [];
/** The answer to the next modal (a confirmation); a modal nobody expected is dismissed. */
let modalAnswer: string | undefined;
for (const [name, level] of [['showErrorMessage', 'error'], ['showWarningMessage', 'warning'], ['showInformationMessage', 'info']] as const) {
  // Recorded and answered with "dismissed", so no toast waits on a click.
  win[name] = async (message: unknown, ...rest: unknown[]) => {
    const opts = rest[0] && typeof rest[0] === 'object' ? (rest[0] as vscode.MessageOptions) : undefined;
    shown.push({ level, message: String(message), items: rest.filter((x): x is string => typeof x === 'string'), modal: opts?.modal, detail: opts?.detail });
    if (!opts?.modal) return undefined;
    const answer = modalAnswer;
    modalAnswer = undefined;
    return answer;
  };
}
let inputAnswers: string[] = [];
win.showInputBox = async (...a: unknown[]) => {
  const opts = a[0] as vscode.InputBoxOptions | undefined;
  if (!inputAnswers.length) throw new Error(`unexpected InputBox: ${opts?.title ?? ''}`);
  return inputAnswers.shift();
};
let pickAnswer: ((items: vscode.QuickPickItem[], opts?: vscode.QuickPickOptions) => unknown) | undefined;
win.showQuickPick = async (...a: unknown[]) => {
  const list = (await a[0]) as vscode.QuickPickItem[];
  const opts = a[1] as vscode.QuickPickOptions | undefined;
  if (!pickAnswer) throw new Error(`unexpected QuickPick: ${opts?.title ?? ''}`);
  const f = pickAnswer;
  pickAnswer = undefined;
  return f(list, opts);
};
let saveTarget: vscode.Uri | undefined | ((opts: vscode.SaveDialogOptions) => vscode.Uri | undefined);
const saveDialogs: vscode.SaveDialogOptions[] = [];
win.showSaveDialog = async (...a: unknown[]) => {
  const opts = (a[0] ?? {}) as vscode.SaveDialogOptions;
  saveDialogs.push(opts);
  if (!saveTarget) throw new Error('unexpected save dialog');
  const t = saveTarget;
  saveTarget = undefined;
  return typeof t === 'function' ? t(opts) : t;
};
// Status bar messages and progress titles render $(icons) and (in notifications) links: recorded, then passed on.
const statusTexts: string[] = [];
const realStatus = vscode.window.setStatusBarMessage.bind(vscode.window) as (text: string, t: number) => vscode.Disposable;
win.setStatusBarMessage = (text: unknown, t: unknown) => {
  statusTexts.push(String(text));
  return realStatus(String(text), Number(t));
};
const progressTitles: string[] = [];
const realProgress = vscode.window.withProgress.bind(vscode.window);
win.withProgress = (opts: unknown, task: unknown) => {
  progressTitles.push((opts as vscode.ProgressOptions).title ?? '');
  return realProgress(opts as vscode.ProgressOptions, task as Parameters<typeof realProgress>[1]);
};
/** Renders as a link or an icon somewhere VS Code shows text. */
const rendersSomething = (t: string) => hasNotificationLink(t) || /\$\((?!warning\))[a-z-~]+\)/.test(t);

test('Open in Console: with VS Code\'s own Uri, what the opener opens (encodeURI(URI.from(components).toString(true)), openerService _doOpenExternal) is the URL built, double encoding kept, for every hostile finding id', () => {
  for (const source of [undefined, 'v2'] as const) {
    for (const id of HOSTILE_FINDING_IDS) {
      const url = findingConsoleUrl({ id, source }, 'eu-west-1')!;
      const uri = vscode.Uri.parse(url, true);
      // The components cross to the main thread as they are; it revives them with URI.from.
      const revived = vscode.Uri.from({ scheme: uri.scheme, authority: uri.authority, path: uri.path, query: uri.query, fragment: uri.fragment });
      assert.equal(encodeURI(revived.toString(true)), url, id);
    }
  }
});

test('set-up: connect to the emulator', async () => {
  await extensionCtx();
  await vscode.commands.executeCommand('cloudMonitor.selectProfile', 'sandbox');
  await vscode.commands.executeCommand('cloudMonitor.selectRegion', 'us-east-1');
  await s3.send(new PutObjectCommand({ Bucket: 'demo-data-lake', Key: 'images/logo.png', Body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]) }));
});

// That the preview is read-only (typing does nothing) is checked in the UI test.
test('Open S3 Object from the palette: JSON, pretty-printed, as a cloudmonitor-s3 document', async () => {
  inputAnswers = ['s3://demo-data-lake/reports/region=us-east-1/summary.json'];
  await vscode.commands.executeCommand('cloudMonitor.buckets.openObject');
  const editor = await waitFor(() => (vscode.window.activeTextEditor?.document.uri.scheme === 'cloudmonitor-s3' ? vscode.window.activeTextEditor : undefined), 'the preview editor');
  assert.equal(editor.document.uri.path, '/demo-data-lake/reports/region=us-east-1/summary.json');
  assert.equal(editor.document.languageId, 'json');
  assert.ok(editor.document.getText().startsWith('{\n  "region": "us-east-1",'), editor.document.getText());
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});

test('a binary object gets no preview; Download is offered instead', async () => {
  const before = shown.length;
  inputAnswers = ['s3://demo-data-lake/images/logo.png'];
  await vscode.commands.executeCommand('cloudMonitor.buckets.openObject');
  const msg = shown.slice(before).find((s) => s.level === 'warning');
  assert.ok(msg, JSON.stringify(shown.slice(before)));
  assert.match(msg.message, /logo\.png is not text/);
  assert.deepEqual(msg.items, ['Download']);
  assert.equal(vscode.workspace.textDocuments.some((d) => d.uri.path.endsWith('/logo.png')), false, 'no document was opened');
});

test('Download streams the whole object to the chosen file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dl-'));
  saveTarget = vscode.Uri.file(join(dir, 'large.jsonl'));
  const result = await vscode.commands.executeCommand<vscode.Uri>('cloudMonitor.buckets.download', { bucket: 'demo-data-lake', key: 'exports/large.jsonl', region: 'us-east-1' });
  assert.equal(result?.fsPath, join(dir, 'large.jsonl'));
  const object = await (await s3.send(new GetObjectCommand({ Bucket: 'demo-data-lake', Key: 'exports/large.jsonl' }))).Body!.transformToByteArray();
  assert.ok(object.length > 3_000_000);
  assert.equal(statSync(result.fsPath).size, object.length);
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  assert.equal(sha(readFileSync(result.fsPath)), sha(object));
  assert.ok(shown.some((s) => s.level === 'info' && s.message.includes('Downloaded s3://demo-data-lake/exports/large.jsonl')));
});

test('a hostile key: the suggested download name stays in the workspace folder for every PATH_NAMES key, and the file lands there', async () => {
  const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
  for (const name of PATH_NAMES) {
    for (const key of [name, `exports/${name}`]) {
      saveTarget = () => undefined; // cancel: only the suggestion is checked here
      const before = saveDialogs.length;
      const r = await vscode.commands.executeCommand<vscode.Uri | undefined>('cloudMonitor.buckets.download', { bucket: 'demo-data-lake', key, region: 'us-east-1' });
      assert.equal(r, undefined);
      const opts = saveDialogs[before];
      assert.ok(opts?.defaultUri, JSON.stringify(key));
      assert.equal(dirname(opts.defaultUri.fsPath), folder, `${JSON.stringify(key)} → ${opts.defaultUri.fsPath}`);
      assert.equal(rendersSomething(opts.title ?? ''), false, opts.title);
      // eslint-disable-next-line no-control-regex -- a NUL in the name is what this looks for
      assert.doesNotMatch(opts.defaultUri.fsPath.slice(folder.length + 1), /^(\.\.?|con|nul(\..*)?)$|[\\/:*?\u0000]/i, JSON.stringify(key));
    }
  }
  // Accepting the suggestion downloads a hostile-named object into the folder, and no progress title renders its link.
  const key = `exports/../../${COMMAND_LINK}`;
  await s3.send(new PutObjectCommand({ Bucket: 'demo-data-lake', Key: key, Body: 'hostile name, ordinary content' }));
  saveTarget = (opts) => opts.defaultUri;
  const titles = progressTitles.length;
  const r = await vscode.commands.executeCommand<vscode.Uri>('cloudMonitor.buckets.download', { bucket: 'demo-data-lake', key, region: 'us-east-1' });
  assert.equal(dirname(r.fsPath), folder, r.fsPath);
  assert.equal(readFileSync(r.fsPath, 'utf8'), 'hostile name, ordinary content');
  const shownTitles = progressTitles.slice(titles);
  assert.ok(shownTitles.some((t) => t.startsWith('Downloading ')), JSON.stringify(shownTitles));
  for (const t of shownTitles) assert.equal(rendersSomething(t), false, t);
});

test('a hostile key: the preview CodeLens and progress title render no link or icon', async () => {
  const key = `logs/${ICON_SPOOF} ${COMMAND_LINK}.log`;
  await s3.send(new PutObjectCommand({ Bucket: 'demo-data-lake', Key: key, Body: 'line one\nline two\n' }));
  const titles = progressTitles.length;
  await vscode.commands.executeCommand('cloudMonitor.buckets.openObject', { bucket: 'demo-data-lake', key, region: 'us-east-1' });
  const editor = await waitFor(() => (vscode.window.activeTextEditor?.document.uri.scheme === 'cloudmonitor-s3' ? vscode.window.activeTextEditor : undefined), 'the preview editor');
  assert.equal(editor.document.getText(), 'line one\nline two\n');
  const lenses = await waitFor(async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    return l?.length ? l : undefined;
  }, 'the preview CodeLens');
  const lensTitle = lenses[0].command?.title ?? '';
  assert.match(lensTitle, /^Read-only preview of s3:\/\/demo-data-lake\/logs\//);
  assert.equal(rendersSomething(lensTitle), false, lensTitle);
  const shownTitles = progressTitles.slice(titles);
  assert.ok(shownTitles.some((t) => t.startsWith('Reading ')), JSON.stringify(shownTitles));
  for (const t of shownTitles) assert.equal(rendersSomething(t), false, t);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
});

test('Copy S3 URI of a hostile key: the status bar message renders no icon or link', async () => {
  const before = statusTexts.length;
  const key = `x/${ICON_SPOOF}/${COMMAND_LINK}`;
  const uri = await vscode.commands.executeCommand<string>('cloudMonitor.buckets.copyUri', { bucket: 'demo-data-lake', key });
  assert.equal(uri, `s3://demo-data-lake/${key}`, 'the clipboard gets the real URI');
  const text = statusTexts.slice(before).find((t) => t.startsWith('Copied '));
  assert.ok(text, JSON.stringify(statusTexts.slice(before)));
  assert.equal(rendersSomething(text), false, text);
});

test('Copy S3 URI', async () => {
  const uri = await vscode.commands.executeCommand<string>('cloudMonitor.buckets.copyUri', { bucket: 'demo-data-lake', key: 'exports/daily.csv' });
  assert.equal(uri, 's3://demo-data-lake/exports/daily.csv');
  assert.equal(await vscode.env.clipboard.readText(), 's3://demo-data-lake/exports/daily.csv');
});

test('triage of several findings at once: one call, the failure reported for its finding, the others leave the view (recorded BatchUpdateFindings: moto lacks it)', async () => {
  const wanted = ['Security groups should not allow unrestricted access to ports with high risk', 'IAM policies should not allow full "*" administrative privileges', 'Recon:EC2/PortProbeUnprotectedPort'];
  let offered = 0;
  pickAnswer = (items, opts) => {
    assert.equal(opts?.canPickMany, true);
    offered = items.length;
    return items.filter((i) => wanted.includes(i.label));
  };
  const before = shown.length;
  modalAnswer = 'Set SUPPRESSED on 3 Findings';
  const r = await vscode.commands.executeCommand<{ ok: boolean; message: string }>('cloudMonitor.findings.setWorkflowStatus', undefined, undefined, { status: 'SUPPRESSED', note: 'accepted risk' });
  assert.equal(offered, 11, 'every active finding was offered');
  const confirm = shown.slice(before).find((s) => s.modal);
  assert.equal(confirm?.message, 'Set the workflow status of 3 findings to SUPPRESSED?');
  assert.match(confirm?.detail ?? '', /^3 findings will change, in 1 call to Security Hub/);
  assert.equal(r?.ok, false);
  assert.match(r!.message, /^Set SUPPRESSED on 2 of 3; 1 failed \(first: "Security groups should not allow unrestricted access to ports with high risk": FindingNotFound: /);
  const warning = shown.slice(before).find((s) => s.level === 'warning' && !s.modal);
  assert.ok(warning && warning.message === r!.message && warning.items.includes('Show Log'));

  // The tree updated in place: the two suppressed findings are gone; the failed one stays.
  let left: string[] = [];
  pickAnswer = (items) => {
    left = items.map((i) => i.label);
    return [];
  };
  await vscode.commands.executeCommand('cloudMonitor.findings.setWorkflowStatus');
  assert.equal(left.length, 9);
  assert.ok(left.includes(wanted[0]));
  assert.ok(!left.includes(wanted[1]) && !left.includes(wanted[2]));
});

export const run = runAll;
