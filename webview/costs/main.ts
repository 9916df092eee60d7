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
import type { CostsDashboardSpec, DashboardData, DashboardParams, DashboardState, Estimate, FilterValues, LoadResult } from '../../src/costs/dashboardProtocol';
import type { CostFilter, FilterDimension } from '../../src/costs/plan';
import { shortDay } from '../../src/costs/dates';
import { FORECAST_UNAVAILABLE, FORECAST_UNAVAILABLE_WHY, formatChange, formatCurrency, change as changeOf } from '../../src/costs/math';
import { anomalyText, forecastChart, stackedBars } from './charts';

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
/** Range and filter as being edited: applied (and paid for) only with Apply, which shows the price first. */
let draft: { custom?: { start: string; end: string }; filter?: CostFilter } = {};
let filterValues: FilterValues | undefined;
/** The price of each group-by and range option, from the host (nothing requested). */
let prices: Record<string, Estimate> = {};
let draftSeq = 0;
let optionsSeq = 0;
let last: LoadResult | undefined;
let loading = false;
let again: 'load' | 'refresh' | undefined;
const charts: uPlot[] = [];

const app = document.getElementById('app')!;
app.className = 'dashboard';
const controls = el('div', { className: 'controls' });
const status = el('div', { className: 'status muted' });
const body = el('div', { className: 'body' });
/** The active range and filter, in the header. */
const active = el('div', { className: 'active' });
const staging = el('div', { className: 'controls staging' });
app.append(el('div', { className: 'header' }, el('h1', { text: 'Cost dashboard' }), active), controls, staging, status, body);

const FILTER_DIMENSIONS: [FilterDimension | 'NONE', string][] = [['NONE', 'No filter'], ['SERVICE', 'Service'], ['LINKED_ACCOUNT', 'Account'], ['REGION', 'Region'], ['TAG', 'Tag']];

function activeText(p: DashboardParams, d?: DashboardData): string {
  const range = p.custom ? `${shortDay(p.custom.start)}, ${p.custom.start.slice(0, 4)} – ${shortDay(p.custom.end)}, ${p.custom.end.slice(0, 4)}` : `Last ${p.rangeDays} days${d ? ` (${shortDay(d.range.start)} – ${shortDay(d.range.end)})` : ''}`;
  const f = p.filter;
  const filter = !f ? 'all costs' : f.dimension === 'TAG' ? `only tag ${f.key ?? ''} = ${f.value || '(untagged)'}` : `only ${FILTER_DIMENSIONS.find(([k]) => k === f.dimension)?.[1].toLowerCase()} = ${labelOfValue(f.dimension, f.value)}`;
  return `${range} · ${filter}`;
}

function labelOfValue(dim: FilterDimension, value: string): string {
  return filterValues?.[dim].find((v) => v.value === value)?.label ?? value;
}

function sameParams(a: DashboardParams, b: DashboardParams): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** What the staged range and filter would load. */
function drafted(): DashboardParams | undefined {
  if (!params) return undefined;
  const { custom: _c, filter: _f, ...rest } = params;
  return { ...rest, ...(draft.custom ? { custom: draft.custom } : {}), ...(draft.filter ? { filter: draft.filter } : {}) };
}

function persist(): void {
  if (params) saveState<DashboardState>({ params });
}

/** An option's label with its price, when the host has priced it. */
function priced(key: string, label: string): string {
  const e = prices[key];
  return e && 'text' in e ? `${label} · ${e.text}` : label;
}

