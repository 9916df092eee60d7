// The static checks are tests too: strict TypeScript and ESLint with zero warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('tsc --noEmit (strict) has no errors', () => {
  const r = run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']);
  assert.equal(r.status, 0, r.out);
});

test('eslint reports zero warnings and errors', () => {
  const r = run(process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings', '0', '.']);
  assert.equal(r.status, 0, r.out);
});
