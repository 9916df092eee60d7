// What a UI test's window says in notifications, and what the extension logged: for failure messages.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VsCodeSession } from './codeServer';

/**
 * The texts of the notification toasts on screen, and of every notification in the notification centre
 * (which keeps those VS Code did not show as a toast or hid again). Opens the centre and closes it again:
 * for a failure message, after the test's own checks.
 */
export async function notificationTexts(vs: VsCodeSession): Promise<{ toasts: string[]; centre: string[] }> {
  const { page } = vs;
  const toasts = (await page.locator('.notifications-toasts .notification-toast').allInnerTexts()).map(oneLine);
  let centre: string[] = [];
  try {
    await page.keyboard.press('Escape');
    await vs.runCommand('Notifications: Show Notifications');
    const list = page.locator('.notifications-center');
    await list.waitFor({ timeout: 10_000 });
    centre = (await list.locator('.notification-list-item').allInnerTexts()).map(oneLine);
    if (!centre.length) centre = [oneLine(await list.innerText())];
    await page.keyboard.press('Escape');
  } catch (err) {
    centre = [`(could not read the notification centre: ${(err as Error).message.split('\n')[0]})`];
  }
  return { toasts, centre };
}

/** The last `lines` lines of this extension's output channel ("Cloud Monitor"), from the session's log files. */
export function extensionLogTail(vs: VsCodeSession, lines = 40): string {
  const logs = join(vs.server.userDataDir, 'logs');
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'Cloud Monitor.log') found.push(p);
    }
  };
  if (existsSync(logs)) walk(logs);
  if (!found.length) return `(no Cloud Monitor.log under ${logs})`;
  return found.map((f) => `${f}:\n${readFileSync(f, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`).join('\n');
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
