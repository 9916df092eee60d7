// ScopeCosts (src/costs/accounts.ts) over the in-process Cost Explorer fake of test/helpers/costData.ts, one fake
// per account seeing what that account sees in an AWS Organization: the payer every account's costs, a member
// its own. For the unit tests and the accounts bench (the integration test uses the HTTP stand-in instead).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScopeMember } from '../../src/aws/scope/scope';
import { DiskCache } from '../../src/cache/diskCache';
import { ScopeCosts } from '../../src/costs/accounts';
import type { Day } from '../../src/costs/dates';
import { CostStore } from '../../src/costs/store';
import { FakeCostExplorer } from './costData';

export function organizationCosts(members: ScopeMember[], opts: { payer: string; payers: string[]; today: Day; now: number; accountOf?: (m: ScopeMember) => Promise<string | undefined>; managementAccountOf?: (m: ScopeMember) => Promise<string | undefined> }) {
  const dir = mkdtempSync(join(tmpdir(), 'cm-scope-costs-'));
  const cache = new DiskCache(dir, () => opts.now);
  const fakes = new Map<string, FakeCostExplorer>();
  const stores = new Map<string, CostStore>();
  const costs = new ScopeCosts({
    members: async () => members,
    storeFor: (m) => {
      let s = stores.get(m.key);
      if (!s) {
        const fake = new FakeCostExplorer(() => opts.today);
        fake.history = { viewer: m.accountId === opts.payer ? undefined : m.accountId };
        fakes.set(m.accountId ?? m.key, fake);
        stores.set(m.key, (s = new CostStore({ cache, api: () => fake, scope: () => m.key, ttlMs: () => 6 * 3_600_000, lockDir: join(dir, 'locks'), now: () => opts.now })));
      }
      return s;
    },
    payers: { ids: () => opts.payers, remember: (id) => void opts.payers.push(id) },
    accountOf: opts.accountOf ?? (async (m) => m.accountId),
    managementAccountOf: opts.managementAccountOf,
    today: () => opts.today,
  });
  /** [account, requests] of each account asked so far, in the order first asked. */
  const asked = () => [...fakes].filter(([, f]) => f.count()).map(([id, f]) => [id, f.count()] as [string, number]);
  const count = () => [...fakes.values()].reduce((s, f) => s + f.count(), 0);
  return { costs, stores, asked, count };
}
