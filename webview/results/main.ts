// The results webview: grid, chart and stats tabs over rows the extension host keeps.
// Talks to the host only through the shared protocol (src/webview/protocol.ts + results/protocol.ts).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import uplotCss from 'uplot/dist/uPlot.min.css';
import css from './styles.css';
import { connect, el, hostStrings, loadState, saveState } from '../shared/ipc';
import { fill } from '../../src/webview/strings';
import type { ChartType, Detail, LoadStatus, ResultsSpec, ResultsState, ResultsWebviewState, ViewInfo, ViewSpec } from '../../src/webview/results/protocol';
import { MAX_FILTER_TEXT } from '../../src/webview/results/protocol';
import { Grid, type Selection } from './grid';
import { Chart, defaultChart, type ChartChoice } from './chart';

const sheet = new CSSStyleSheet();
sheet.replaceSync(`${uplotCss}\n${css}`);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

type Tab = ResultsWebviewState['tab'];
const TABS: Tab[] = ['grid', 'chart', 'stats'];

interface SelectEl extends HTMLElement { value: string }
interface MultiSelectEl extends HTMLElement { value: string[] }
interface TextEl extends HTMLElement { value: string }

const ep = connect<ResultsSpec>();
/** The labels from the host (src/webview/results/strings.ts). */
const S = hostStrings<ResultsSpec>();
let ui: ResultsState | undefined;
let saved: ResultsWebviewState = loadState<ResultsWebviewState>() ?? { tab: 'grid', scrollTop: 0, scrollLeft: 0, view: {} };
let restoredView = false;
let restoredScroll = false;
let chartChoice: ChartChoice | undefined = saved.chart;
let chartVersion = -1;

function persist(patch: Partial<ResultsWebviewState>): void {
  saved = { ...saved, ...patch };
  saveState(saved);
}

// ---- layout ----
const app = document.getElementById('app')!;
const statusLine = el('span', { className: 'status' });
const sourceLine = el('span', { className: 'status muted' });
const tabs = document.createElement('vscode-tabs') as HTMLElement & { selectedIndex: number };
for (const label of [S.tabResults, S.tabChart, S.tabStats]) {
  const h = document.createElement('vscode-tab-header');
  h.slot = 'header';
  h.textContent = label;
  tabs.append(h);
}
const top = el('div', { className: 'bar' }, tabs, el('span', { className: 'grow' }), statusLine, sourceLine);

