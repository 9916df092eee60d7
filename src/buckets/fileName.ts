// A local file name for an S3 object key: the key is outside text, so it never chooses the folder a
// download lands in or names a device. No vscode import.
import { basename as pathBasename, dirname, join, resolve } from 'node:path';

// Windows device names, reserved with or without an extension (https://learn.microsoft.com/windows/win32/fileio/naming-a-file).
const DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Characters Windows forbids in names, path separators, and control / bidi characters.
// eslint-disable-next-line no-control-regex
const RESERVED = /[<>:"/\\|?*\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const MAX_NAME = 200;

/**
 * The last segment of `key` (either slash counts as a separator), with reserved and control
 * characters replaced by "_", no trailing dots or spaces, never "." or "..", and a device name
 * prefixed with "_". Falls back to `object`.
 */
export function safeFileName(key: string, fallback = 'object'): string {
  const segment = key.split(/[/\\]+/).filter((s) => s.length).pop() ?? '';
  let name = segment.replace(RESERVED, '_').replace(/[. ]+$/, '').trim();
  if (!name || /^\.+$/.test(name)) return fallback;
  if (DEVICE.test(name)) name = `_${name}`;
  if (name.length > MAX_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, MAX_NAME - ext.length) + ext;
  }
  return name;
}

/** `folder`/safeFileName(key), checked to be a direct child of `folder`. */
export function downloadPath(folder: string, key: string): string {
  const target = join(resolve(folder), safeFileName(key));
  if (dirname(target) !== resolve(folder) || pathBasename(target) !== safeFileName(key)) throw new Error('The download name would leave the chosen folder.');
  return target;
}
