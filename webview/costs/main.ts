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
import { connect, el, hostStrings, loadState, saveState } from '../shared/ipc';
import { fill } from '../../src/webview/strings';
import type { CostsDashboardSpec, DashboardData, DashboardParams, DashboardState, Estimate, FilterValues, LoadResult } from '../../src/costs/dashboardProtocol';
import type { CostFilter, FilterDimension } from '../../src/costs/plan';
import { shortDay } from '../../src/costs/dates';
import { formatChange, formatCurrency, change as changeOf } from '../../src/costs/math';
import { anomalyText, forecastChart, stackedBars } from './charts';

const sheet = new CSSStyleSheet();
sheet.replaceSync(`${uplotCss}\n${css}`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

interface ValueEl extends HTMLElement { value: string }
interface CheckEl extends HTMLElement { checked: boolean }

/** The labels from the host (src/costs/dashboardStrings.ts). */
const S = hostStrings<CostsDashboardSpec>();
const DIMENSIONS: [DashboardParams['dimension'], string][] = [['SERVICE', S.dimService], ['LINKED_ACCOUNT', S.dimAccount], ['REGION', S.dimRegion], ['USAGE_TYPE', S.dimUsageType], ['TAG', S.dimTag]];
const METRICS: [DashboardParams['metric'], string][] = [['UnblendedCost', S.metricUnblended], ['AmortizedCost', S.metricAmortized], ['NetUnblendedCost', S.metricNetUnblended]];
/** What a chart's costs are grouped by, after "by". */
const BY: Record<DashboardParams['dimension'], string> = { SERVICE: S.byService, LINKED_ACCOUNT: S.byAccount, REGION: S.byRegion, USAGE_TYPE: S.byUsageType, TAG: S.byTag };

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
const note = el('div', { className: 'scope-note' });
note.id = 'scope-note';
const body = el('div', { className: 'body' });
/** The active range and filter, in the header. */
const active = el('div', { className: 'active' });
const staging = el('div', { className: 'controls staging' });
app.append(el('div', { className: 'header' }, el('h1', { text: S.title }), active), controls, staging, status, note, body);

const FILTER_DIMENSIONS: [FilterDimension | 'NONE', string][] = [['NONE', S.noFilter], ['SERVICE', S.dimService], ['LINKED_ACCOUNT', S.dimAccount], ['REGION', S.dimRegion], ['TAG', S.dimTag]];
/** The active filter on one dimension, in the header. */
const ONLY: Record<Exclude<FilterDimension, 'TAG'>, string> = { SERVICE: S.onlyService, LINKED_ACCOUNT: S.onlyAccount, REGION: S.onlyRegion };

function activeText(p: DashboardParams, d?: DashboardData): string {
  const range = p.custom ? `${shortDay(p.custom.start)}, ${p.custom.start.slice(0, 4)} – ${shortDay(p.custom.end)}, ${p.custom.end.slice(0, 4)}` : d ? fill(S.activeLastDaysFromTo, p.rangeDays, shortDay(d.range.start), shortDay(d.range.end)) : fill(S.activeLastDays, p.rangeDays);
  const f = p.filter;
  const filter = !f ? S.allCosts : f.dimension === 'TAG' ? fill(S.onlyTag, f.key ?? '', f.value || S.untagged) : fill(ONLY[f.dimension], labelOfValue(f.dimension, f.value));
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
  exclude.setAttribute('label', S.excludeCredits);
  exclude.addEventListener('change', () => set({ excludeCreditsRefundsTax: exclude.checked }));
  const refresh = document.createElement('vscode-button');
  refresh.id = 'refresh';
  refresh.textContent = S.refresh;
  refresh.setAttribute('icon', 'refresh');
  refresh.setAttribute('title', S.refreshTitle);
  refresh.addEventListener('click', () => void load(true));
  const ledger = document.createElement('vscode-button');
  ledger.textContent = S.ledger;
  ledger.setAttribute('secondary', '');
  ledger.setAttribute('icon', 'list-ordered');
  ledger.addEventListener('click', () => ep.notify('showLedger', undefined));
  const exportButton = document.createElement('vscode-button');
  exportButton.id = 'export';
  exportButton.textContent = S.exportCsv;
  exportButton.setAttribute('secondary', '');
  exportButton.setAttribute('icon', 'desktop-download');
  exportButton.setAttribute('title', S.exportTitle);
  exportButton.addEventListener('click', () => void exportCsv());
  controls.replaceChildren(
    select(S.range, 'range', [['30', S.last30, 'range:30'], ['90', S.last90, 'range:90'], ['custom', S.custom]], (p.custom || draft.custom ? 'custom' : String(p.rangeDays)) as '30' | '90' | 'custom', (v) => {
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
    select(S.granularity, 'granularity', [['DAILY', S.daily], ['MONTHLY', S.monthly]], p.granularity, (v) => set({ granularity: v })),
    select(S.groupBy, 'dimension', DIMENSIONS.filter(([d]) => d !== 'TAG' || tagKey || p.dimension === 'TAG').map(([d, l]) => [d, d === 'TAG' && tagKey ? fill(S.dimTagKey, tagKey) : l, `dimension:${d}`] as [DashboardParams['dimension'], string, string]), p.dimension, (v) => set({ dimension: v })),
    select(S.metric, 'metric', METRICS, p.metric, (v) => set({ metric: v })),
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
    parts.push(el('div', { className: 'control' }, el('label', { text: S.from }), dateInput('range-start', c.start, (v) => { draft.custom = { ...c, start: v }; void priceDraft(); })));
    parts.push(el('div', { className: 'control' }, el('label', { text: S.toIncluded }), dateInput('range-end', c.end, (v) => { draft.custom = { start: draft.custom?.start ?? '', end: v }; void priceDraft(); })));
  }
  const f = draft.filter;
  parts.push(select(S.filter, 'filter-dimension', FILTER_DIMENSIONS.filter(([d]) => d !== 'TAG' || tagKey).map(([d, l]) => [d, d === 'TAG' ? fill(S.dimTagKey, tagKey) : l] as [FilterDimension | 'NONE', string]), f?.dimension ?? 'NONE', (v) => {
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
    input.placeholder = f.dimension === 'TAG' ? S.tagValuePlaceholder : S.valuePlaceholder;
    input.addEventListener('change', () => { draft = { ...draft, filter: { ...f, value: input.value } }; void priceDraft(); });
    parts.push(el('div', { className: 'control wide' }, el('label', { text: S.value }), input, list));
  }
  const apply = document.createElement('vscode-button');
  apply.id = 'apply';
  apply.textContent = S.apply;
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
    price.textContent = S.nothingToApply;
    error.textContent = '';
    apply.setAttribute('disabled', '');
    return;
  }
  const seq = ++draftSeq;
  price.textContent = S.pricing;
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
  const note = el('span', { className: r.error ? 'warning' : 'saved', text: r.error ? ` · ${fill(S.exportFailed, r.error)}` : r.saved ? ` · ${fill(S.saved, r.saved)}` : '' });
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
  status.replaceChildren(document.createElement('vscode-progress-ring'), document.createTextNode(` ${refresh ? S.refreshing : S.loading}`));
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
  // Under a multi-account scope: which accounts this shows, above everything else.
  note.replaceChildren(...(r.scopeNote ? [notice(r.scopeNote, undefined, r.scopeNoteKind === 'info' ? 'info' : 'warning')] : []));
  if (!r.ok) {
    status.replaceChildren();
    if (r.reason === 'notConnected') body.replaceChildren(notice(r.message, { label: S.selectProfile, run: () => ep.notify('selectProfile', undefined) }));
    else if (r.reason === 'consent') body.replaceChildren(notice(r.message, { label: S.allowRequests, run: () => ep.notify('allowRequests', undefined) }));
    else if (r.reason === 'invalid') body.replaceChildren(notice(r.message, undefined, 'warning'));
    else if (r.reason === 'notLoaded') body.replaceChildren(notice(r.message, { label: S.refresh, run: () => void load(true) }));
    else if (r.reason === 'noTagKey') body.replaceChildren(notice(r.message, { label: S.chooseTagKey, run: () => ep.notify('chooseTagKey', undefined) }, 'warning'));
    else body.replaceChildren(notice(r.message, { label: S.retry, run: () => void load() }, 'error'));
    return;
  }
  const d = r.data;
  if (r.filterValues) filterValues = r.filterValues;
  active.textContent = activeText(d.params, d);
  status.replaceChildren(el('span', { text: fill(S.updated, r.age, r.ledger) }));
  if (d.error) status.append(el('span', { className: 'warning', text: ` · ${fill(S.couldNotRefresh, d.error)}` }));
  body.replaceChildren(headline(d), chartBox('stacked'), chartBox('monthly'), chartBox('forecast'), movers(d));
  drawCharts(d);
}

function headline(d: DashboardData): HTMLElement {
  const c = changeOf(d.monthToDate, d.samePointLastMonth);
  const cards = [
    card(S.monthToDate, formatCurrency(d.monthToDate, d.unit), fill(S.vsSamePoint, formatChange(c, d.unit))),
    d.forecast.monthEnd
      ? card(S.forecastMonthEnd, formatCurrency(d.forecast.monthEnd.monthEnd, d.unit), d.forecast.monthEnd.lower !== undefined && d.forecast.monthEnd.upper !== undefined ? fill(S.interval80, formatCurrency(d.forecast.monthEnd.lower, d.unit), formatCurrency(d.forecast.monthEnd.upper, d.unit)) : '')
      : d.forecast.unavailable !== undefined && !d.forecast.error
        ? card(S.forecastMonthEnd, S.unavailable, S.forecastUnavailable, 'forecast-unavailable', S.forecastUnavailableWhy)
        : card(S.forecastMonthEnd, S.notAvailable, d.forecast.error ?? ''),
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
  const by = d.params.dimension === 'TAG' && tagKey ? fill(S.byTagKey, tagKey) : BY[d.params.dimension] ?? S.byService;
  const stacked = body.querySelector<HTMLElement>('.chart-stacked')!;
  const monthly = body.querySelector<HTMLElement>('.chart-monthly')!;
  const forecast = body.querySelector<HTMLElement>('.chart-forecast')!;
  const span = d.params.custom ? `${shortDay(d.range.start)} – ${shortDay(d.range.end)}` : fill(S.spanLastDays, d.params.rangeDays);
  if (d.stacked.series.length) {
    const u = stackedBars(stacked, { x: d.stacked.x, series: d.stacked.series, unit: d.unit, monthly: d.params.granularity === 'MONTHLY', width, height: 280, title: fill(d.params.granularity === 'MONTHLY' ? S.monthlyCostBy : S.dailyCostBy, span, by), anomalies: d.params.granularity === 'DAILY' ? d.anomalies : undefined });
    charts.push(u);
  } else stacked.append(el('p', { className: 'muted', text: fill(S.noCostsIn, span) }));
  if (d.params.granularity === 'DAILY' && (d.anomalies.length || d.anomaliesNote)) {
    const list = el('ul', { className: 'anomaly-list' });
    for (const a of d.anomalies) list.append(el('li', { text: anomalyText(a, d.unit) }));
    stacked.append(el('div', { className: 'anomalies muted small' }, el('span', { text: d.anomalies.length ? S.anomaliesHeading : d.anomaliesNote ?? '' }), list));
  }
  if (d.monthly.series.length) charts.push(stackedBars(monthly, { x: d.monthly.months.map((m) => `${m}-01`), series: d.monthly.series, unit: d.unit, monthly: true, width, height: 260, title: fill(S.monthByMonth, by) }));
  const noForecast = d.forecast.unavailable !== undefined && !d.forecast.error;
  charts.push(forecastChart(forecast, { ...d.forecast, unit: d.unit, width, height: 240, title: noForecast ? S.thisMonthActualNoForecast : S.thisMonthActualForecast }));
}

function movers(d: DashboardData): HTMLElement {
  const wrap = el('div', { className: 'movers' }, el('h2', { text: S.topMovers }));
  if (!d.movers.length) {
    wrap.append(el('p', { className: 'muted', text: S.noChange }));
    return wrap;
  }
  const table = el('table');
  table.append(el('thead', {}, el('tr', {}, el('th', { text: S.name }), el('th', { className: 'numeric', text: S.thisMonth }), el('th', { className: 'numeric', text: S.lastMonth }), el('th', { className: 'numeric', text: S.change }))));
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
