// The HTML every webview panel gets, with its Content-Security-Policy. Pure (no vscode import) so the
// test page (test/helpers/webviewPage.ts) serves exactly what the host emits.

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

export interface WebviewDocument {
  /** webview.cspSource: where styles, images and fonts may come from. */
  cspSource: string;
  nonce: string;
  /** Webview URIs (webview.asWebviewUri) of the bundle and the two stylesheets. */
  script: string;
  css: string;
  codicons: string;
  title: string;
  /** The webview's strings table (src/webview/strings.ts), read by webview/shared/ipc.ts hostStrings(). */
  strings?: Record<string, string>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function webviewDocument(d: WebviewDocument): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(d.cspSource, d.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(d.css)}">
<link rel="stylesheet" href="${escapeHtml(d.codicons)}" id="vscode-codicon-stylesheet">
<title>${escapeHtml(d.title)}</title>
</head>
<body>
<div id="app"${d.strings ? ` data-strings="${escapeHtml(JSON.stringify(d.strings))}"` : ''}></div>
<script type="module" nonce="${escapeHtml(d.nonce)}" src="${escapeHtml(d.script)}"></script>
</body>
</html>`;
}
