/**
 * A webview bundle in headless Chromium, outside VS Code: a loopback HTTP server serves the page the
 * extension's own builder makes (src/webview/html.ts: the same HTML and CSP, nonce scripts only), plus
 * dist/webview and media/; a stubbed acquireVsCodeApi bridges postMessage to a real host-side Endpoint
 * in this Node process.
 *
 *   const wv = await openWebviewPage({ bundle: 'results', onHostEndpoint: (ep) => new ResultsBinding(ep, hooks, content) });
 *   wv.page …; wv.state() (what the webview setState'd); await wv.violationsSoFar(); await wv.close(); wv.violations
 *
 * CSP violations are recorded by each document and read before every reload and at close, so a
 * violation in an earlier document counts too; a document whose record cannot be read fails the test.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { webviewDocument } from '../../src/webview/html';
import { Endpoint, type Message, type Spec } from '../../src/webview/protocol';
import { english } from '../../src/webview/strings';
import { dashboardStrings } from '../../src/costs/dashboardStrings';
import { findingStrings } from '../../src/findings/detailStrings';
import { resultsStrings } from '../../src/webview/results/strings';

/** Each bundle's strings table as the host puts it into the page, in English. */
const STRINGS: Record<string, () => Record<string, string>> = { costs: () => dashboardStrings(english), finding: () => findingStrings(english), results: () => resultsStrings(english) };

export const ROOT = resolve(__dirname, '..', '..', '..');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json', '.svg': 'image/svg+xml' };

