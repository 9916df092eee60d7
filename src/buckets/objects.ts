// Object preview in a read-only editor, download and copy URI.
import * as vscode from 'vscode';
import { createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { basename, s3Uri } from './browse';
import { BinaryObjectError, fetchPreview, previewLensTitle, sizeText, type Preview } from './preview';
import { downloadPath } from './fileName';
import { formatBytes } from './pricing';
import { inert } from '../util/inert';
import { notify } from '../util/notify';

export const PREVIEW_SCHEME = 'cloudmonitor-s3';

export interface ObjectRef { bucket: string; key: string; region: string }

type PreviewMeta = Omit<Preview, 'text'> & { limit: number };


export function previewUri(o: ObjectRef): vscode.Uri {
  return vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${o.bucket}/${o.key}`, query: new URLSearchParams({ region: o.region }).toString() });
}

export function refFromPreviewUri(uri: vscode.Uri): ObjectRef {
  const path = uri.path.slice(1);
  const slash = path.indexOf('/');
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1), region: new URLSearchParams(uri.query).get('region') ?? 'us-east-1' };
}

/** "s3://bucket/key" → parts, for the palette. */
export function parseS3Uri(text: string): { bucket: string; key: string } | undefined {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(text.trim());
  return m ? { bucket: m[1], key: m[2] } : undefined;
}

/**
 * Serves cloudmonitor-s3: documents. Documents from a content provider are read-only in VS Code.
 * Each preview reads at most `limit` bytes; a CodeLens above the first line says so when it cut.
 */
export class ObjectPreviewProvider implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, vscode.Disposable {
  /** What each open preview showed (not its text), newest last; a few hundred at most. */
  private readonly previews = new Map<string, PreviewMeta>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;

  constructor(private readonly s3: (region: string) => S3Client, readonly limit: () => number) {}

  // Not dropped on close: setTextDocumentLanguage closes and reopens the document.
  meta(uri: vscode.Uri): PreviewMeta | undefined { return this.previews.get(uri.toString()); }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const ref = refFromPreviewUri(uri);
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      const preview = await fetchPreview(this.s3(ref.region), ref.bucket, ref.key, this.limit(), ac.signal);
      const key = uri.toString();
      this.previews.delete(key);
      this.previews.set(key, { language: preview.language, truncated: preview.truncated, totalBytes: preview.totalBytes, gzip: preview.gzip, limit: this.limit() });
      if (this.previews.size > 200) this.previews.delete(this.previews.keys().next().value as string);
      this.lensesChanged.fire();
      return preview.text;
    } finally {
      sub.dispose();
    }
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const p = this.previews.get(doc.uri.toString());
    if (!p) return [];
    const ref = refFromPreviewUri(doc.uri);
    const top = new vscode.Range(0, 0, 0, 0);
    return [new vscode.CodeLens(top, { command: 'cloudMonitor.buckets.download', title: previewLensTitle(ref, p), arguments: [ref] })];
  }

  /** Fetch again (after the limit setting changed, say). */
  reload(uri: vscode.Uri): void { this.changed.fire(uri); }

  dispose(): void {
    this.changed.dispose();
    this.lensesChanged.dispose();
  }
}

/** Opens an object in a read-only editor, with the right language and a warning when cut. */
export async function openPreview(provider: ObjectPreviewProvider, ref: ObjectRef): Promise<void> {
  const uri = previewUri(ref);
  let doc: vscode.TextDocument;
  try {
    doc = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading {0}', inert(s3Uri(ref.bucket, ref.key), 200)) }, () => Promise.resolve(vscode.workspace.openTextDocument(uri)));
  } catch (err) {
    if (err instanceof BinaryObjectError || (err as Error)?.name === 'BinaryObject' || /looks binary/.test(String((err as Error)?.message))) {
      const pick = await notify.warn(vscode.l10n.t('{0} is not text, so it has no preview.', basename(ref.key)), vscode.l10n.t('Download'));
      if (pick) await vscode.commands.executeCommand('cloudMonitor.buckets.download', ref);
      return;
    }
    throw err;
  }
  const meta = provider.meta(uri);
  if (meta) {
    const languages = await vscode.languages.getLanguages();
    const lang = languages.includes(meta.language) ? meta.language : 'plaintext';
    if (doc.languageId !== lang) doc = await vscode.languages.setTextDocumentLanguage(doc, lang);
  }
  await vscode.window.showTextDocument(doc, { preview: true });
  if (meta?.truncated) {
    void notify.warn(vscode.l10n.t('Showing only the first {0} of {1} ({2}).', formatBytes(meta.limit), s3Uri(ref.bucket, ref.key), sizeText(meta.totalBytes)), vscode.l10n.t('Download')).then((pick) => {
      if (pick) void vscode.commands.executeCommand('cloudMonitor.buckets.download', ref);
    });
  }
}

/**
 * Streams an object to a file the user picks, with progress and cancellation. The suggested name is
 * the key's last segment made safe (safeFileName): it stays in `defaultDir` (the workspace folder,
 * else the home folder) whatever the key holds.
 */
export async function downloadObject(s3: S3Client, ref: ObjectRef, defaultDir?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const dir = defaultDir?.scheme === 'file' ? defaultDir.fsPath : homedir();
  const suggested = vscode.Uri.file(downloadPath(dir, ref.key));
  const name = inert(basename(ref.key) || 'object', 120);
  const target = await vscode.window.showSaveDialog({ title: vscode.l10n.t('Download {0}', inert(s3Uri(ref.bucket, ref.key), 200)), defaultUri: suggested, saveLabel: 'Download' });
  if (!target) return undefined;
  if (target.scheme !== 'file') throw new Error('Downloads go to a local file.');
  const tmp = `${target.fsPath}.${process.pid}.part`;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', name), cancellable: true }, async (progress, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    try {
      const res = await s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { abortSignal: ac.signal });
      const total = res.ContentLength ?? 0;
      let seen = 0;
      let reported = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          seen += chunk.length;
          const pct = total ? Math.floor((seen / total) * 100) : 0;
          if (pct > reported) {
            progress.report({ increment: pct - reported, message: `${formatBytes(seen)} of ${formatBytes(total)}` });
            reported = pct;
          }
          cb(null, chunk);
        },
      });
      await pipeline(res.Body as Readable, meter, createWriteStream(tmp), { signal: ac.signal });
      await rename(tmp, target.fsPath);
    } catch (err) {
      await rm(tmp, { force: true });
      if (token.isCancellationRequested) throw new vscode.CancellationError();
      throw err;
    } finally {
      sub.dispose();
    }
  });
  void notify.info(vscode.l10n.t('Downloaded {0} to {1}', s3Uri(ref.bucket, ref.key), target.fsPath), vscode.l10n.t('Open')).then((pick) => {
    if (pick) void vscode.commands.executeCommand('vscode.open', target);
  });
  return target;
}
