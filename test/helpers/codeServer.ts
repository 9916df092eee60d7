/**
 * Real VS Code for tests: code-server 4.100.3 (= VS Code 1.100.3) driven by playwright-core and
 * Debian's Chromium, following shared/notes/vscode-offline.md. Install it first with
 * `npm run setup:vscode` (test/vscode/install-code-server.sh); .ci/run does.
 *
 * API
 * - openVsCode({ workspace, env?, settings? }) → VsCodeSession: code-server with this repo loaded as the
 *   extension under development, a Chromium page on the workbench, and helpers:
 *     session.page (playwright Page), screenshot(name) → test-results/<name>.png,
 *     runCommand('Cloud Monitor: Select Region'), openContainer() (clicks the Cloud Monitor activity bar icon),
 *     viewPane('Buckets') → Locator of that view's pane (side bar or bottom panel), statusBarText(prefix?), close().
 * - runExtensionHostSuite({ suite, workspace?, env?, settings? }) → SuiteResult[]: loads
 *   out/test/vscode/suite/<suite>.js as extensionTestsPath; that module's run() runs inside the real extension
 *   host (use test/vscode/suite/runner.ts: `test(name, fn)` + `export const run = runAll`).
 *   Report each result as a node:test subtest (see test/vscode/foundation.exthost.test.ts).
 * - env is passed to code-server and so to the extension host: point AWS_CONFIG_FILE etc. at a sandbox
 *   profile (test/helpers/sandboxProfile.ts) and pass MOTO_ENDPOINT; a suite seeds what it needs itself
 *   through MOTO_ENDPOINT, so the same suite also runs under `npm run test:electron`. CLOUD_MONITOR_TEST=1 is always set, which makes activate()
 *   return its test API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { freePort } from './moto';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const ENTRY = join(ROOT, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const RESULTS_DIR = join(ROOT, 'test-results');

export interface CodeServer {
  port: number;
  origin: string;
  userDataDir: string;
  stop(): Promise<void>;
}

const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Workspace trust on (`workspaceTrust: true`): no --disable-workspace-trust, and no startup trust dialog,
 * so every folder opens untrusted (Restricted Mode). A test trusts it with session.trustWorkspace().
 */
const TRUST_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

export async function startCodeServer(opts: { workspace: string; env?: Record<string, string>; settings?: Record<string, unknown>; userDataDir?: string; port?: number; workspaceTrust?: boolean }): Promise<CodeServer> {
  if (!existsSync(ENTRY)) throw new Error(`code-server is not installed: run \`npm run setup:vscode\` (looked for ${ENTRY})`);
  const port = opts.port ?? (await freePort());
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'cs-user-'));
  const extensionsDir = join(userDataDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...(opts.workspaceTrust ? TRUST_SETTINGS : {}), ...opts.settings }, null, 2));
  mkdirSync(opts.workspace, { recursive: true });
  const proc: ChildProcess = spawn(process.execPath, [ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', opts.workspace], {
    env: { ...process.env, CLOUD_MONITOR_TEST: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolveUp, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${log}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes('HTTP server listening on')) {
        clearTimeout(timer);
        resolveUp();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}):\n${log}`));
    });
  });
  proc.removeAllListeners('exit');
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    userDataDir,
    stop: () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

function workbenchUrl(server: CodeServer, workspace: string, payload: [string, string][]): string {
  return `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function devPayload(server: CodeServer, testsPath?: string): [string, string][] {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload: [string, string][] = [['extensionDevelopmentPath', remote(ROOT)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  payload.push(['enableProposedApi', '']);
  return payload;
}

export interface VsCodeSession {
  page: Page;
  server: CodeServer;
  browser: Browser;
  screenshot(name: string): Promise<string>;
  runCommand(title: string): Promise<void>;
  openContainer(): Promise<void>;
  viewPane(title: string): Locator;
  statusBarText(contains: string | RegExp, timeoutMs?: number): Promise<string>;
  /** With workspaceTrust: trusts the open folder through the Workspace Trust editor. */
  trustWorkspace(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `installed: true` loads no development folder: the workbench runs only what is in `userDataDir`'s extensions
 * folder (a .vsix installed with --install-extension, as `npm run demo` does).
 */
export async function openVsCode(opts: { workspace: string; env?: Record<string, string>; settings?: Record<string, unknown>; viewport?: { width: number; height: number }; workspaceTrust?: boolean; userDataDir?: string; installed?: boolean }): Promise<VsCodeSession> {
  const server = await startCodeServer(opts);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server, opts.workspace, opts.installed ? [] : devPayload(server)));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The status bar appears once the extension host has started.
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 60_000 });
    return sessionFor(page, server, browser);
  } catch (err) {
    await browser.close();
    await server.stop();
    throw err;
  }
}

