// Who sent an AWS call, for the contract check: shipped code (src/, pipeline/) or a test, helper, seeder or bench.
// Test bundles run with --enable-source-maps, so stack frames name the .ts sources.
import { resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
const SELF = /contractPreload|contractRecorder|contractCaller/;

/** 'src' or 'pipeline' when shipped code made the call, else 'test': the first caller frame outside node_modules decides. */
export function callerOf(stack: string, root = ROOT): string {
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^()]+?):\d+:\d+\)?\s*$/.exec(line);
    if (!m) continue;
    const file = m[1].replace(/^file:\/\//, '');
    if (file.includes(`${sep}node_modules${sep}`) || SELF.test(file)) continue;
    if (file.startsWith(`${root}${sep}src${sep}`)) return 'src';
    if (file.startsWith(`${root}${sep}pipeline${sep}`)) return 'pipeline';
    return 'test';
  }
  return 'test';
}

export function caller(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return callerOf(stack);
}

