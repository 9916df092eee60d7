// `npm run bench -- costs`: Cost Explorer requests in a normal working day, counted, not estimated.
//
// A day is simulated on a virtual clock: VS Code open 8 hours with default settings (6 h TTL, automatic
// refresh on), the Costs view visible with "By service" and "Anomalies" expanded, and the cost dashboard
// open. The code is the extension's own: CostStore (disk cache, month store, ledger), CostService and
// AutoRefresh (the one timer that decides when to refresh); only vscode is absent. Cost Explorer is the
// counting fake of test/helpers/costData.ts, whose account has an anomaly monitor.
//
// Designs measured in the same run:
//   ours          as shipped;
//   poll/5 min    the same views polled every 5 minutes with no cache across polls (each poll asks once
//                 for each dataset it shows): information, a design nobody would pick;
//   per-window    the fair baseline: the same views and requests, each window with its own 6-hour cache in
//                 memory (lost on restart), on a day with two windows and a restart;
//   aws-cost-cli  one request per run, run once an hour (8 runs), showing totals by service only.
// Goal: at most 8 requests in a normal day.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskCache } from '../../src/cache/diskCache';
import { AutoRefresh, type Timer } from '../../src/costs/autoRefresh';
import { utcToday } from '../../src/costs/dates';
import { PRICE_PER_REQUEST } from '../../src/costs/ledger';
import { CostService, type CostSettings, type DashboardParams } from '../../src/costs/service';
import { CostStore } from '../../src/costs/store';
import { FakeCostExplorer } from '../helpers/costData';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const TTL = 6 * HOUR;
const SETTINGS: CostSettings = { metric: 'UnblendedCost', filter: 'all', topN: 5, tagKey: '' };
const DASHBOARD: DashboardParams = { rangeDays: 30, granularity: 'DAILY', dimension: 'SERVICE', metric: 'UnblendedCost', excludeCreditsRefundsTax: false };

/** A virtual clock with a timer queue, so 8 hours take milliseconds. */
export class VirtualTime {
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  constructor(public now: number) {}
  setTimer = (fn: () => void, ms: number): Timer => {
    const t = { at: this.now + ms, fn, live: true };
    this.timers.push(t);
    return { dispose: () => { t.live = false; } };
  };
  /** The next live timer due before `until`, removed from the queue. */
  next(until: number) {
    this.timers = this.timers.filter((t) => t.live);
    this.timers.sort((a, b) => a.at - b.at);
    const t = this.timers[0];
    if (!t || t.at >= until) return undefined;
    this.timers.shift();
    return t;
  }
}

/** One VS Code window of our design on a shared storage folder. */
function ourWindow(dir: string, time: VirtualTime, fake: FakeCostExplorer) {
  const now = () => time.now;
  const store = new CostStore({
    cache: new DiskCache(join(dir, 'cache'), now), api: () => fake,
    scope: () => 'default|', ttlMs: () => TTL, lockDir: join(dir, 'locks'), now,
  });
  const service = new CostService(store);
  let pending = false;
  const auto = new AutoRefresh({ ttlMs: () => TTL, enabled: () => true, active: () => true, refresh: () => { pending = true; }, now, setTimer: time.setTimer });
  /** What the visible views render: the tree's root, By service, Anomalies, and the dashboard. */
  const render = async () => {
    for (let i = 0; i < 3; i++) {
      pending = false;
      const o = await service.overview(SETTINGS);
      auto.dataShown('view', o.fetchedAt);
      await service.group('SERVICE', SETTINGS);
      if ((await store.anomalyMonitors()).value.monitors.length) await store.anomalies();
      const d = await service.dashboard(DASHBOARD, '', 6);
      auto.dataShown('dashboard', d.fetchedAt);
      // A refresh asked for during the render (data already due) renders again, as the view would.
      if (!pending) break;
    }
  };
  return { render, isPending: () => pending, dispose: () => auto.dispose() };
}

