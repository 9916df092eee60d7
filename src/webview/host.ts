import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { webviewDocument } from './html';
import { Endpoint, type Message, type Spec } from './protocol';

export interface PanelOptions {
  /** Bundle name: dist/webview/<bundle>.js (a folder in webview/ with main.ts). */
  bundle: string;
  viewType: string;
  title: string;
  column?: vscode.ViewColumn;
  /** Where messages the webview sent that failed their check are reported (the log channel). */
  log: (message: string) => void;
  /** The webview's strings table, made with vscode.l10n (src/webview/strings.ts). */
  strings?: Record<string, string>;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string, strings?: Record<string, string>): string {
  const uri = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  return webviewDocument({
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('base64'),
    script: uri('dist', 'webview', `${bundle}.js`),
    css: uri('media', 'webview.css'),
    codicons: uri('dist', 'webview', 'codicon.css'),
    title,
    strings,
  });
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

  static create<S extends Spec>(extensionUri: vscode.Uri, opts: PanelOptions & { strings: S['strings'] }): WebviewPanelHost<S> {
    const panel = vscode.window.createWebviewPanel(opts.viewType, opts.title, opts.column ?? vscode.ViewColumn.Active, WebviewPanelHost.options(extensionUri));
    return new WebviewPanelHost<S>(panel, extensionUri, opts.bundle, opts.log, opts.strings);
  }

  static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, bundle: string, log: (message: string) => void, strings?: S['strings']) {
    panel.webview.options = WebviewPanelHost.options(extensionUri);
    this.endpoint = new Endpoint<S, 'host'>((msg: Message) => void panel.webview.postMessage(msg), undefined, (problem) => log(`${bundle} webview: ${problem}`));
    this.disposables.push(panel.webview.onDidReceiveMessage((m) => this.endpoint.receive(m)));
    panel.webview.html = webviewHtml(panel.webview, extensionUri, bundle, panel.title, strings);
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
