// The cost dashboard webview. Talks to the host only through the shared protocol; keeps its controls in
// setState so that hiding, showing and restarting bring it back as it was. Every string from AWS goes
// into the page as text.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';
import css from './styles.css';
import { connect, el, loadState, saveState } from '../shared/ipc';
import type { CostsDashboardSpec, DashboardData, DashboardParams, DashboardState, LoadResult } from '../../src/costs/dashboardProtocol';
import { FORECAST_UNAVAILABLE, FORECAST_UNAVAILABLE_WHY, formatChange, formatCurrency, change as changeOf } from '../../src/costs/math';
import { forecastChart, stackedBars } from './charts';

const sheet = new CSSStyleSheet();
sheet.replaceSync(`${uplotCss}\n${css}`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

interface ValueEl extends HTMLElement { value: string }
interface CheckEl extends HTMLElement { checked: boolean }

const DIMENSIONS: [DashboardParams['dimension'], string][] = [['SERVICE', 'Service'], ['LINKED_ACCOUNT', 'Account'], ['REGION', 'Region'], ['USAGE_TYPE', 'Usage type'], ['TAG', 'Tag']];
const METRICS: [DashboardParams['metric'], string][] = [['UnblendedCost', 'Unblended'], ['AmortizedCost', 'Amortized'], ['NetUnblendedCost', 'Net unblended']];

const ep = connect<CostsDashboardSpec>();
let params: DashboardParams | undefined = loadState<DashboardState>()?.params;
let tagKey = '';
let last: LoadResult | undefined;
let loading = false;
let again: 'load' | 'refresh' | undefined;
const charts: uPlot[] = [];

const app = document.getElementById('app')!;
app.className = 'dashboard';
const controls = el('div', { className: 'controls' });
const status = el('div', { className: 'status muted' });
const body = el('div', { className: 'body' });
app.append(el('h1', { text: 'Cost dashboard' }), controls, status, body);

function persist(): void {
  if (params) saveState<DashboardState>({ params });
}

function select<T extends string>(label: string, id: string, options: [T, string][], value: T, onChange: (v: T) => void): HTMLElement {
  const s = document.createElement('vscode-single-select') as ValueEl;
  s.id = id;
  for (const [v, text] of options) {
    const o = document.createElement('vscode-option') as ValueEl;
    o.value = v;
    o.textContent = text;
    if (v === value) o.setAttribute('selected', '');
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value as T));
  const l = document.createElement('vscode-label');
  l.textContent = label;
  l.setAttribute('for', id);
  return el('div', { className: 'control' }, l, s);
}

function renderControls(): void {
  if (!params) return;
  const p = params;
  const set = (patch: Partial<DashboardParams>) => {
    params = { ...p, ...patch };
    persist();
    renderControls();
    void load();
  };
  const exclude = document.createElement('vscode-checkbox') as CheckEl;
  exclude.id = 'exclude';
  exclude.checked = p.excludeCreditsRefundsTax;
  exclude.setAttribute('label', 'Exclude credits, refunds and tax');
  exclude.addEventListener('change', () => set({ excludeCreditsRefundsTax: exclude.checked }));
  const refresh = document.createElement('vscode-button');
  refresh.id = 'refresh';
  refresh.textContent = 'Refresh';
  refresh.setAttribute('icon', 'refresh');
  refresh.setAttribute('title', 'Request the data that can still change again ($0.01 a request); closed months are never requested again.');
  refresh.addEventListener('click', () => void load(true));
  const ledger = document.createElement('vscode-button');
  ledger.textContent = 'Ledger';
  ledger.setAttribute('secondary', '');
  ledger.setAttribute('icon', 'list-ordered');
  ledger.addEventListener('click', () => ep.notify('showLedger', undefined));
  controls.replaceChildren(
    select('Range', 'range', [['30', 'Last 30 days'], ['90', 'Last 90 days']], String(p.rangeDays) as '30' | '90', (v) => set({ rangeDays: Number(v) as 30 | 90 })),
    select('Granularity', 'granularity', [['DAILY', 'Daily'], ['MONTHLY', 'Monthly']], p.granularity, (v) => set({ granularity: v })),
    select('Group by', 'dimension', DIMENSIONS.map(([d, l]) => [d, d === 'TAG' && tagKey ? `Tag: ${tagKey}` : l] as [DashboardParams['dimension'], string]), p.dimension, (v) => set({ dimension: v })),
    select('Metric', 'metric', METRICS, p.metric, (v) => set({ metric: v })),
    el('div', { className: 'control checkbox' }, exclude),
    el('div', { className: 'control buttons' }, refresh, ledger),
  );
}

