// uPlot charts for the cost dashboard: stacked bars by day or month, and the forecast band. Colours come
// from the VS Code theme's chart tokens; days are UTC calendar days, so the axis is drawn in UTC.
import uPlot from 'uplot';
import { addDays, dayToEpochSeconds, shortDay, shortMonth } from '../../src/costs/dates';
import { formatCurrency } from '../../src/costs/math';
import type { CostsDashboardSpec } from '../../src/costs/dashboardProtocol';
import { fill } from '../../src/webview/strings';
import { hostStrings } from '../shared/ipc';
import type { AnomalyMark, Series } from '../../src/costs/service';

/** The labels from the host (src/costs/dashboardStrings.ts). */
const S = hostStrings<CostsDashboardSpec>();

const TOKENS = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function palette(n: number, hasOther: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (hasOther && i === n - 1) out.push(cssVar('--vscode-descriptionForeground', '#888'));
    else out.push(cssVar(TOKENS[i % TOKENS.length], FALLBACK[i % FALLBACK.length]));
  }
  return out;
}

function axisColors() {
  return {
    stroke: cssVar('--vscode-charts-foreground', cssVar('--vscode-foreground', '#ccc')),
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.25)'),
  };
}

/** A translucent version of a theme colour (theme colours are #rrggbb or #rrggbbaa). */
function withAlpha(color: string, alphaHex: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}${alphaHex}` : /^#[0-9a-f]{8}$/i.test(color) ? `${color.slice(0, 7)}${alphaHex}` : 'rgba(128, 128, 128, 0.25)';
}

const money = (unit: string) => (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatCurrency(v, unit));

function axes(unit: string, x: uPlot.Axis): uPlot.Axis[] {
  const c = axisColors();
  const short = (v: number) => (Math.abs(v) >= 1000 ? `${(v / 1000).toFixed(v >= 10_000 ? 0 : 1)}k` : v.toFixed(v < 10 && v % 1 ? 1 : 0));
  return [
    { ...x, stroke: c.stroke, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 } },
    { stroke: c.stroke, grid: { stroke: c.grid, width: 1 }, ticks: { stroke: c.grid, width: 1 }, size: 56, values: (_u, splits) => splits.map((v) => `${unit === 'USD' ? '$' : ''}${short(v)}`) },
  ];
}

/**
 * Stacked bars: each series is drawn as the running total up to it, tallest first, so the visible part of
 * each bar is that series. The legend shows each series' own value. Negative amounts (credits) are not
 * stacked.
 */
export function stackedBars(target: HTMLElement, opts: { x: string[]; series: Series[]; unit: string; monthly: boolean; width: number; height: number; title: string; anomalies?: AnomalyMark[] }): uPlot {
  const n = opts.series.length;
  const hasOther = opts.series.at(-1)?.key === 'other';
  const colors = palette(n, hasOther);
  const own = opts.series.map((s) => s.values.map((v) => Math.max(0, v)));
  const cumulative: number[][] = [];
  own.forEach((vals, i) => cumulative.push(vals.map((v, j) => v + (i ? cumulative[i - 1][j] : 0))));
  const xs = opts.monthly ? opts.x.map((_, i) => i) : opts.x.map(dayToEpochSeconds);
  const label = (i: number) => (opts.monthly ? shortMonth(opts.x[i]?.slice(0, 7) ?? '') : shortDay(opts.x[i] ?? ''));
  const fmt = money(opts.unit);
  const bars = uPlot.paths.bars!({ size: [0.8, 40], gap: 1 });
  // Draw the tallest (last cumulative) first; legend order follows the stack from the bottom.
  const order = [...Array(n).keys()].reverse();
  const data: uPlot.AlignedData = [xs, ...order.map((i) => cumulative[i])];
  const u = new uPlot({
    title: opts.title,
    width: opts.width,
    height: opts.height,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: !opts.monthly, range: (_u, min, max) => (opts.monthly ? [min - 0.6, max + 0.6] : [min - 43_200, max + 43_200]) }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
    axes: axes(opts.unit, opts.monthly ? { splits: () => xs, values: (_u, splits) => splits.map((v) => label(v)) } : { values: (_u, splits) => splits.map((v) => shortDay(new Date(v * 1000).toISOString().slice(0, 10))) }),
    legend: { live: true },
    cursor: { points: { show: false } },
    // Scales exist once the chart is ready: only then can a day be placed.
    hooks: { ready: [(u) => { if (opts.anomalies?.length) markAnomalies(u, opts.anomalies, opts.unit); }] },
    series: [
      { label: opts.monthly ? S.chartMonth : S.chartDay, value: (_u, v) => (v === null ? '' : opts.monthly ? label(v) : shortDay(new Date(v * 1000).toISOString().slice(0, 10))) },
      ...order.map((i) => ({
        label: opts.series[i].label,
        fill: colors[i],
        stroke: colors[i],
        width: 0,
        paths: bars,
        points: { show: false },
        value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) => (idx === null ? '' : fmt(opts.series[i].values[idx])),
      })),
    ],
  }, data, target);
  return u;
}

/** This month: actual daily cost as bars, the forecast mean as a dashed line, its 80% interval as a band. */
export function forecastChart(target: HTMLElement, opts: { days: string[]; actual: (number | null)[]; mean: (number | null)[]; lower: (number | null)[]; upper: (number | null)[]; unit: string; width: number; height: number; title: string }): uPlot {
  const [actualColor, forecastColor] = palette(2, false);
  const xs = opts.days.map(dayToEpochSeconds);
  const fmt = money(opts.unit);
  return new uPlot({
    title: opts.title,
    width: opts.width,
    height: opts.height,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: axes(opts.unit, { values: (_u, splits) => splits.map((v) => shortDay(new Date(v * 1000).toISOString().slice(0, 10))) }),
    cursor: { points: { show: false } },
    bands: [{ series: [3, 4], fill: withAlpha(forecastColor, '33') }],
    series: [
      { label: S.chartDay, value: (_u, v) => (v === null ? '' : shortDay(new Date(v * 1000).toISOString().slice(0, 10))) },
      { label: S.chartActual, fill: actualColor, stroke: actualColor, width: 0, paths: uPlot.paths.bars!({ size: [0.7, 30] }), points: { show: false }, value: (_u, v) => fmt(v) },
      { label: S.chartForecast, stroke: forecastColor, width: 2, dash: [6, 4], points: { show: false }, value: (_u, v) => fmt(v) },
      { label: S.chart80Upper, stroke: withAlpha(forecastColor, '88'), width: 1, points: { show: false }, value: (_u, v) => fmt(v) },
      { label: S.chart80Lower, stroke: withAlpha(forecastColor, '88'), width: 1, points: { show: false }, value: (_u, v) => fmt(v) },
    ],
  }, [xs, opts.actual, opts.mean, opts.upper, opts.lower] as uPlot.AlignedData, target);
}

/** An anomaly as the marker's tooltip and the list below the chart say it (plain text). */
export function anomalyText(a: AnomalyMark, unit: string): string {
  const when = a.start === a.end ? shortDay(a.start) : `${shortDay(a.start)} – ${shortDay(a.end)}`;
  const pct = a.impactPercent !== undefined ? ` (+${a.impactPercent.toFixed(0)}%)` : '';
  return fill(S.anomaly, when, a.dimension || S.anomalyCost, formatCurrency(a.impact, unit), pct, formatCurrency(a.maxImpact, unit));
}

/**
 * Marks each anomaly's days on a daily chart: a triangle above the plot at each day, its tooltip the
 * anomaly as text (the title attribute; AWS's dimension value is never markup). Positioned with the
 * CSSOM, which the strict CSP allows (no style attributes in markup).
 */
export function markAnomalies(u: uPlot, anomalies: AnomalyMark[], unit: string): void {
  for (const a of anomalies) {
    const text = anomalyText(a, unit);
    for (let day = a.start; day <= a.end; day = addDays(day, 1)) {
      const left = u.valToPos(dayToEpochSeconds(day), 'x');
      if (!Number.isFinite(left)) continue;
      const m = document.createElement('div');
      m.className = 'anomaly-marker';
      m.title = text;
      m.textContent = '▲';
      m.setAttribute('role', 'img');
      m.setAttribute('aria-label', text);
      m.dataset.day = day;
      m.style.left = `${left}px`;
      u.over.append(m);
    }
  }
}
