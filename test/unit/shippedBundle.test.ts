// Test-only code stays out of what ships: the contract recorder (test/helpers/contractRecorder.ts), which
// writes every AWS call's input to files, is not in any bundle under dist/ (the .vsix ships dist/*.js), and
// only the hook a test run's preload sets reaches it. Needs a build (dist/), as `npm test` makes first.
// Credentials never reach the recorder's files: members AWS's models mark sensitive are redacted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_HOOK, CONTRACT_DIR_ENV, SECRET_MEMBERS, SECRET_MEMBERS_OF_CLIENT, SENSITIVE_BUT_NEEDED, STAND_IN_HEADER, encodeValue } from '../helpers/contractRecorder';
import { loadAwsModel } from '../helpers/awsModel';
import { MODEL_OF_CLIENT } from '../helpers/contract';

function bundles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? bundles(p) : /\.js(\.map)?$/.test(p) ? [p] : [];
  });
}

test('no bundle under dist/ carries the contract recorder; the features bundle only looks up the test hook', () => {
  assert.ok(existsSync('dist/features.js'), 'build first (node esbuild.mjs)');
  const files = bundles('dist');
  assert.ok(files.includes(join('dist', 'extension.js')) && files.length >= 3, `bundles found: ${files.join(', ')}`);
  // What only the recorder has: its middleware, its environment flag, the stand-in header and its file writer.
  const markers = ['cloudMonitorContractRecorder', CONTRACT_DIR_ENV, STAND_IN_HEADER, 'contractRecorder', 'contractWriter', 'encodeValue'];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of markers) assert.ok(!text.includes(m), `${f} contains ${m}: test-only recording code would ship`);
  }
  // The hook's name in src/features.ts is the one the preload sets, or the extension's calls go unrecorded.
  assert.ok(readFileSync('dist/features.js', 'utf8').includes(`Symbol.for("${CLIENT_HOOK}")`), 'src/features.ts looks up the preload\'s hook');
});

test('the recorder writes credentials as their length only, e.g. the SSO bearer token of GetRoleCredentials', () => {
  const token = 'aoaSsoBearerTokenFromTheCache-0123456789';
  const encoded = encodeValue({ roleName: 'Dev', accountId: '123456789012', accessToken: token, nested: { Credentials: { SecretAccessKey: 'wJalrXUtnFEMI', SessionToken: 'FwoGZX' } } });
  const text = JSON.stringify(encoded);
  for (const secret of [token, 'wJalrXUtnFEMI', 'FwoGZX']) assert.ok(!text.includes(secret), `${secret} written: ${text}`);
  assert.deepEqual(encoded, { roleName: 'Dev', accountId: '123456789012', accessToken: { $redacted: token.length }, nested: { Credentials: { SecretAccessKey: { $redacted: 13 }, SessionToken: { $redacted: 6 } } } });
});

test('every string member AWS\'s models mark sensitive, in every service the tests call, is redacted (texts the check needs excepted)', () => {
  const missed = new Set<string>();
  for (const service of new Set(Object.values(MODEL_OF_CLIENT))) {
    const model = loadAwsModel(service);
    const own = Object.entries(MODEL_OF_CLIENT).filter(([, s]) => s === service).map(([c]) => SECRET_MEMBERS_OF_CLIENT[c]).filter((r): r is RegExp => !!r);
    const raw = model as unknown as { shape(n: string): { type: string; sensitive?: boolean; members?: Record<string, { shape: string }> } };
    for (const op of Object.values(model.operations)) {
      // Walk each operation's input and output shapes.
      const seen = new Set<string>();
      const walk = (name: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        const s = raw.shape(name) as { type: string; members?: Record<string, { shape: string }>; member?: { shape: string }; value?: { shape: string } };
        for (const [k, m] of Object.entries(s.members ?? {})) {
          const t = raw.shape(m.shape);
          if (t.sensitive && t.type === 'string' && !SECRET_MEMBERS.test(k) && !own.some((r) => r.test(k)) && !SENSITIVE_BUT_NEEDED.includes(k)) missed.add(`${service}:${k}`);
          walk(m.shape);
        }
        if (s.member) walk(s.member.shape);
        if (s.value) walk(s.value.shape);
      };
      if (op.input) walk(op.input.shape);
      if (op.output) walk(op.output.shape);
    }
  }
  assert.deepEqual([...missed].sort(), [], 'add these to SECRET_MEMBERS (test/helpers/contractRecorder.ts)');
});

test('Organizations\' account names and e-mails are redacted in its own calls only (a Name elsewhere stays as sent)', () => {
  const org = encodeValue({ Organization: { MasterAccountEmail: 'payer@example.com', MasterAccountId: '111111111111', Id: 'o-abc' } }, 0, 'OrganizationsClient') as { Organization: Record<string, unknown> };
  assert.deepEqual(org.Organization, { MasterAccountEmail: { $redacted: 17 }, MasterAccountId: '111111111111', Id: { $redacted: 5 } });
  assert.deepEqual(encodeValue({ Name: 'abc', Id: 'finding-1' }, 0, 'SecurityHubClient'), { Name: 'abc', Id: 'finding-1' });
});