/** Runs one window from `start` for `hours`; returns the requests it caused. */
export async function runDay(dir: string, fake: FakeCostExplorer, time: VirtualTime, start: number, hours: number, extraWindowAt?: number): Promise<number> {
  const before = fake.count();
  time.now = start;
  const end = start + hours * HOUR;
  const w = ourWindow(dir, time, fake);
  await w.render();
  let second: ReturnType<typeof ourWindow> | undefined;
  for (;;) {
    const nextTimer = time.next(end);
    if (extraWindowAt !== undefined && !second && (!nextTimer || nextTimer.at > extraWindowAt)) {
      if (nextTimer) time.setTimer(nextTimer.fn, nextTimer.at - time.now);
      time.now = extraWindowAt;
      second = ourWindow(dir, time, fake);
      await second.render();
      continue;
    }
    if (!nextTimer) break;
    time.now = nextTimer.at;
    nextTimer.fn();
    if (w.isPending()) await w.render();
    if (second?.isPending()) await second.render();
  }
  w.dispose();
  second?.dispose();
  return fake.count() - before;
}

interface WindowSpec { open: number; close: number; dir: () => string }

/**
 * Windows opening and closing over a day on the virtual clock (a restart is a close and an open); each
 * renders when it opens and whenever its AutoRefresh asks. Returns the requests made.
 */
async function runWindows(fake: FakeCostExplorer, time: VirtualTime, start: number, end: number, windows: WindowSpec[]): Promise<number> {
  const before = fake.count();
  time.now = start;
  type Ev = { at: number; open?: WindowSpec; close?: WindowSpec };
  const events: Ev[] = [...windows.flatMap((w): Ev[] => [{ at: w.open, open: w }, { at: w.close, close: w }]), { at: end }];
  // Closes before opens at the same time (a restart).
  events.sort((a, b) => a.at - b.at || (a.close ? -1 : 1));
  const live = new Map<WindowSpec, ReturnType<typeof ourWindow>>();
  for (const ev of events) {
    for (let t = time.next(ev.at); t; t = time.next(ev.at)) {
      time.now = t.at;
      t.fn();
      for (const w of live.values()) if (w.isPending()) await w.render();
    }
    time.now = ev.at;
    if (ev.close) {
      live.get(ev.close)?.dispose();
      live.delete(ev.close);
    }
    if (ev.open) {
      const w = ourWindow(ev.open.dir(), time, fake);
      live.set(ev.open, w);
      await w.render();
    }
  }
  for (const w of live.values()) w.dispose();
  return fake.count() - before;
}

/**
 * The day the fair baselines are judged on: window A 08:00–16:00 restarted at 13:00 (Reload Window, an
 * update), window B opened at 11:00. `shared` is our design (one cache on disk for every window and restart);
 * otherwise each window instance keeps its own 6-hour cache in memory, gone when it closes.
 */
async function twoWindowsAndRestart(fake: FakeCostExplorer, time: VirtualTime, day: string, dirFor: () => string): Promise<number> {
  const at = (hhmm: string) => Date.parse(`${day}T${hhmm}:00Z`);
  return runWindows(fake, time, at('08:00'), at('16:00'), [
    { open: at('08:00'), close: at('13:00'), dir: dirFor },
    { open: at('13:00'), close: at('16:00'), dir: dirFor },
    { open: at('11:00'), close: at('16:00'), dir: dirFor },
  ]);
}

/**
 * aws-cost-cli (github.com/kamranahmedse/aws-cost-cli): one GetCostAndUsage per run (the last 65 days,
 * daily, by service) and nothing kept between runs; run once an hour over the working day. It shows the
 * totals by service only: no forecast, anomalies or dashboard.
 */
