// The one way src/ builds a MarkdownString that carries outside text (tree item and status bar tooltips,
// completion documentation). Outside text goes in through inertMarkdown(), never appendText: appendText
// leaves bare URLs, `www.` names and e-mail addresses to become clickable links. Never trusted, no theme
// icons, no HTML: a link or a `$(icon)` could only come from the fixed markdown written in this code base.
import * as vscode from 'vscode';
import { inertMarkdown } from '../util/inert';

export class Tooltip {
  private readonly md = new vscode.MarkdownString('', false);
  constructor() {
    this.md.isTrusted = false;
    this.md.supportHtml = false;
  }
  /** Outside (or any) text, shown as is; a line break starts a new paragraph. */
  text(value: unknown): this {
    this.md.appendMarkdown(inertMarkdown(value));
    return this;
  }
  /** Text in bold. */
  bold(value: unknown): this {
    this.md.appendMarkdown(`**${inertMarkdown(value)}**`);
    return this;
  }
  /** A paragraph break. */
  para(): this {
    this.md.appendMarkdown('\n\n');
    return this;
  }
  /** A line break inside a paragraph. */
  br(): this {
    this.md.appendMarkdown('  \n');
    return this;
  }
  /** A fenced code block (marked links nothing inside one). */
  code(value: string, language: string): this {
    this.md.appendCodeblock(value, language);
    return this;
  }
  get markdown(): vscode.MarkdownString { return this.md; }
}

/** A tooltip of plain text: `textTooltip(message)`. */
export function textTooltip(value: unknown): vscode.MarkdownString {
  return new Tooltip().text(value).markdown;
}
