// Every writer under globalStorageUri creates its files 0600 in 0700 folders, whatever the umask, and
// narrows folders and files an older version left wider. Real files in a temporary folder.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache } from '../../src/cache/diskCache';
import { BillingLedger } from '../../src/billing/ledger';
import { withFileLock } from '../../src/cache/fileLock';
import { MuteStore } from '../../src/alerts/inbox/mutes';
import { InboxLease } from '../../src/alerts/inbox/lease';

const mode = (p: string) => statSync(p).mode & 0o777;
const octal = (m: number) => `0${m.toString(8)}`;

function assertPrivateTree(dir: string): void {
  assert.equal(octal(mode(dir)), '0700', `folder ${dir}`);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) assertPrivateTree(p);
    else assert.equal(octal(mode(p)), '0600', `file ${p}`);
  }
}

// A permissive umask, as on some multi-user systems: the modes must come from the code, not the umask.
let oldUmask = 0;
before(() => { oldUmask = process.umask(0); });
after(() => { process.umask(oldUmask); });

const skip = process.platform === 'win32' ? 'POSIX modes' : false;

test('the disk cache, the ledger, the cost locks, the mutes and the inbox lease write 0600 files in 0700 folders', { skip }, async () => {
  const storage = join(mkdtempSync(join(tmpdir(), 'gs-')), 'globalStorage');
  await new DiskCache(join(storage, 'cache')).set('profile|region|buckets', ['a', 'b']);

  const ledger = new BillingLedger(join(storage, 'billing', 'ledger.jsonl'));
  const call = { feature: 'costs', profile: 'sandbox', account: '', region: 'us-east-1', service: 'ce', q: 1, unit: 'request' as const, usd: 0.01, priced: true, ok: true };
  ledger.record({ ...call, op: 'GetCostAndUsage' });
  ledger.record({ ...call, op: 'GetCostForecast' });
  await ledger.flush();
  assert.equal((await new BillingLedger(ledger.file).lines()).length, 2);

  let lockModeWhileHeld = 0;
  const lockPath = join(storage, 'costs', 'locks', 'abc.lock');
  await withFileLock(lockPath, async () => {
    lockModeWhileHeld = mode(lockPath);
    assertPrivateTree(join(storage, 'costs', 'locks'));
  });
  assert.equal(octal(lockModeWhileHeld), '0600', 'lock file while held');

  await new MuteStore(join(storage, 'alerts', 'mutes.json')).mute('app:orders', 60_000);
  const lease = new InboxLease(join(storage, 'alerts'), 'window-1');
  assert.equal(await lease.tryAcquire(), true);
  assert.equal(await lease.renew(), true);

  for (const f of ['cache', 'billing/ledger.jsonl', 'alerts/mutes.json', 'alerts/inbox.lease.json']) statSync(join(storage, f));
  assertPrivateTree(storage);
});

test('folders and files left world-readable by an older version are narrowed on the next write', { skip }, async () => {
  const storage = mkdtempSync(join(tmpdir(), 'gs-'));
  const cacheDir = join(storage, 'cache');
  mkdirSync(cacheDir, { mode: 0o777 });
  chmodSync(cacheDir, 0o777);
  const ledgerFile = join(storage, 'billing', 'ledger.jsonl');
  mkdirSync(join(storage, 'billing'), { mode: 0o755 });
  writeFileSync(ledgerFile, '', { mode: 0o644 });
  chmodSync(ledgerFile, 0o644);

  await new DiskCache(cacheDir).set('k', 1);
  const ledger = new BillingLedger(ledgerFile);
  ledger.record({ feature: 'costs', profile: 's', account: '', region: 'us-east-1', service: 'ce', op: 'GetCostAndUsage', q: 1, unit: 'request', usd: 0.01, priced: true, ok: true });
  await ledger.flush();
  assertPrivateTree(cacheDir);
  assertPrivateTree(join(storage, 'billing'));
});
