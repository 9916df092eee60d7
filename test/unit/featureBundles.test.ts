// The features ship as a core bundle and one bundle per feature (esbuild.mjs, src/featureBundles.json), loaded
// one per macrotask after activation, so that no single compile blocks the extension host for long
// (`npm run bench -- activation`). What the side bar needs comes first and small: the Athena and Glue clients
// are only in the Athena bundle, loaded last. A module is in one bundle only: two copies of the client factory,
// the disk cache or the ledger would be two states. Needs a build (dist/), as `npm test` makes first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

// (Before the split there was no list: dist/features.js held everything.)
const FEATURES = existsSync('src/featureBundles.json') ? (JSON.parse(readFileSync('src/featureBundles.json', 'utf8')) as string[]) : [];
const BUNDLES = ['dist/features.js', ...FEATURES.map((f) => `dist/features-${f}.js`)];
// What only the Athena and Glue SDK clients carry: their services' JSON-protocol target prefixes.
const ATHENA_CLIENT_MARKERS = ['AmazonAthena', 'AWSGlue'];

test('the core and the side bar\'s feature bundles carry no Athena or Glue client code; dist/features-athena.js does, and loads last', () => {
  for (const b of BUNDLES) assert.ok(existsSync(b), `${b} missing: build first (node esbuild.mjs)`);
  for (const b of BUNDLES.filter((f) => f !== 'dist/features-athena.js')) {
    const text = readFileSync(b, 'utf8');
    for (const m of ATHENA_CLIENT_MARKERS) assert.ok(!text.includes(m), `${b} contains ${m}: the Athena or Glue client would load before the side bar's first rows`);
  }
  assert.equal(FEATURES.at(-1), 'athena', 'Athena (in the bottom panel, not the side bar) loads last');
  const athena = readFileSync('dist/features-athena.js', 'utf8');
  for (const m of ATHENA_CLIENT_MARKERS) assert.ok(athena.includes(m), `dist/features-athena.js lacks ${m}: did the marker change?`);
});

test('each source module (ours and the SDK\'s) is in one feature bundle only: no second client factory, cache, ledger or SDK Client class', () => {
  const where = new Map<string, string>();
  const twice: string[] = [];
  for (const b of BUNDLES) {
    const map = JSON.parse(readFileSync(`${b}.map`, 'utf8')) as { sources: string[] };
    // Virtual modules (the hand-out table, the look-ups in an earlier bundle) have a namespace prefix.
    for (const s of map.sources.filter((x) => !/^[\w-]+:/.test(x) && !x.includes('/cm-'))) {
      const other = where.get(s);
      if (other && other !== b) twice.push(`${s} in ${other} and ${b}`);
      where.set(s, b);
    }
  }
  assert.deepEqual(twice, []);
  // The stateful modules the issue names are somewhere (so the check above looked at real paths).
  for (const m of ['src/aws/clientFactory.ts', 'src/cache/diskCache.ts', 'src/billing/ledger.ts']) {
    assert.equal([...where.keys()].filter((k) => k.endsWith(m)).length, 1, `${m} not found exactly once`);
  }
});
