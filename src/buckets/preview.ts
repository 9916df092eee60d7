// Turns the first bytes of an object into text for a read-only editor. No vscode import.
// Handles text, JSON (pretty-printed when complete) and gzip (including gzip JSON Lines),
// with a byte limit on what is read and on what is inflated.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createGunzip } from 'node:zlib';
import { inert } from '../util/inert';
import { s3Uri } from './browse';
import { formatBytes } from './pricing';

export interface Preview {
  text: string;
  /** A VS Code language id. */
  language: 'json' | 'jsonl' | 'plaintext' | 'csv' | 'yaml' | 'xml' | 'markdown' | 'log';
  /** True when only part of the object (or of its inflated content) is shown. */
  truncated: boolean;
  /** The object's size, when S3 said it (Content-Range); undefined when unknown. */
  totalBytes?: number;
  gzip: boolean;
}

export class BinaryObjectError extends Error {
  override name = 'BinaryObject';
}

const EXT_LANG: Record<string, Preview['language']> = {
  json: 'json', jsonl: 'jsonl', ndjson: 'jsonl', csv: 'csv', tsv: 'csv', yaml: 'yaml', yml: 'yaml', xml: 'xml', md: 'markdown', log: 'log', txt: 'plaintext',
};

function languageFor(key: string, text: string): Preview['language'] {
  const name = key.toLowerCase().replace(/\.(gz|gzip)$/, '');
  const ext = name.slice(name.lastIndexOf('.') + 1);
  if (EXT_LANG[ext]) {
    // A .json file with one object per line is JSON Lines (Firehose and CloudTrail-style exports).
    if (EXT_LANG[ext] === 'json' && looksLikeJsonLines(text)) return 'jsonl';
    return EXT_LANG[ext];
  }
  const start = text.trimStart()[0];
  if (start === '{' || start === '[') return looksLikeJsonLines(text) ? 'jsonl' : 'json';
  return 'plaintext';
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n', 3).filter((l) => l.trim());
  if (lines.length < 2) return false;
  try {
    JSON.parse(lines[0]);
    return true;
  } catch {
    return false;
  }
}

export function isGzip(bytes: Uint8Array, key: string, contentEncoding?: string): boolean {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return true;
  return /gzip/i.test(contentEncoding ?? '') && /\.gz(ip)?$/i.test(key);
}

/** Inflates at most `limit` bytes of output; a truncated input is fine (we may have read a prefix). */
export function gunzipUpTo(input: Uint8Array, limit: number): Promise<{ data: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let done = false;
    const gz = createGunzip();
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      const data = Buffer.concat(parts);
      resolve({ data: data.subarray(0, limit), truncated: truncated || data.length > limit });
      gz.destroy();
    };
    gz.on('data', (c: Buffer) => {
      parts.push(c);
      size += c.length;
      if (size > limit) finish(true);
    });
    gz.on('end', () => finish(false));
    gz.on('error', (err: NodeJS.ErrnoException) => {
      // The input was cut at our read limit: keep what inflated so far.
      if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)) finish(true);
      else if (!done) reject(err);
    });
    gz.end(input);
  });
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * Pure: decide how to show `bytes` (the first bytes of an object of `totalBytes`, undefined when
 * unknown). `cutOnRead` says more bytes exist than were read. `limit` caps the text shown, after inflating.
 */
export async function decodePreview(bytes: Uint8Array, o: { key: string; totalBytes?: number; cutOnRead?: boolean; limit: number; contentEncoding?: string }): Promise<Preview> {
  const cutOnRead = o.cutOnRead ?? (o.totalBytes !== undefined && bytes.length < o.totalBytes);
  const gzip = isGzip(bytes, o.key, o.contentEncoding);
  let body: Buffer;
  let truncated = cutOnRead;
  if (gzip) {
    const r = await gunzipUpTo(bytes, o.limit);
    body = r.data;
    truncated = r.truncated || cutOnRead;
  } else {
    body = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, o.limit));
    truncated = truncated || bytes.length > o.limit;
  }
  if (looksBinary(body)) throw new BinaryObjectError(`${o.key} looks binary: download it instead.`);
  let text = body.toString('utf8');
  // A cut can split a multi-byte character; drop the broken tail.
  if (truncated) text = text.replace(/\uFFFD+$/, '');
  const language = languageFor(o.key, text);
  if (language === 'json' && !truncated) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      /* not valid JSON after all: show it as it is */
    }
  }
  return { text, language, truncated, totalBytes: o.totalBytes, gzip };
}