/** An option [value, label, price key]: with a key, the label shows the option's price (showOptionPrices). */
function select<T extends string>(label: string, id: string, options: [T, string, string?][], value: T, onChange: (v: T) => void): HTMLElement {
  const s = document.createElement('vscode-single-select') as ValueEl;
  s.id = id;
  for (const [v, text, priceKey] of options) {
    const o = document.createElement('vscode-option') as ValueEl;
    o.value = v;
    o.textContent = priceKey ? priced(priceKey, text) : text;
    if (priceKey) Object.assign(o.dataset, { priceKey, label: text });
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
  const exportButton = document.createElement('vscode-button');
  exportButton.id = 'export';
  exportButton.textContent = 'Export CSV';
  exportButton.setAttribute('secondary', '');
  exportButton.setAttribute('icon', 'desktop-download');
  exportButton.setAttribute('title', 'Save what the stacked chart shows as CSV (no request).');
  exportButton.addEventListener('click', () => void exportCsv());
  controls.replaceChildren(
    select('Range', 'range', [['30', 'Last 30 days', 'range:30'], ['90', 'Last 90 days', 'range:90'], ['custom', 'Custom…']], (p.custom || draft.custom ? 'custom' : String(p.rangeDays)) as '30' | '90' | 'custom', (v) => {
      if (v === 'custom') {
        draft = { ...draft, custom: draft.custom ?? { start: last?.ok ? last.data.range.start : '', end: last?.ok ? last.data.range.end : '' } };
        renderControls();
        void priceDraft();
      } else {
        draft = { ...draft, custom: undefined };
        const { custom: _c, ...rest } = p;
        params = { ...rest, rangeDays: Number(v) as 30 | 90 };
        persist();
        renderControls();
        void load();
      }
    }),
    select('Granularity', 'granularity', [['DAILY', 'Daily'], ['MONTHLY', 'Monthly']], p.granularity, (v) => set({ granularity: v })),
    select('Group by', 'dimension', DIMENSIONS.filter(([d]) => d !== 'TAG' || tagKey || p.dimension === 'TAG').map(([d, l]) => [d, d === 'TAG' && tagKey ? `Tag: ${tagKey}` : l, `dimension:${d}`] as [DashboardParams['dimension'], string, string]), p.dimension, (v) => set({ dimension: v })),
    select('Metric', 'metric', METRICS, p.metric, (v) => set({ metric: v })),
    el('div', { className: 'control checkbox' }, exclude),
    el('div', { className: 'control buttons' }, refresh, exportButton, ledger),
  );
  renderStaging();
}

function dateInput(id: string, value: string, onChange: (v: string) => void): HTMLInputElement {
  const i = document.createElement('input');
  i.type = 'date';
  i.id = id;
  i.value = value;
  i.addEventListener('change', () => onChange(i.value));
  return i;
}

/** The range and filter being edited, and Apply with its price. */
function renderStaging(): void {
  if (!params) return;
  const parts: HTMLElement[] = [];
  if (draft.custom) {
    const c = draft.custom;
    parts.push(el('div', { className: 'control' }, el('label', { text: 'From' }), dateInput('range-start', c.start, (v) => { draft.custom = { ...c, start: v }; void priceDraft(); })));
    parts.push(el('div', { className: 'control' }, el('label', { text: 'To (included)' }), dateInput('range-end', c.end, (v) => { draft.custom = { start: draft.custom?.start ?? '', end: v }; void priceDraft(); })));
  }
  const f = draft.filter;
  parts.push(select('Filter', 'filter-dimension', FILTER_DIMENSIONS.filter(([d]) => d !== 'TAG' || tagKey).map(([d, l]) => [d, d === 'TAG' ? `Tag: ${tagKey}` : l] as [FilterDimension | 'NONE', string]), f?.dimension ?? 'NONE', (v) => {
    draft = { ...draft, filter: v !== 'NONE' ? { dimension: v, ...(v === 'TAG' ? { key: tagKey } : {}), value: filterValues?.[v][0]?.value ?? '' } : undefined };
    renderStaging();
    void priceDraft();
  }));
  if (f) {
    // Values from the groups already fetched (no request); any other value can be typed.
    const list = document.createElement('datalist');
    list.id = 'filter-values';
    for (const v of filterValues?.[f.dimension] ?? []) {
      const o = document.createElement('option');
      o.value = v.value;
      o.label = v.label;
      list.append(o);
    }
    const input = document.createElement('input');
    input.id = 'filter-value';
    input.setAttribute('list', 'filter-values');
    input.value = f.value;
    input.placeholder = f.dimension === 'TAG' ? 'tag value (empty: untagged)' : 'value';
    input.addEventListener('change', () => { draft = { ...draft, filter: { ...f, value: input.value } }; void priceDraft(); });
    parts.push(el('div', { className: 'control wide' }, el('label', { text: 'Value' }), input, list));
  }
  const apply = document.createElement('vscode-button');
  apply.id = 'apply';
  apply.textContent = 'Apply';
  apply.addEventListener('click', () => {
    const next = drafted();
    if (!next || apply.hasAttribute('disabled')) return;
    params = next;
    persist();
    renderControls();
    void load();
  });
  const price = el('span', { className: 'price muted' });
  price.id = 'apply-price';
  parts.push(el('div', { className: 'control buttons apply' }, apply, price));
  const error = el('div', { className: 'range-error' });
  error.id = 'range-error';
  staging.replaceChildren(...parts, error);
  void priceDraft();
}

/** Shows what Apply would cost, or why it cannot be asked. */
async function priceDraft(): Promise<void> {
  const next = drafted();
  const price = document.getElementById('apply-price');
  const error = document.getElementById('range-error');
  const apply = document.getElementById('apply');
  if (!next || !price || !error || !apply || !params) return;
  if (sameParams(next, params)) {
    price.textContent = 'shown';
    error.textContent = '';
    apply.setAttribute('disabled', '');
    return;
  }
  const seq = ++draftSeq;
  price.textContent = 'pricing…';
  const [e] = await ep.request('estimate', { params: [next] }, 60_000).catch((err: unknown) => [{ invalid: err instanceof Error ? err.message : String(err) } as Estimate]);
  if (seq !== draftSeq) return;
  if ('invalid' in e) {
    price.textContent = '';
    error.textContent = e.invalid;
    apply.setAttribute('disabled', '');
  } else {
    price.textContent = e.text;
    error.textContent = '';
    apply.removeAttribute('disabled');
  }
}

/** After a load: the price of each other group-by and range option, shown in their lists. */
async function priceOptions(): Promise<void> {
  if (!params) return;
  const p = params;
  const { custom: _c, ...preset } = p;
  const options: [string, DashboardParams][] = [
    ...DIMENSIONS.filter(([d]) => d !== 'TAG' || tagKey).map(([d]) => [`dimension:${d}`, { ...p, dimension: d }] as [string, DashboardParams]),
    ...([30, 90] as const).map((n) => [`range:${n}`, { ...preset, rangeDays: n }] as [string, DashboardParams]),
  ];
  const seq = ++optionsSeq;
  const result = await ep.request('estimate', { params: options.map(([, o]) => o) }, 60_000).catch(() => undefined);
  if (!result || params !== p || seq !== optionsSeq) return;
  prices = Object.fromEntries(options.map(([k], i) => [k, result[i]]));
  showOptionPrices();
}

/** New prices go into the option texts in place: redrawing the controls would close a list the user has open. */
function showOptionPrices(): void {
  for (const o of controls.querySelectorAll<HTMLElement>('vscode-option[data-price-key]')) {
    const text = priced(o.dataset.priceKey ?? '', o.dataset.label ?? '');
    if (o.textContent !== text) o.textContent = text;
  }
}

async function exportCsv(): Promise<void> {
  if (!params) return;
  const r = await ep.request('exportCsv', { params }, 600_000).catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err), saved: undefined }));
  const note = el('span', { className: r.error ? 'warning' : 'saved', text: r.error ? ` · Export failed: ${r.error}` : r.saved ? ` · Saved ${r.saved}` : '' });
  note.id = 'export-result';
  document.getElementById('export-result')?.remove();
  status.append(note);
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
  if (last.ok) void priceOptions();
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
    else if (r.reason === 'invalid') body.replaceChildren(notice(r.message, undefined, 'warning'));
    else if (r.reason === 'notLoaded') body.replaceChildren(notice(r.message, { label: 'Refresh', run: () => void load(true) }));
    else if (/tag key/i.test(r.message)) body.replaceChildren(notice(r.message, { label: 'Choose a tag key…', run: () => ep.notify('chooseTagKey', undefined) }, 'warning'));
    else body.replaceChildren(notice(r.message, { label: 'Retry', run: () => void load() }, 'error'));
    return;
  }
  const d = r.data;
  if (r.filterValues) filterValues = r.filterValues;
  active.textContent = activeText(d.params, d);
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
  const span = d.params.custom ? `${shortDay(d.range.start)} – ${shortDay(d.range.end)}` : `last ${d.params.rangeDays} days`;
  if (d.stacked.series.length) {
    const u = stackedBars(stacked, { x: d.stacked.x, series: d.stacked.series, unit: d.unit, monthly: d.params.granularity === 'MONTHLY', width, height: 280, title: `${d.params.granularity === 'MONTHLY' ? 'Monthly' : 'Daily'} cost, ${span}, by ${by}`, anomalies: d.params.granularity === 'DAILY' ? d.anomalies : undefined });
    charts.push(u);
  } else stacked.append(el('p', { className: 'muted', text: `No costs in the ${span}.` }));
  if (d.params.granularity === 'DAILY' && (d.anomalies.length || d.anomaliesNote)) {
    const list = el('ul', { className: 'anomaly-list' });
    for (const a of d.anomalies) list.append(el('li', { text: anomalyText(a, d.unit) }));
    stacked.append(el('div', { className: 'anomalies muted small' }, el('span', { text: d.anomalies.length ? '▲ Anomalies on this chart (Cost Anomaly Detection, last 30 days; not filtered):' : d.anomaliesNote ?? '' }), list));
  }
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
  draft = { custom: params.custom, filter: params.filter };
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