export interface WebviewPage<S extends Spec> {
  page: Page;
  browser: Browser;
  host: Endpoint<S, 'host'>;
  /** CSP violations of every document of this page ("document N: directive blocked-uri"), complete after close(). */
  violations: string[];
  /** The violations of the earlier documents and of the current one so far; throws when the page cannot be read. */
  violationsSoFar(): Promise<string[]>;
  /** Uncaught page errors and console errors. */
  errors: string[];
  /** The webview's saved state (setState). */
  state(): Promise<unknown>;
  /** Reloads the page as VS Code does after hide/show: same saved state, new document. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** The stub VS Code gives every webview (postMessage to the host, a state that survives reloads), and a CSP violation record per document. */
function stub(nonce: string, initialState: unknown): string {
  return `<script nonce="${nonce}">
  (function () {
    var key = '__webviewState';
    if (sessionStorage.getItem(key) === null && ${JSON.stringify(initialState !== undefined)}) sessionStorage.setItem(key, ${JSON.stringify(JSON.stringify(initialState ?? null))});
    window.acquireVsCodeApi = function () {
      return {
        postMessage: function (m) { window.__toHost(JSON.parse(JSON.stringify(m))); },
        getState: function () { var s = sessionStorage.getItem(key); return s === null ? undefined : JSON.parse(s); },
        setState: function (s) { sessionStorage.setItem(key, JSON.stringify(s)); },
      };
    };
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });
  })();
</script>
`;
}

/** The extension's own page (src/webview/html.ts) with the stub in front of the bundle's script. */
function html(origin: string, bundle: string, nonce: string, initialState: unknown, strings = STRINGS[bundle]?.()): string {
  const page = webviewDocument({ cspSource: origin, nonce, script: `${origin}/dist/webview/${bundle}.js`, css: `${origin}/media/webview.css`, codicons: `${origin}/dist/webview/codicon.css`, title: 'test', strings });
  const withStub = page.replace('</head>', `${stub(nonce, initialState)}</head>`).replace('<body>', '<body class="vscode-dark">');
  if (withStub === page || !withStub.includes('<body class="vscode-dark">')) throw new Error('the webview page changed shape: the test stub has nowhere to go');
  return withStub;
}

/** A few theme variables, as VS Code injects them, so the page looks like a dark theme. */
const THEME = `body{--vscode-font-family:sans-serif;--vscode-font-size:13px;--vscode-editor-font-family:monospace;--vscode-editor-font-size:13px;
--vscode-foreground:#cccccc;--vscode-editor-background:#1e1e1e;--vscode-descriptionForeground:#9d9d9d;--vscode-errorForeground:#f48771;
--vscode-focusBorder:#007fd4;--vscode-list-activeSelectionBackground:#04395e;--vscode-list-activeSelectionForeground:#ffffff;
--vscode-list-inactiveSelectionBackground:#37373d;--vscode-editorLineNumber-foreground:#858585;--vscode-editorGroupHeader-tabsBackground:#252526;
--vscode-editorGroup-border:#444444;--vscode-textLink-foreground:#3794ff;--vscode-charts-blue:#3794ff;--vscode-charts-orange:#d18616;
--vscode-editorWarning-foreground:#cca700;--vscode-textCodeBlock-background:#0a0a0a;background:#1e1e1e;color:#cccccc}`;

export async function openWebviewPage<S extends Spec>(opts: {
  bundle: string;
  /** Wire the host side (e.g. new ResultsBinding(ep, …)). Called once per page load. */
  onHostEndpoint: (ep: Endpoint<S, 'host'>) => void;
  initialState?: unknown;
  viewport?: { width: number; height: number };
  /** The strings table the host puts into the page; the bundle's English one by default. */
  strings?: Record<string, string>;
}): Promise<WebviewPage<S>> {
  const nonce = randomBytes(16).toString('base64');
  let origin = '';
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html(origin, opts.bundle, nonce, opts.initialState, opts.strings));
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/media/webview.css') {
      const base = await readFile(join(ROOT, 'media', 'webview.css'), 'utf8');
      res.writeHead(200, { 'content-type': 'text/css' }).end(`${THEME}\n${base}`);
      return;
    }
    const file = normalize(join(ROOT, url.pathname));
    if (!file.startsWith(join(ROOT, 'dist', 'webview')) && !file.startsWith(join(ROOT, 'media'))) {
      res.writeHead(404).end();
      return;
    }
    try {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1200, height: 700 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  let host!: Endpoint<S, 'host'>;
  const makeHost = () => {
    host?.dispose();
    host = new Endpoint<S, 'host'>((m: Message) => void page.evaluate((msg) => window.postMessage(msg, '*'), m).catch(() => undefined));
    opts.onHostEndpoint(host);
  };
  makeHost();
  await page.exposeFunction('__toHost', (m: unknown) => void host.receive(m));
  await page.goto(origin);
  const violations: string[] = [];
  let documentNo = 1;
  /** The current document's violations; throws when they cannot be read (so "unreadable" never passes as "none"). */
  const current = async (): Promise<string[]> => {
    let recorded: unknown;
    try {
      // Let a violation event that is already queued fire first.
      recorded = await page.evaluate(() => new Promise((r) => setTimeout(() => r((window as unknown as { __violations?: unknown }).__violations ?? null), 0)));
    } catch (err) {
      throw new Error(`could not read the CSP violations of document ${documentNo}: ${String(err)}`);
    }
    if (!Array.isArray(recorded)) throw new Error(`document ${documentNo} has no CSP violation record (the stub did not run)`);
    return recorded.map((v) => `document ${documentNo}: ${String(v)}`);
  };
  return {
    page, browser,
    get host() { return host; },
    violations,
    errors,
    violationsSoFar: async () => [...violations, ...(await current())],
    state: () => page.evaluate(() => { const s = sessionStorage.getItem('__webviewState'); return s === null ? undefined : JSON.parse(s); }),
    async reload() {
      violations.push(...(await current()));
      documentNo++;
      makeHost();
      await page.reload();
    },
    async close() {
      try {
        violations.push(...(await current()));
      } finally {
        host.dispose();
        await browser.close();
        await new Promise<void>((r) => server.close(() => r()));
      }
    },
  };
}
