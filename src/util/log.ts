import * as vscode from 'vscode';
import { redact } from './redact';

/** The one log channel. Everything goes through redact(), so credentials never reach it. */
export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;
  constructor(name = 'Cloud Monitor') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }
  info(msg: string): void { this.channel.info(redact(msg)); }
  warn(msg: string): void { this.channel.warn(redact(msg)); }
  debug(msg: string): void { this.channel.debug(redact(msg)); }
  error(msg: string, err?: unknown): void {
    const detail = err instanceof Error ? `${err.name}: ${err.message}${err.stack ? `\n${err.stack}` : ''}` : err !== undefined ? String(err) : '';
    this.channel.error(redact(detail ? `${msg}: ${detail}` : msg));
  }
  append(line: string): void { this.channel.appendLine(redact(line)); }
  show(): void { this.channel.show(true); }
  dispose(): void { this.channel.dispose(); }
}
