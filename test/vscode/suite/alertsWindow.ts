// One VS Code window of the two-window alert test (test/vscode/alertsTwoWindows.exthost.test.ts).
// Both windows run this module in their own extension host, sharing globalStorageUri. Each records
// the alert notifications it shows into $ALERT_WINDOWS_DIR/shown-<pid>-<random>.json and ends when the
// outer test writes $ALERT_WINDOWS_DIR/done.
import * as vscode from 'vscode';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extensionCtx } from './api';
import { runAll, test, waitFor } from './runner';

const dir = process.env.ALERT_WINDOWS_DIR!;
const shown: string[] = [];
const win = vscode.window as unknown as Record<string, (...a: unknown[]) => unknown>;
for (const name of ['showErrorMessage', 'showWarningMessage', 'showInformationMessage']) {
  const original = win[name].bind(vscode.window);
  win[name] = (message: unknown, ...rest: unknown[]) => {
    if (rest.includes('Open Logs')) shown.push(String(message));
    return original(message, ...rest);
  };
}

test('this window watches the inbox and records what it shows', async () => {
  await extensionCtx();
  await vscode.commands.executeCommand('cloudMonitor.alerts.refresh');
  // vscode.env.sessionId is a fixed placeholder in code-server, so name the window by its extension host.
  const me = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const status = async () => ((await vscode.commands.executeCommand('cloudMonitor.alerts.inboxStatus', true)) as { status: { kind: string } }).status.kind;
  await waitFor(async () => ['polling', 'waiting'].includes(await status()), 'the inbox controller to start', 60_000);
  for (;;) {
    // Written aside, then renamed: the test reads these files while the windows write them.
    const tmp = join(dir, `.tmp-${me}.json`);
    writeFileSync(tmp, JSON.stringify({ status: await status(), shown }));
    renameSync(tmp, join(dir, `shown-${me}.json`));
    if (existsSync(join(dir, 'done'))) break;
    await new Promise((r) => setTimeout(r, 300));
  }
}, 240_000);

export const run = runAll;
