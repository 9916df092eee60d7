import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { Endpoint, type Message, type Spec } from './protocol';

export interface PanelOptions {
  /** Bundle name: dist/webview/<bundle>.js (a folder in webview/ with main.ts). */
  bundle: string;
  viewType: string;
  title: string;
  column?: vscode.ViewColumn;
}

/** The strict CSP every webview uses: nonce scripts only, no unsafe-inline, no unsafe-eval. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${bundle}.js`));
  const css = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'webview.css'));
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'codicon.css'));
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css}">
<link rel="stylesheet" href="${codicons}" id="vscode-codicon-stylesheet">
<title>${esc(title)}</title>
</head>
<body>
<div id="app"></div>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/**
 * Wires a webview panel to a typed Endpoint. The panel owns its disposables and disposes them on
 * close. Use `WebviewPanelHost.create` for a new panel, or `attach` from a WebviewPanelSerializer.
 */
export class WebviewPanelHost<S extends Spec> implements vscode.Disposable {
  readonly endpoint: Endpoint<S, 'host'>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposed = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposed.event;

  static create<S extends Spec>(extensionUri: vscode.Uri, opts: PanelOptions): WebviewPanelHost<S> {
    const panel = vscode.window.createWebviewPanel(opts.viewType, opts.title, opts.column ?? vscode.ViewColumn.Active, WebviewPanelHost.options(extensionUri));
    return new WebviewPanelHost<S>(panel, extensionUri, opts.bundle);
  }

  static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, bundle: string) {
    panel.webview.options = WebviewPanelHost.options(extensionUri);
    this.endpoint = new Endpoint<S, 'host'>((msg: Message) => void panel.webview.postMessage(msg));
    this.disposables.push(panel.webview.onDidReceiveMessage((m) => this.endpoint.receive(m)));
    panel.webview.html = webviewHtml(panel.webview, extensionUri, bundle, panel.title);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
  }

  track(d: vscode.Disposable): void { this.disposables.push(d); }

  dispose(): void {
    this.endpoint.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.disposed.fire();
    this.disposed.dispose();
  }
}
