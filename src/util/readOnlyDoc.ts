import * as vscode from 'vscode';

/**
 * A read-only Markdown document (a virtual document: it never asks to be saved), its text made afresh
 * each time it is shown. The ledgers use it.
 */
export class ReadOnlyMarkdownDoc implements vscode.Disposable {
  private changed?: vscode.EventEmitter<vscode.Uri>;
  private registration?: vscode.Disposable;

  constructor(private readonly uri: vscode.Uri, private readonly text: () => Promise<string>) {}

  async show(): Promise<vscode.TextDocument> {
    if (!this.changed) {
      const changed = (this.changed = new vscode.EventEmitter<vscode.Uri>());
      this.registration = vscode.workspace.registerTextDocumentContentProvider(this.uri.scheme, { onDidChange: changed.event, provideTextDocumentContent: () => this.text() });
    } else {
      this.changed.fire(this.uri);
    }
    let doc = await vscode.workspace.openTextDocument(this.uri);
    if (doc.languageId !== 'markdown') doc = await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  dispose(): void {
    this.changed?.dispose();
    this.registration?.dispose();
  }
}