async function load(refresh = false): Promise<void> {
  if (!params) return;
  if (loading) {
    again = refresh || again === 'refresh' ? 'refresh' : 'load';
    return;
  }
  loading = true;
  status.replaceChildren(document.createElement('vscode-progress-ring'), document.createTextNode(refresh ? ' Refreshing…' : ' Loading…'));
  try {
    last = await ep.request('load', { params, refresh }, 120_000);
  } catch (err) {
    last = { ok: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
  } finally {
    loading = false;
  }
  render();
  const next = again;
  again = undefined;
  if (next) void load(next === 'refresh');
}

function notice(message: string, action?: { label: string; run: () => void }, kind = 'info'): HTMLElement {
  const box = el('div', { className: `notice ${kind}` }, el('p', { text: message }));
  if (action) {
    const b = document.createElement('vscode-button');
    b.textContent = action.label;
    b.addEventListener('click', action.run);
    box.append(b);
  }
  return box;
}

function destroyCharts(): void {
  for (const c of charts.splice(0)) c.destroy();
}

function render(): void {
  destroyCharts();
  const r = last;
  if (!r) return;
  if (!r.ok) {
    status.replaceChildren();
    if (r.reason === 'notConnected') body.replaceChildren(notice(r.message, { label: 'Select Profile', run: () => ep.notify('selectProfile', undefined) }));
    else if (r.reason === 'consent') body.replaceChildren(notice(r.message, { label: 'Allow requests…', run: () => ep.notify('allowRequests', undefined) }));
    else if (r.reason === 'notLoaded') body.replaceChildren(notice(r.message, { label: 'Refresh', run: () => void load(true) }));
    else if (/tag key/i.test(r.message)) body.replaceChildren(notice(r.message, { label: 'Choose a tag key…', run: () => ep.notify('chooseTagKey', undefined) }, 'warning'));
    else body.replaceChildren(notice(r.message, { label: 'Retry', run: () => void load() }, 'error'));
    return;
  }
  const d = r.data;
  status.replaceChildren(el('span', { text: `Updated ${r.age} · ${r.ledger}` }));
  if (d.error) status.append(el('span', { className: 'warning', text: ` · Could not refresh (${d.error}); showing cached data.` }));
  body.replaceChildren(headline(d), chartBox('stacked'), chartBox('monthly'), chartBox('forecast'), movers(d));
  drawCharts(d);
}

function headline(d: DashboardData): HTMLElement {
  const c = changeOf(d.monthToDate, d.samePointLastMonth);
  const cards = [
    card('Month to date', formatCurrency(d.monthToDate, d.unit), `${formatChange(c, d.unit)} vs same point last month`),
    d.forecast.monthEnd
      ? card('Forecast for month end', formatCurrency(d.forecast.monthEnd.monthEnd, d.unit), d.forecast.monthEnd.lower !== undefined && d.forecast.monthEnd.upper !== undefined ? `80%: ${formatCurrency(d.forecast.monthEnd.lower, d.unit)} – ${formatCurrency(d.forecast.monthEnd.upper, d.unit)}` : '')
      : d.forecast.unavailable !== undefined && !d.forecast.error
        ? card('Forecast for month end', 'Unavailable', FORECAST_UNAVAILABLE, 'forecast-unavailable', FORECAST_UNAVAILABLE_WHY)
        : card('Forecast for month end', 'not available', d.forecast.error ?? ''),
  ];
  return el('div', { className: 'cards' }, ...cards);
}

function card(title: string, value: string, detail: string, extraClass = '', tooltip = ''): HTMLElement {
  return el('div', { className: `card ${extraClass}`.trim(), title: tooltip }, el('div', { className: 'muted', text: title }), el('div', { className: 'value', text: value }), el('div', { className: 'muted small', text: detail }));
}

function chartBox(name: string): HTMLElement {
  return el('div', { className: `chart chart-${name}` });
}

function drawCharts(d: DashboardData): void {
  const width = Math.max(320, body.clientWidth - 8);
  const dim = DIMENSIONS.find(([k]) => k === d.params.dimension)?.[1].toLowerCase() ?? 'service';
  const by = d.params.dimension === 'TAG' && tagKey ? `tag ${tagKey}` : dim;
  const stacked = body.querySelector<HTMLElement>('.chart-stacked')!;
  const monthly = body.querySelector<HTMLElement>('.chart-monthly')!;
  const forecast = body.querySelector<HTMLElement>('.chart-forecast')!;
  if (d.stacked.series.length) {
    charts.push(stackedBars(stacked, { x: d.stacked.x, series: d.stacked.series, unit: d.unit, monthly: d.params.granularity === 'MONTHLY', width, height: 280, title: `${d.params.granularity === 'MONTHLY' ? 'Monthly' : 'Daily'} cost, last ${d.params.rangeDays} days, by ${by}` }));
  } else stacked.append(el('p', { className: 'muted', text: `No costs in the last ${d.params.rangeDays} days.` }));
  if (d.monthly.series.length) charts.push(stackedBars(monthly, { x: d.monthly.months.map((m) => `${m}-01`), series: d.monthly.series, unit: d.unit, monthly: true, width, height: 260, title: `Month by month, last 12 months and this month so far, by ${by}` }));
  const noForecast = d.forecast.unavailable !== undefined && !d.forecast.error;
  charts.push(forecastChart(forecast, { ...d.forecast, unit: d.unit, width, height: 240, title: noForecast ? `This month: actual (${FORECAST_UNAVAILABLE.toLowerCase()})` : 'This month: actual and forecast (80% interval)' }));
}

function movers(d: DashboardData): HTMLElement {
  const wrap = el('div', { className: 'movers' }, el('h2', { text: 'Top movers: this month to date vs the same point last month' }));
  if (!d.movers.length) {
    wrap.append(el('p', { className: 'muted', text: 'No change.' }));
    return wrap;
  }
  const table = el('table');
  table.append(el('thead', {}, el('tr', {}, el('th', { text: 'Name' }), el('th', { className: 'numeric', text: 'This month' }), el('th', { className: 'numeric', text: 'Last month' }), el('th', { className: 'numeric', text: 'Change' }))));
  const tbody = el('tbody');
  for (const m of d.movers) {
    tbody.append(el('tr', {},
      el('td', { text: m.label, title: m.key }),
      el('td', { className: 'numeric', text: formatCurrency(m.current, d.unit) }),
      el('td', { className: 'numeric', text: formatCurrency(m.previous, d.unit) }),
      el('td', { className: `numeric ${m.delta > 0 ? 'up' : 'down'}`, text: formatChange({ delta: m.delta, ratio: m.ratio }, d.unit) })));
  }
  table.append(tbody);
  wrap.append(table);
  return wrap;
}

ep.on('init', (init) => {
  tagKey = init.tagKey;
  params ??= init.params;
  persist();
  renderControls();
  void load();
});

ep.on('changed', () => void load());

// Redraw charts when the theme changes (their colours come from it) or the panel is resized.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
let lastWidth = 0;
new ResizeObserver(() => {
  if (Math.abs(body.clientWidth - lastWidth) < 8) return;
  lastWidth = body.clientWidth;
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => render(), 150);
}).observe(body);