function sessionFor(page: Page, server: CodeServer, browser: Browser): VsCodeSession {
  return {
    page,
    server,
    browser,
    async screenshot(name) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      const path = join(RESULTS_DIR, `${name}.png`);
      // Park the mouse so no hover tooltip covers the shot.
      await page.mouse.move(900, 880);
      await page.screenshot({ path });
      return path;
    },
    async runCommand(title) {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`>${title}`);
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
      await row.waitFor({ timeout: 15_000 });
      await input.press('Enter');
    },
    async openContainer() {
      const icon = page.locator('.activitybar .action-item a[aria-label^="Cloud Monitor"]');
      await icon.waitFor({ timeout: 30_000 });
      const expanded = await page.locator('.activitybar .action-item.checked a[aria-label^="Cloud Monitor"]').count();
      if (!expanded) await icon.click();
      await page.locator('.sidebar .pane-header', { hasText: 'Costs' }).first().waitFor({ timeout: 30_000 });
    },
    viewPane(title) {
      // Match the header's title alone: a view description (e.g. "notifications on") follows it directly.
      // In the side bar or in the bottom panel (the Athena views).
      return page.locator('.sidebar .pane, .part.panel .pane', { has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${title}\\s*$`, 'i') }) }).first();
    },
    async statusBarText(contains, timeoutMs = 30_000) {
      const item = page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: contains }).first();
      await item.waitFor({ timeout: timeoutMs });
      return (await item.innerText()).trim();
    },
    async trustWorkspace() {
      // The Restricted Mode status bar item opens the Workspace Trust editor.
      await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).first().click({ timeout: 30_000 });
      const editor = page.locator('.workspace-trust-editor');
      await editor.getByRole('button', { name: /^Trust$/ }).first().click({ timeout: 30_000 });
      // Restricted Mode shows its own status bar item; it goes once the folder is trusted.
      await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached', timeout: 15_000 });
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.stop();
    },
  };
}

export interface SuiteResult { name: string; ok: boolean; error?: string; durationMs: number }

/** Runs out/test/vscode/suite/<suite>.js inside the real extension host and returns its results. */
export async function runExtensionHostSuite(opts: { suite: string; workspace?: string; env?: Record<string, string>; settings?: Record<string, unknown>; timeoutMs?: number }): Promise<SuiteResult[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'exthost-'));
  const resultsFile = join(tmp, 'results.json');
  const workspace = opts.workspace ?? join(tmp, 'workspace');
  const server = await startCodeServer({ workspace, env: { ...opts.env, CLOUD_MONITOR_TEST_RESULTS: resultsFile }, settings: opts.settings });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const exit = new Promise<number>((done) => void page.exposeFunction('codeAutomationExit', (code: number) => done(code)));
    const suitePath = join(ROOT, 'out', 'test', 'vscode', 'suite', `${opts.suite}.js`);
    if (!existsSync(suitePath)) throw new Error(`no extension-host suite at ${suitePath}`);
    await page.goto(workbenchUrl(server, workspace, devPayload(server, suitePath)));
    const timeoutMs = opts.timeoutMs ?? 300_000;
    const code = await Promise.race([exit, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`suite ${opts.suite} did not finish within ${timeoutMs} ms`)), timeoutMs).unref())]);
    if (!existsSync(resultsFile)) throw new Error(`suite ${opts.suite} exited with ${code} and wrote no results`);
    return JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResult[];
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

/**
 * Collapses every other view of the side bar's container and expands the view titled `title`, so it has
 * room. Headers are read by index and by their title's own text: a view's description follows its title.
 */
export async function showOnlyView(vs: VsCodeSession, title: string): Promise<void> {
  const headers = vs.page.locator('.sidebar .pane-header');
  const count = await headers.count();
  let mine = -1;
  for (let i = 0; i < count; i++) {
    const header = headers.nth(i);
    const name = ((await header.locator('h3.title').textContent()) ?? '').trim();
    const expanded = ((await header.getAttribute('class')) ?? '').includes('expanded');
    if (name.toLowerCase() === title.toLowerCase()) mine = i;
    else if (expanded) await header.click();
  }
  if (mine < 0) throw new Error(`no view titled ${title}`);
  const header = headers.nth(mine);
  if (!((await header.getAttribute('class')) ?? '').includes('expanded')) await header.click();
}

/**
 * Opens a workspace file by name with Quick Open. Quick Open finds files once the workspace is indexed: under
 * load that can take a while, so it asks again (up to 4 times, 15 s each).
 */
export async function quickOpen(vs: VsCodeSession, fileName: string): Promise<void> {
  const { page } = vs;
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(fileName);
    const found = await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout: 15_000 }).then(() => true, () => false);
    if (found) break;
    if (attempt === 4) throw new Error(`Quick Open did not find ${fileName}`);
    await page.keyboard.press('Escape');
  }
  await page.keyboard.press('Enter');
}

/**
 * Runs a UI test's body; when it fails, `diagnose` (if any) logs what it knows and a screenshot named `shot`
 * in test-results/ shows the moment. `session` is read then, so a session opened in before() is the one taken.
 */
export async function screenshotOnFailure(session: () => VsCodeSession | undefined, shot: string, body: () => Promise<void>, diagnose?: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    await diagnose?.().catch(() => undefined);
    await session()?.screenshot(shot).catch(() => undefined);
    throw err;
  }
}

/** A screenshot name from a test's name: `prefix-` and its first 40 characters, non-word runs as '-'. */
export const shotName = (prefix: string, testName: string): string => `${prefix}-${testName.slice(0, 40).replace(/\W+/g, '-')}`;