async function costCliRuns(start: number, runs: number): Promise<number> {
  const time = { now: start };
  const fake = new FakeCostExplorer(() => utcToday(time.now));
  for (let i = 0; i < runs; i++) {
    time.now = start + i * HOUR;
    const end = new Date(time.now).toISOString().slice(0, 10);
    const from = new Date(time.now - 65 * 86_400_000).toISOString().slice(0, 10);
    let token: string | undefined;
    do {
      const page = await fake.getCostAndUsage({ TimePeriod: { Start: from, End: end }, Granularity: 'DAILY', Metrics: ['UnblendedCost'], GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }], NextPageToken: token });
      token = page.NextPageToken;
    } while (token);
  }
  return fake.count();
}

/** The comparison design: every 5 minutes, each dataset once, nothing kept between polls. */
export async function pollEvery5Minutes(start: number, hours: number): Promise<number> {
  const time = { now: start };
  const fake = new FakeCostExplorer(() => utcToday(time.now));
  for (let t = start; t < start + hours * HOUR; t += 5 * MINUTE) {
    time.now = t;
    const dir = mkdtempSync(join(tmpdir(), 'bench-costs-poll-'));
    const now = () => time.now;
    const store = new CostStore({ cache: new DiskCache(join(dir, 'cache'), now), api: () => fake, scope: () => 'poll', ttlMs: () => TTL, lockDir: join(dir, 'locks'), now });
    const service = new CostService(store);
    await service.overview(SETTINGS);
    await service.group('SERVICE', SETTINGS);
    if ((await store.anomalyMonitors()).value.monitors.length) await store.anomalies();
    await service.dashboard(DASHBOARD, '', 6);
    rmSync(dir, { recursive: true, force: true });
  }
  return fake.count();
}

function breakdown(fake: FakeCostExplorer, from: number): string {
  const ops = new Map<string, number>();
  for (const c of fake.calls.slice(from)) ops.set(c.op, (ops.get(c.op) ?? 0) + 1);
  return [...ops].map(([op, n]) => `${op} ${n}`).join(', ');
}

