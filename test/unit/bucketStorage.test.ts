import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateMonthlyCost, formatBytes, formatMonthly, formatUsd, needsLifecycleHint, PRICE_TABLE_DATE, PRICES, STORAGE_TYPES } from '../../src/buckets/pricing';
import { toMetricQueries } from '../../src/buckets/storage';
import { chunk, mapLimit } from '../../src/buckets/pool';

const GB = 1024 ** 3;

describe('storage pricing', () => {
  test('the price table is dated and every class is priced in every region', () => {
    assert.match(PRICE_TABLE_DATE, /^\d{4}-\d{2}$/);
    for (const [region, prices] of Object.entries(PRICES)) {
      for (const cls of new Set(Object.values(STORAGE_TYPES))) assert.ok(prices[cls] > 0, `${region} ${cls}`);
      // Colder classes never cost more per GB than Standard.
      assert.ok(prices.DEEP_ARCHIVE < prices.GLACIER && prices.GLACIER <= prices.GLACIER_IR && prices.STANDARD_IA < prices.STANDARD, region);
    }
  });

  test('estimate adds each storage type at its class price', () => {
    const e = estimateMonthlyCost({ StandardStorage: 100 * GB, StandardIAStorage: 100 * GB, DeepArchiveStorage: 1000 * GB }, 'us-east-1');
    assert.equal(e.priceRegion, 'us-east-1');
    assert.ok(Math.abs(e.monthlyUsd - (2.3 + 1.25 + 0.99)) < 1e-9, String(e.monthlyUsd));
    assert.deepEqual(e.unpriced, []);
  });

  test('regional prices differ, and an unknown region falls back to us-east-1 and says so', () => {
    assert.ok(estimateMonthlyCost({ StandardStorage: GB }, 'us-west-1').monthlyUsd > estimateMonthlyCost({ StandardStorage: GB }, 'us-east-1').monthlyUsd);
    const e = estimateMonthlyCost({ StandardStorage: GB, ExpressOneZone: GB }, 'mx-central-1');
    assert.equal(e.exactRegion, false);
    assert.equal(e.priceRegion, 'us-east-1');
    assert.deepEqual(e.unpriced, ['ExpressOneZone']);
  });

  test('lifecycle hint: mostly Standard, no rule, and big enough to matter', () => {
    assert.ok(needsLifecycleHint({ StandardStorage: 8 * GB, GlacierStorage: 2 * GB }, false));
    assert.equal(needsLifecycleHint({ StandardStorage: 8 * GB }, true), false, 'has a rule');
    assert.equal(needsLifecycleHint({ StandardStorage: 2 * GB, GlacierStorage: 8 * GB }, false), false, 'mostly cold');
    assert.equal(needsLifecycleHint({ StandardStorage: 1000 }, false), false, 'tiny');
  });

  test('formatting', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(250 * GB), '250 GiB');
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.004), '<$0.01');
    assert.equal(formatUsd(12.345), '$12.35');
    assert.equal(formatUsd(12345.6), '$12,346');
    assert.equal(formatMonthly(1.567), '~$1.57/mo');
    assert.equal(formatMonthly(0.004), '<$0.01/mo');
    assert.equal(formatMonthly(0), '~$0/mo');
  });
});

describe('metric queries and batching', () => {
  test('queries carry valid ids and the bucket and storage type dimensions', () => {
    const q = toMetricQueries([{ bucket: 'b1', metric: 'BucketSizeBytes', storageType: 'StandardStorage' }, { bucket: 'b1', metric: 'NumberOfObjects', storageType: 'AllStorageTypes' }]);
    assert.deepEqual(q.map((x) => x.Id), ['q0', 'q1']);
    assert.equal(q[1].MetricStat?.Metric?.MetricName, 'NumberOfObjects');
    assert.deepEqual(q[0].MetricStat?.Metric?.Dimensions, [{ Name: 'BucketName', Value: 'b1' }, { Name: 'StorageType', Value: 'StandardStorage' }]);
    assert.equal(q[0].MetricStat?.Period, 86400);
  });

  test('chunk respects the batch limit', () => {
    const parts = chunk(Array.from({ length: 1201 }, (_, i) => i), 500);
    assert.deepEqual(parts.map((p) => p.length), [500, 500, 201]);
    assert.equal(parts[2][200], 1200);
  });

  test('mapLimit never exceeds its bound and keeps results in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const out = await mapLimit(Array.from({ length: 40 }, (_, i) => i), 6, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, (n * 7) % 5));
      inFlight--;
      return n * 2;
    }, { onResult: (r) => seen.push(r) });
    assert.equal(peak, 6);
    assert.deepEqual(out, Array.from({ length: 40 }, (_, i) => i * 2));
    assert.equal(seen.length, 40);
  });

  test('mapLimit with oneStartPerTurn starts one item per turn of the event loop, still up to its bound at once', async () => {
    // A check-phase counter: it moves on once per turn of the loop, so two starts with one value shared a turn.
    let turn = 0;
    let ticking = true;
    const tick = () => { turn++; if (ticking) setImmediate(tick); };
    setImmediate(tick);
    const startedIn: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit(Array.from({ length: 24 }, (_, i) => i), 6, async (n) => {
      startedIn.push(turn);
      peak = Math.max(peak, ++inFlight);
      // Each stays in flight until the bound is reached (or 2 s: a loaded machine must not make this flaky).
      const until = Date.now() + 2_000;
      while (peak < 6 && Date.now() < until) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setImmediate(r));
      inFlight--;
      return n;
    }, { oneStartPerTurn: true });
    ticking = false;
    assert.equal(new Set(startedIn).size, 24, `starts per turn: ${startedIn.join(',')}`);
    assert.equal(peak, 6);
    assert.deepEqual(out, Array.from({ length: 24 }, (_, i) => i));
  });

  test('mapLimit stops starting work once aborted', async () => {
    const ac = new AbortController();
    let started = 0;
    const out = await mapLimit(Array.from({ length: 20 }, (_, i) => i), 2, async (n) => {
      started++;
      if (n === 3) ac.abort();
      await new Promise((r) => setTimeout(r, 1));
      return n;
    }, { signal: ac.signal });
    assert.ok(started < 20, `started ${started}`);
    assert.equal(out[19], undefined);
  });
});