/**
 * Reads at most `limit` bytes from a body stream, then stops it. `more` is true when the stream had
 * bytes beyond them. A server that ignores Range still never makes us hold more than `limit`.
 */
export async function readUpTo(body: AsyncIterable<Uint8Array> | undefined, limit: number): Promise<{ bytes: Uint8Array; more: boolean }> {
  const parts: Uint8Array[] = [];
  let size = 0;
  let more = false;
  if (body) {
    for await (const chunk of body) {
      const room = limit - size;
      if (chunk.length > room) {
        if (room > 0) parts.push(chunk.subarray(0, room));
        size += Math.max(room, 0);
        more = true;
        break; // leaving the loop destroys the stream: the rest is never read
      }
      parts.push(chunk);
      size += chunk.length;
    }
  }
  return { bytes: Buffer.concat(parts, size), more };
}

/** "bytes 0-99/10000" → 10000; "*" or absent → undefined. */
export function totalFromContentRange(range: string | undefined): number | undefined {
  const m = /\/(\d+)\s*$/.exec(range ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Reads at most `limit` bytes of the object, always with a Range request (no HeadObject first: its
 * length may be missing or stale, and a missing length is not 0), then decodes them. The size comes
 * from Content-Range. For gzip the inflated text is also capped at `limit`.
 */
export async function fetchPreview(s3: S3Client, bucket: string, key: string, limit: number, signal?: AbortSignal): Promise<Preview> {
  let res;
  try {
    res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${limit - 1}` }), { abortSignal: signal });
  } catch (err) {
    // S3 answers a Range on an empty object with 416 InvalidRange.
    if ((err as { name?: string })?.name === 'InvalidRange') return decodePreview(new Uint8Array(), { key, totalBytes: 0, limit });
    throw err;
  }
  const { bytes, more } = await readUpTo(res.Body as AsyncIterable<Uint8Array> | undefined, limit);
  // 206: Content-Range has the size. 200 (Range ignored): all of it was read, or Content-Length says (if sent).
  let totalBytes = totalFromContentRange(res.ContentRange);
  if (totalBytes === undefined && res.ContentRange === undefined) totalBytes = more ? res.ContentLength : bytes.length;
  return decodePreview(bytes, { key, totalBytes, cutOnRead: more || (totalBytes !== undefined && bytes.length < totalBytes), limit, contentEncoding: res.ContentEncoding });
}

export const sizeText = (n: number | undefined): string => (n === undefined ? 'unknown size' : formatBytes(n));

/**
 * The CodeLens title above a preview. CodeLens titles render $(icons), so the object's URI (an
 * outside key) goes through inert().
 */
export function previewLensTitle(ref: { bucket: string; key: string }, p: Pick<Preview, 'truncated' | 'totalBytes' | 'gzip'> & { limit: number }): string {
  if (!p.truncated) return `Read-only preview of ${inert(s3Uri(ref.bucket, ref.key), 300)} (${sizeText(p.totalBytes)}${p.gzip ? ', gzip' : ''}) · Download`;
  const of = p.totalBytes === undefined ? 'an object of unknown size' : `a ${formatBytes(p.totalBytes)} object`;
  return `$(warning) Truncated preview: first ${formatBytes(p.limit)}${p.gzip ? ' of inflated text' : ''} of ${of} (cloudMonitor.buckets.previewMaxBytes). Download for all of it`;
}
