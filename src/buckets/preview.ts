// Turns the first bytes of an object into text for a read-only editor. No vscode import.
// Handles text, JSON (pretty-printed when complete) and gzip (including gzip JSON Lines),
// with a byte limit on what is read and on what is inflated.
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createGunzip } from 'node:zlib';

export interface Preview {
  text: string;
  /** A VS Code language id. */
  language: 'json' | 'jsonl' | 'plaintext' | 'csv' | 'yaml' | 'xml' | 'markdown' | 'log';
  /** True when only part of the object (or of its inflated content) is shown. */
  truncated: boolean;
  totalBytes: number;
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
 * Pure: decide how to show `bytes` (the first bytes of an object of `totalBytes`).
 * `limit` caps the text shown, after inflating.
 */
export async function decodePreview(bytes: Uint8Array, o: { key: string; totalBytes: number; limit: number; contentEncoding?: string }): Promise<Preview> {
  const cutOnRead = bytes.length < o.totalBytes;
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
 * Reads at most `limit` bytes of the object (a Range request), then decodes them. For gzip the
 * inflated text is also capped at `limit`.
 */
export async function fetchPreview(s3: S3Client, bucket: string, key: string, limit: number, signal?: AbortSignal): Promise<Preview> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
  const totalBytes = head.ContentLength ?? 0;
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: totalBytes > limit ? `bytes=0-${limit - 1}` : undefined }), { abortSignal: signal });
  const bytes = res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
  return decodePreview(bytes, { key, totalBytes, limit, contentEncoding: res.ContentEncoding ?? head.ContentEncoding });
}