function button(label: string, icon: string, onClick: () => void, title?: string): HTMLElement {
  const b = document.createElement('vscode-button');
  b.setAttribute('secondary', '');
  b.setAttribute('icon', icon);
  b.textContent = label;
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** Options are marked `selected` when built: a select's value set before it renders them is lost. */
function option(value: string, label: string, selected = false): HTMLElement {
  const o = document.createElement('vscode-option');
  o.setAttribute('value', value);
  if (selected) o.setAttribute('selected', '');
  o.textContent = label;
  return o;
}

// Grid tab
const filterColumn = document.createElement('vscode-single-select') as unknown as SelectEl;
filterColumn.title = S.filterColumnTitle;
const filterText = document.createElement('vscode-textfield') as unknown as TextEl;
filterText.className = 'filter-text';
filterText.setAttribute('placeholder', S.filterPlaceholder);
filterText.title = S.filterTitle;
filterText.setAttribute('maxlength', String(MAX_FILTER_TEXT));
const rowCount = el('span', { className: 'status' });
// Shown while a sort or filter of a large result runs (it can take seconds): stops it, the view stays.
const cancelViewButton = button(S.cancel, 'close', () => void ep.request('cancelView', {}).then((info) => {
  viewRequest++;
  showCancel(false);
  onView(info);
}), S.cancelTitle);
// A custom element's own display style beats the hidden attribute.
const showCancel = (on: boolean) => { cancelViewButton.style.display = on ? '' : 'none'; };
showCancel(false);
const grid = new Grid({
  fetchRows: (version, offset, count) => ep.request('getRows', { version, offset, count }),
  onSort: (column) => {
    const cur = ui?.view.spec.sort;
    const sort = cur?.column !== column ? { column, descending: false } : !cur.descending ? { column, descending: true } : undefined;
    void applyView({ ...currentSpec(), sort });
  },
  onCopy: (sel, header) => void copySelection(sel, header),
  onScroll: (scrollTop, scrollLeft) => scheduleScrollSave(scrollTop, scrollLeft),
});
const gridPanel = el('div', { className: 'panel' },
  el('div', { className: 'bar' }, filterColumn, filterText as unknown as HTMLElement, rowCount, cancelViewButton, el('span', { className: 'grow' }),
    button(S.copy, 'copy', () => copyButton(false), S.copyTitle),
    button(S.copyWithHeader, 'copy', () => copyButton(true), S.copyWithHeaderTitle),
    button(S.copyForSpreadsheet, 'copy', () => copyButton(true, true), S.copyForSpreadsheetTitle),
    button(S.csv, 'export', () => void exportAs('csv'), S.csvTitle),
    button(S.json, 'export', () => void exportAs('json'), S.jsonTitle)),
  grid.element);

// Chart tab
const chartType = document.createElement('vscode-single-select') as unknown as SelectEl;
const chartX = document.createElement('vscode-single-select') as unknown as SelectEl;
const chartY = document.createElement('vscode-multi-select') as unknown as MultiSelectEl;
const chartSplit = document.createElement('vscode-single-select') as unknown as SelectEl;
chartSplit.title = S.splitByTitle;
const chartNote = el('span', { className: 'status' });
const plotBox = el('div', { className: 'chart' });
const chart = new Chart(plotBox);
const chartPanel = el('div', { className: 'panel' },
  el('div', { className: 'bar' }, el('span', { text: S.chartTypeLabel }), chartType, el('span', { text: S.chartXLabel }), chartX, el('span', { text: S.chartYLabel }), chartY, el('span', { text: S.splitBy }), chartSplit, chartNote),
  plotBox);

// Stats tab
const statsPanel = el('div', { className: 'stats' });

const panels: Record<Tab, HTMLElement> = { grid: gridPanel, chart: chartPanel, stats: statsPanel };
const body = el('div', { className: 'panel' }, gridPanel, chartPanel, statsPanel);
app.append(top, body);
grid.mount();

function showTab(tab: Tab): void {
  for (const t of TABS) panels[t].hidden = t !== tab;
  tabs.selectedIndex = TABS.indexOf(tab);
  persist({ tab });
  if (tab === 'chart') void refreshChart();
}
tabs.addEventListener('vsc-tabs-select', (e) => showTab(TABS[(e as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex] ?? 'grid'));

// ---- view: sort and filter (computed by the host) ----
function currentSpec(): ViewSpec {
  return ui?.view.spec ?? {};
}

let viewRequest = 0;
async function applyView(spec: ViewSpec): Promise<void> {
  const id = ++viewRequest;
  rowCount.textContent = spec.sort || spec.filter ? S.sortingFiltering : '';
  try {
    const info = await ep.request('setView', spec, 600_000);
    if (id === viewRequest) onView(info);
  } catch (err) {
    rowCount.textContent = fill(S.couldNotApply, (err as Error).message);
  } finally {
    if (id === viewRequest) showCancel(false);
  }
}

function fillFilterColumns(selected: number): void {
  const cols = ui?.columns ?? [];
  filterColumn.replaceChildren(option('-1', S.allColumns, selected === -1), ...cols.map((c, i) => option(String(i), c.name, selected === i)));
}

let filterTimer: ReturnType<typeof setTimeout> | undefined;
function onFilterInput(): void {
  if (filterTimer) clearTimeout(filterTimer);
  filterTimer = setTimeout(() => {
    const text = filterText.value;
    void applyView({ ...currentSpec(), filter: text.trim() ? { column: Number(filterColumn.value || -1), text } : undefined });
  }, 250);
}
filterText.addEventListener('input', onFilterInput);
filterColumn.addEventListener('change', () => { if (filterText.value.trim()) onFilterInput(); });

function onView(view: ViewInfo): void {
  if (!ui) return;
  ui.view = view;
  persist({ view: view.spec });
  grid.setView(view.version, view.total, view.spec.sort);
  renderCounts();
  if (!panels.chart.hidden) void refreshChart();
}

/** "1 row", "5,000 rows": the singular string for one, the plural for any other count. */
function rowsText(n: number, one = S.oneRow, many = S.rows): string {
  return fill(n === 1 ? one : many, n.toLocaleString('en-US'));
}

function renderCounts(): void {
  if (!ui) return;
  const { view, status } = ui;
  const parts = [rowsText(view.total)];
  if (view.spec.filter) parts.push(fill(S.filteredFrom, status.loaded.toLocaleString('en-US')));
  if (view.spec.sort) parts.push(fill(S.sortedBy, ui.columns[view.spec.sort.column]?.name ?? '?', view.spec.sort.descending ? '▼' : '▲'));
  if (view.partial) parts.push(S.partial);
  rowCount.textContent = parts.join(' · ');
}

function renderStatus(status: LoadStatus): void {
  statusLine.className = status.phase === 'error' ? 'status error' : 'status';
  if (status.phase === 'loading') statusLine.textContent = rowsText(status.loaded, S.loadingOneRow, S.loadingRows);
  else if (status.phase === 'error') statusLine.textContent = status.message ?? S.failed;
  else statusLine.textContent = status.message ?? rowsText(status.loaded);
}

function renderDetails(details: Detail[], source?: string): void {
  sourceLine.textContent = source ? `· ${source}` : '';
  const dl = el('dl');
  for (const d of details) {
    const dd = el('dd', { text: d.value, title: d.hint });
    if (d.tone) dd.className = d.tone;
    dl.append(el('dt', { text: d.label }), dd);
  }
  if (source) dl.append(el('dt', { text: S.rowsReadVia }), el('dd', { text: source }));
  statsPanel.replaceChildren(dl);
  if (ui?.query) statsPanel.append(el('div', { className: 'muted', text: S.query }), el('pre', { text: ui.query }));
}

// ---- chart ----
function fillChartSelects(): void {
  if (!ui) return;
  const cols = ui.columns;
  const valid = chartChoice && chartChoice.x < cols.length && chartChoice.ys.every((y) => y < cols.length) && (chartChoice.splitBy ?? 0) < cols.length;
  if (!valid) chartChoice = defaultChart(cols);
  const c = chartChoice;
  chartType.replaceChildren(...([['line', S.chartLine], ['bar', S.chartBar], ['area', S.chartArea], ['scatter', S.chartScatter]] as const).map(([t, label]) => option(t, label, c?.type === t)));
  chartX.replaceChildren(...cols.map((col, i) => option(String(i), col.name, c?.x === i)));
  chartY.replaceChildren(...cols.map((col, i) => ({ col, i })).filter(({ col }) => col.kind === 'number').map(({ col, i }) => option(String(i), col.name, !!c?.ys.includes(i))));
  chartSplit.replaceChildren(option('-1', S.none, c?.splitBy === undefined),
    ...cols.map((col, i) => ({ col, i })).filter(({ col }) => col.kind === 'text' || col.kind === 'boolean').map(({ col, i }) => option(String(i), col.name, c?.splitBy === i)));
}

function readChartChoice(): void {
  const ys = (chartY.value ?? []).map(Number).filter((n) => Number.isInteger(n));
  const split = Number(chartSplit.value ?? -1);
  chartChoice = { type: (chartType.value || 'line') as ChartType, x: Number(chartX.value || 0), ys, splitBy: split >= 0 ? split : undefined };
  persist({ chart: chartChoice });
  chartVersion = -1;
  void refreshChart();
}
for (const s of [chartType, chartX, chartY, chartSplit]) s.addEventListener('change', readChartChoice);

let chartBusy = false;
async function refreshChart(): Promise<void> {
  if (!ui || chartBusy) return;
  const key = ui.view.version * 1e9 + ui.view.total;
  if (key === chartVersion) return;
  if (!chartChoice || !chartChoice.ys.length) {
    chart.clear();
    chartNote.textContent = ui.columns.some((c) => c.kind === 'number') ? S.chooseY : S.noNumericColumn;
    return;
  }
  chartBusy = true;
  chartNote.textContent = S.computing;
  try {
    const data = await ep.request('chartData', { x: chartChoice.x, ys: chartChoice.ys, splitBy: chartChoice.splitBy }, 120_000);
    chartVersion = key;
    chart.render(data, chartChoice, ui.columns);
    chartNote.textContent = `${fill(S.points, data.x.length.toLocaleString('en-US'))}${data.note ? ` · ${data.note}` : ''}${ui.status.phase === 'loading' ? ` · ${S.stillLoading}` : ''}`;
  } catch (err) {
    chartNote.textContent = fill(S.couldNotChart, (err as Error).message);
  } finally {
    chartBusy = false;
  }
}

// ---- copy / export ----
/** A Copy button: copies the selection, or says there is none (it used to do nothing). */
function copyButton(header: boolean, spreadsheetSafe = false): void {
  const sel = grid.getSelection();
  if (sel) {
    void copySelection(sel, header, spreadsheetSafe);
    return;
  }
  rowCount.textContent = S.nothingSelected;
  setTimeout(renderCounts, 4000);
}

async function copySelection(sel: Selection, header: boolean, spreadsheetSafe = false): Promise<void> {
  const columns: number[] = [];
  for (let c = Math.min(sel.c0, sel.c1); c <= Math.max(sel.c0, sel.c1); c++) columns.push(c);
  try {
    const res = await ep.request('copy', { from: Math.min(sel.r0, sel.r1), to: Math.max(sel.r0, sel.r1), columns, header, spreadsheetSafe });
    rowCount.textContent = rowsText(res.rows, S.copiedOneRow, S.copiedRows);
  } catch (err) {
    rowCount.textContent = fill(S.copyFailed, (err as Error).message);
  }
  setTimeout(renderCounts, 2000);
}

async function exportAs(format: 'csv' | 'json'): Promise<void> {
  try {
    // No timeout worth having: the user picks a file, then the host streams every row.
    const { path } = await ep.request('export', { format }, 24 * 3600_000);
    if (path) rowCount.textContent = fill(S.exportedTo, path);
  } catch (err) {
    rowCount.textContent = fill(S.exportFailed, (err as Error).message);
  }
}

// ---- scroll position ----
let scrollTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleScrollSave(scrollTop: number, scrollLeft: number): void {
  if (scrollTimer) clearTimeout(scrollTimer);
  scrollTimer = setTimeout(() => persist({ scrollTop, scrollLeft }), 200);
}

// ---- host messages ----
ep.on('state', (state) => {
  const first = !ui;
  ui = state;
  persist({ restore: state.restore, title: state.title });
  fillFilterColumns(state.view.spec.filter?.column ?? -1);
  if (state.view.spec.filter) filterText.value = state.view.spec.filter.text;
  grid.setColumns(state.columns);
  grid.setView(state.view.version, state.view.total, state.view.spec.sort);
  renderStatus(state.status);
  renderDetails(state.details, state.source);
  renderCounts();
  fillChartSelects();
  chartVersion = -1;
  if (first) showTab(saved.tab);
  // After a restart the host has a fresh view: re-apply the sort and filter this panel had.
  const want = saved.view ?? {};
  if (!restoredView && (want.sort || want.filter) && JSON.stringify(want) !== JSON.stringify(state.view.spec)) {
    restoredView = true;
    if (want.filter) {
      fillFilterColumns(want.filter.column);
      filterText.value = want.filter.text;
    }
    void applyView(want);
  }
  restoredView = true;
  if (!restoredScroll && (saved.scrollTop || saved.scrollLeft)) {
    restoredScroll = true;
    requestAnimationFrame(() => grid.scrollTo(saved.scrollTop, saved.scrollLeft));
  }
});
ep.on('status', (status) => {
  if (!ui) return;
  const wasLoading = ui.status.phase === 'loading';
  ui.status = status;
  renderStatus(status);
  renderCounts();
  if (wasLoading && status.phase !== 'loading' && !panels.chart.hidden) {
    chartVersion = -1;
    void refreshChart();
  }
});
ep.on('view', onView);
ep.on('viewProgress', ({ done, total }) => {
  if (done >= total) return;
  rowCount.textContent = fill(S.sortingFilteringPercent, Math.floor((100 * done) / Math.max(1, total)));
  showCancel(true);
});
ep.on('details', ({ details, source }) => {
  if (!ui) return;
  ui.details = details;
  ui.source = source;
  renderDetails(details, source);
});
