// Seeds a moto_server with every seeder under test/sandbox/seed (file-name order, AWS APIs only), starts
// the stand-in for what moto lacks (test/sandbox/gaps.ts) in front of it, and writes the sandbox profile
// pointing there. Shared by `npm run demo` and the sandbox UI test.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/codeServer';
import type { Moto } from '../helpers/moto';
import { writeSandboxProfile, type SandboxProfile } from '../helpers/sandboxProfile';
import { startSandboxGaps, type SandboxGaps } from './gaps';
import { seedLarge } from './large';
import type { SeedEnv } from './types';

interface SeedModule { seed?: (env: SeedEnv) => Promise<void>; afterStart?: (env: SeedEnv) => Promise<void> }

export interface Sandbox {
  env: SeedEnv;
  /** What the sandbox profile points at: the stand-in in front of moto. */
  endpoint: string;
  /** The stand-in's Cost Explorer history (test/sandbox/gaps.ts), e.g. `from` for a new account. */
  costHistory: SandboxGaps['costHistory'];
  profile: SandboxProfile;
  /** Runs each seeder's afterStart (things that need the editor up: a demo alert, a live log feed). */
  afterStart(onError: (file: string, err: unknown) => void): void;
  /** Stops the stand-in endpoint (moto is the caller's). */
  close(): Promise<void>;
  /** With `large`: how long seeding each kind of the large account took (ms). */
  largeTimings?: Record<string, number>;
}

/** `large`: the large account on top (test/sandbox/large.ts; `npm run demo -- --large`). */
export async function seedSandbox(moto: Moto, dir: string, workspace: string, log: (m: string) => void, opts: { large?: boolean } = {}): Promise<Sandbox> {
  const gaps = await startSandboxGaps(moto, { root: ROOT, bucketRegions: opts.large });
  const profile = writeSandboxProfile(join(dir, 'aws'), gaps.endpoint);
  const env: SeedEnv = {
    endpoint: moto.endpoint, region: 'us-east-1', accountId: '123456789012', clientConfig: moto.clientConfig('us-east-1'),
    workspace, root: ROOT, log,
  };
  const seedDir = join(ROOT, 'out', 'test', 'sandbox', 'seed');
  const modules: [string, SeedModule][] = [];
  for (const file of readdirSync(seedDir).filter((f) => f.endsWith('.js')).sort()) {
    const mod = (await import(join(seedDir, file))) as SeedModule;
    modules.push([file, mod]);
    if (mod.seed) {
      log(`seeding ${file}`);
      await mod.seed(env);
    }
  }
  let largeTimings: Record<string, number> | undefined;
  if (opts.large) {
    log('seeding the large account (test/sandbox/large.ts)');
    largeTimings = await seedLarge(env);
    const start = Date.now();
    await gaps.warmBucketRegions();
    largeTimings.bucket_regions_ms = Date.now() - start;
    log(`bucket regions for the ListBuckets stand-in in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
  return {
    env, profile, largeTimings, endpoint: gaps.endpoint, costHistory: gaps.costHistory,
    afterStart(onError) {
      for (const [file, mod] of modules) mod.afterStart?.(env).catch((err: unknown) => onError(file, err));
    },
    close: () => gaps.close(),
  };
}