async function main() {
  const t0 = performance.now();
  const at = (iso: string) => Date.parse(iso);
  const dir = mkdtempSync(join(tmpdir(), 'bench-costs-'));
  const time = new VirtualTime(0);
  const fake = new FakeCostExplorer(() => utcToday(time.now));

  // Tuesday 12 March 2024, 08:00–16:00 UTC, cold: the first day ever.
  const coldFrom = fake.count();
  const firstDay = await runDay(dir, fake, time, at('2024-03-12T08:00:00Z'), 8);
  const firstDayOps = breakdown(fake, coldFrom);
  // Wednesday: a normal day, with yesterday's cache on disk.
  const normalFrom = fake.count();
  const normalDay = await runDay(dir, fake, time, at('2024-03-13T08:00:00Z'), 8);
  const normalOps = breakdown(fake, normalFrom);
  // Thursday, with a second window opened at 11:00.
  const twoWindows = await runDay(dir, fake, time, at('2024-03-14T08:00:00Z'), 8, at('2024-03-14T11:00:00Z'));
  // Friday in California: 09:00–17:00 PDT is 16:00–00:00 UTC, across the UTC date change.
  const acrossMidnight = await runDay(dir, fake, time, at('2024-03-15T16:00:00Z'), 8);
  // 2 April: March has ended but is still estimated, so it is asked for again (in the same request).
  await runDay(dir, fake, time, at('2024-04-01T08:00:00Z'), 8);
  const monthStart = await runDay(dir, fake, time, at('2024-04-02T08:00:00Z'), 8);
  rmSync(dir, { recursive: true, force: true });

  const poll = await pollEvery5Minutes(at('2024-03-13T08:00:00Z'), 8);

  // The fair baselines, on one day with two windows and a restart.
  const sharedDir = mkdtempSync(join(tmpdir(), 'bench-costs-shared-'));
  const sharedTime = new VirtualTime(0);
  const sharedFake = new FakeCostExplorer(() => utcToday(sharedTime.now));
  const oursRestartCold = await twoWindowsAndRestart(sharedFake, sharedTime, '2024-03-13', () => sharedDir);
  const oursRestartWarm = await twoWindowsAndRestart(sharedFake, sharedTime, '2024-03-14', () => sharedDir);
  rmSync(sharedDir, { recursive: true, force: true });
  const perWindowDirs: string[] = [];
  const perWindowTime = new VirtualTime(0);
  const perWindowFake = new FakeCostExplorer(() => utcToday(perWindowTime.now));
  const freshDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'bench-costs-window-'));
    perWindowDirs.push(d);
    return d;
  };
  await twoWindowsAndRestart(perWindowFake, perWindowTime, '2024-03-13', freshDir);
  const perWindow = await twoWindowsAndRestart(perWindowFake, perWindowTime, '2024-03-14', freshDir);
  for (const d of perWindowDirs) rmSync(d, { recursive: true, force: true });
  const costCli = await costCliRuns(at('2024-03-14T08:00:00Z'), 8);
  const usd = (n: number) => Math.round(n * PRICE_PER_REQUEST * 100) / 100;

  console.log('Cost Explorer requests in an 8-hour day (views visible: Costs view with By service and Anomalies expanded, dashboard open; default settings)');
  console.log(`  ours, first day (cold cache):           ${firstDay}  ($${usd(firstDay).toFixed(2)})  [${firstDayOps}]`);
  console.log(`  ours, normal day:                       ${normalDay}  ($${usd(normalDay).toFixed(2)})  [${normalOps}]`);
  console.log(`  ours, normal day with a second window:  ${twoWindows}  (the second window made ${twoWindows - normalDay} more)`);
  console.log(`  ours, a day across UTC midnight:        ${acrossMidnight}`);
  console.log(`  ours, 2nd of the month:                 ${monthStart}`);
  console.log(`  poll every 5 minutes, no cache:         ${poll}  ($${usd(poll).toFixed(2)})`);
  console.log('Fair baselines, one day with window A 08:00–16:00 restarted at 13:00 and window B from 11:00:');
  console.log(`  ours (one cache on disk for every window and restart): ${oursRestartWarm} (${oursRestartCold} on the first day ever)`);
  console.log(`  a per-window cache of 6 hours (in memory, gone on restart): ${perWindow}`);
  console.log(`  aws-cost-cli run once an hour, 8 runs (one request each; totals by service only): ${costCli}`);
  console.log(`  goal: fewer than the per-window cache → ${oursRestartWarm < perWindow ? 'met' : 'NOT met'}`);
  console.log(`  a month of normal working days (21): ours $${usd(normalDay * 21).toFixed(2)}, polling $${usd(poll * 21).toFixed(2)}`);
  console.log(`  goal: at most 8 in a normal day → ${normalDay <= 8 ? 'met' : 'NOT met'}`);
  console.log(`  (simulated in ${(performance.now() - t0).toFixed(0)} ms)`);
  console.log(JSON.stringify({
    bench: 'costs',
    metrics: {
      requests_normal_day: normalDay,
      requests_first_day: firstDay,
      requests_two_windows_day: twoWindows,
      requests_day_across_utc_midnight: acrossMidnight,
      requests_second_day_of_month: monthStart,
      requests_poll_5min_no_cache: poll,
      poll_to_ours_ratio: Math.round((poll / normalDay) * 10) / 10,
      usd_normal_day: usd(normalDay),
      usd_poll_5min_no_cache: usd(poll),
      requests_two_windows_restart_day: oursRestartWarm,
      requests_two_windows_restart_first_day: oursRestartCold,
      requests_per_window_cache_day: perWindow,
      requests_cost_cli_8_runs: costCli,
      goal_beats_per_window_cache: oursRestartWarm < perWindow,
      goal_max_requests: 8,
      goal_met: normalDay <= 8,
    },
  }));
}

// Run when started as this bench; the day bench (test/bench/day.ts) imports the simulation.
if (/costs\.js$/.test(process.argv[1] ?? '')) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
