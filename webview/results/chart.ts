// The chart tab: uPlot over series the host computed (the webview never holds every row).
// The chart type is picked from the column kinds (time × number → line, category × number → bar,
// number × number → scatter) and can be changed.
import uPlot from 'uplot';
import type { ChartData, ChartType, ResultColumn } from '../../src/webview/results/protocol';

export interface ChartChoice { type: ChartType; x: number; ys: number[]; splitBy?: number }

/** The default chart for a set of columns, or undefined when nothing numeric can be plotted. */
export function defaultChart(columns: ResultColumn[]): ChartChoice | undefined {
  const numeric = columns.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === 'number');
  const time = columns.findIndex((c) => c.kind === 'timestamp' || c.kind === 'date');
  const category = columns.findIndex((c) => c.kind === 'text' || c.kind === 'boolean');
  // Time × number with a category beside it (errors per app per hour): one line per category.
  if (time >= 0 && numeric.length && category >= 0) return { type: 'line', x: time, ys: [numeric[0].i], splitBy: category };
  if (time >= 0 && numeric.length) return { type: 'line', x: time, ys: numeric.slice(0, 3).map((n) => n.i) };
  if (category >= 0 && numeric.length) return { type: 'bar', x: category, ys: numeric.slice(0, 1).map((n) => n.i) };
  if (numeric.length >= 2) return { type: 'scatter', x: numeric[0].i, ys: [numeric[1].i] };
  return undefined;
}

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

function themeColor(i: number): string {
  const v = getComputedStyle(document.body).getPropertyValue(PALETTE[i % PALETTE.length]).trim();
  return v || FALLBACK[i % FALLBACK.length];
}

function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
}

export class Chart {
  private plot?: uPlot;
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(private readonly container: HTMLElement) {
    this.resize.observe(container);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(200, this.container.clientWidth - 16), height: Math.max(160, this.container.clientHeight - 70) };
  }

  private fit(): void {
    if (this.plot) this.plot.setSize(this.size());
  }

  render(data: ChartData, choice: ChartChoice, columns: ResultColumn[]): void {
    this.plot?.destroy();
    this.plot = undefined;
    const fg = getComputedStyle(document.body).getPropertyValue('--vscode-foreground').trim() || '#ccc';
    const grid = getComputedStyle(document.body).getPropertyValue('--vscode-editorWidget-border').trim() || 'rgba(128,128,128,0.2)';
    const categories = data.categories;
    const series: uPlot.Series[] = [{ label: columns[choice.x]?.name ?? 'x' }];
    const labels = data.series ?? choice.ys.map((y, i) => columns[y]?.name ?? `y${i}`);
    labels.forEach((label, i) => {
      const stroke = themeColor(i);
      const s: uPlot.Series = { label, stroke, width: 1.5, spanGaps: data.series !== undefined };
      if (choice.type === 'bar') {
        s.paths = uPlot.paths.bars!({ size: [0.8 / Math.max(1, labels.length), 64], align: 0 });
        s.fill = withAlpha(stroke, 0.6);
        s.points = { show: false };
      } else if (choice.type === 'area') {
        s.fill = withAlpha(stroke, 0.25);
        s.points = { show: false };
      } else if (choice.type === 'scatter') {
        s.paths = () => null;
        s.points = { show: true, size: 3, fill: stroke, stroke };
      } else {
        s.points = { show: false };
      }
      series.push(s);
    });
    const axis = (): uPlot.Axis => ({ stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } });
    const xAxis = axis();
    if (categories) {
      xAxis.values = (_u, splits) => splits.map((v) => (Number.isInteger(v) ? categories[v] ?? '' : ''));
      xAxis.splits = () => categories.map((_, i) => i).filter((i) => categories.length <= 30 || i % Math.ceil(categories.length / 30) === 0);
    }
    const opts: uPlot.Options = {
      ...this.size(),
      series,
      scales: {
        x: data.xKind === 'time' ? { time: true } : categories ? { time: false, range: () => [-0.5, Math.max(0.5, categories.length - 0.5)] } : { time: false },
      },
      axes: [xAxis, axis()],
      // Athena writes timestamps in UTC; show them so, not in the viewer's zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
    };
    const aligned: uPlot.AlignedData = [data.x, ...data.ys] as uPlot.AlignedData;
    this.plot = new uPlot(opts, aligned, this.container);
  }

  clear(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }

  dispose(): void {
    this.clear();
    this.resize.disconnect();
  }
}
