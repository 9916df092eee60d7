/**
 * A webview bundle in headless Chromium, outside VS Code: a loopback HTTP server serves the page
 * (with the same strict CSP the extension emits: nonce scripts only), dist/webview and media/; a
 * stubbed acquireVsCodeApi bridges postMessage to a real host-side Endpoint in this Node process.
 *
 *   const wv = await openWebviewPage({ bundle: 'results', onHostEndpoint: (ep) => new ResultsBinding(ep, hooks, content) });
 *   wv.page …; wv.violations (CSP reports); wv.state() (what the webview setState'd); await wv.close();
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Endpoint, type Message, type Spec } from '../../src/webview/protocol';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json', '.svg': 'image/svg+xml' };

export interface WebviewPage<S extends Spec> {
  page: Page;
  browser: Browser;
  host: Endpoint<S, 'host'>;
  /** CSP violations reported by the page. */
  violations: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  /** The webview's saved state (setState). */
  state(): Promise<unknown>;
  /** Reloads the page as VS Code does after hide/show: same saved state, new document. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

function html(origin: string, bundle: string, nonce: string, initialState: unknown): string {
  const csp = [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src ${origin}`, `img-src ${origin} data:`, `font-src ${origin}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${origin}/media/webview.css">
<link rel="stylesheet" href="${origin}/dist/webview/codicon.css" id="vscode-codicon-stylesheet">
<title>test</title></head>
<body class="vscode-dark">
<div id="app"></div>
<script nonce="${nonce}">
  // The stub VS Code gives every webview: postMessage to the host, and a state that survives reloads.
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
    document.addEventListener('securitypolicyviolation', function (e) { (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI); });
  })();
</script>
<script type="module" nonce="${nonce}" src="${origin}/dist/webview/${bundle}.js"></script>
</body></html>`;
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
}): Promise<WebviewPage<S>> {
  const nonce = randomBytes(16).toString('base64');
  let origin = '';
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(html(origin, opts.bundle, nonce, opts.initialState));
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
  return {
    page, browser,
    get host() { return host; },
    violations,
    errors,
    state: () => page.evaluate(() => { const s = sessionStorage.getItem('__webviewState'); return s === null ? undefined : JSON.parse(s); }),
    async reload() {
      makeHost();
      await page.reload();
    },
    async close() {
      const v = (await page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []).catch(() => [])) as string[];
      violations.push(...v);
      host.dispose();
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** CSP violations so far (call before close). */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __violations?: string[] }).__violations ?? []);
}
