// The results webview bundle in headless Chromium (no VS Code): a test page with the extension's
// strict CSP and a stubbed acquireVsCodeApi, wired to the real host-side ResultsBinding and ResultSet.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { ResultsBinding, type ResultsContent } from '../../src/webview/results/binding';
import type { Cell, ResultsSpec } from '../../src/webview/results/protocol';
import { ResultSet } from '../../src/webview/results/resultSet';
import { openWebviewPage, ROOT, type WebviewPage } from '../helpers/webviewPage';

const XSS = '<img src=x onerror="document.body.dataset.pwned=1">';
const columns = [
  { name: 'at', kind: 'timestamp' as const, type: 'timestamp' },
  { name: 'app', kind: 'text' as const, type: 'varchar' },
  { name: 'errors', kind: 'number' as const, type: 'bigint' },
  { name: 'note', kind: 'text' as const, type: 'varchar' },
];

function makeRows(n: number): Cell[][] {
  const rows: Cell[][] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace('T', ' ').replace('Z', '');
    rows.push([at, `app-${i % 5}`, String((i * 7) % 100), i === 0 ? XSS : i === 1 ? null : i === 2 ? '' : `note ${i}`]);
  }
  return rows;
}

let wv: WebviewPage<ResultsSpec>;
let rs: ResultSet;
const clipboard: string[] = [];
let binding: ResultsBinding | undefined;

function content(): ResultsContent {
  return { title: 'errors.sql', resultSet: rs, query: 'SELECT at, app, errors, note FROM events', restore: { kind: 'test', data: { id: 1 } } };
}

async function cellTexts(page: Page, row: number): Promise<string[]> {
  // The row element whose gutter shows row+1; its visible cells, left to right.
  return page.evaluate((r) => {
    const row = [...document.querySelectorAll<HTMLElement>('.r')].find((e) => !e.hidden && e.querySelector('.g')?.textContent === String(r + 1));
    if (!row) return [];
    return [...row.querySelectorAll<HTMLElement>('.c')]
      .filter((c) => !c.hidden)
      .sort((a, b) => a.getBoundingClientRect().left - b.getBoundingClientRect().left)
      .map((c) => c.textContent ?? '');
  }, row);
}

async function waitRowsShown(page: Page): Promise<void> {
  await page.waitForFunction(() => [...document.querySelectorAll('.r')].some((r) => !(r as HTMLElement).hidden && !r.classList.contains('loading') && r.querySelector('.c')));
}

before(async () => {
  mkdirSync(`${ROOT}/test-results`, { recursive: true });
  rs = new ResultSet(columns);
  rs.appendRows(makeRows(5000));
  rs.setDetails([{ label: 'State', value: 'SUCCEEDED' }, { label: 'Cost', value: '$0.0000477', tone: 'warning' }], 'S3 (CSV stream)');
  await rs.finish();
  wv = await openWebviewPage<ResultsSpec>({
    bundle: 'results',
    onHostEndpoint: (ep) => {
      binding?.dispose();
      binding = new ResultsBinding(ep, {
        writeClipboard: async (t) => { clipboard.push(t); },
        exportToFile: async () => ({}),
      }, content());
    },
  });
  await waitRowsShown(wv.page);
});

after(async () => {
  await wv?.close();
  assert.deepEqual(wv.violations, [], 'no CSP violation in any document of the session (each reload is a new document)');
});

test('rows render; NULL differs from the empty string; AWS strings are text, never HTML; numbers right-aligned', async () => {
  const { page } = wv;
  assert.deepEqual((await cellTexts(page, 0)).slice(1), ['app-0', '0', XSS]);
  assert.deepEqual((await cellTexts(page, 1)).slice(3), ['NULL']);
  assert.deepEqual((await cellTexts(page, 2)).slice(3), ['']);
  const classes = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.c')].filter((c) => c.textContent === 'NULL').map((c) => c.className));
  assert.ok(classes.length && classes.every((c) => c.includes('null')), 'NULL cells are styled apart');
  assert.equal(await page.locator('img').count(), 0, 'no <img> from cell text');
  assert.equal(await page.evaluate(() => document.body.dataset.pwned), undefined);
  const align = await page.evaluate(() => {
    const num = [...document.querySelectorAll<HTMLElement>('.c.num')][0];
    const text = [...document.querySelectorAll<HTMLElement>('.c:not(.num)')][0];
    return [getComputedStyle(num).textAlign, getComputedStyle(text).textAlign];
  });
  assert.deepEqual(align, ['right', 'start']);
  assert.equal(await page.locator('.h').first().textContent(), 'at');
  assert.match(await page.locator('.status').first().textContent() ?? '', /5,000 rows/);
});

test('clicking a header sorts on the host; again reverses', async () => {
  const { page } = wv;
  const header = page.locator('.h', { hasText: 'errors' });
  await header.click();
  await page.waitForFunction(() => document.body.textContent?.includes('sorted by errors ▲'));
  await waitRowsShown(page);
  assert.equal((await cellTexts(page, 0))[2], '0');
  await header.click();
  await page.waitForFunction(() => document.body.textContent?.includes('sorted by errors ▼'));
  await page.waitForFunction(() => [...document.querySelectorAll('.c.num')].some((c) => c.textContent === '99'));
  assert.equal((await cellTexts(page, 0))[2], '99');
  assert.deepEqual(rs.viewInfo().spec.sort, { column: 2, descending: true });
  await header.click(); // third click: unsorted
  await page.waitForFunction(() => !document.body.textContent?.includes('sorted by'));
});

test('the filter box filters on the host', async () => {
  const { page } = wv;
  await page.locator('vscode-textfield').click();
  await page.keyboard.type('app-3');
  await page.waitForFunction(() => document.body.textContent?.includes('1,000 rows · filtered from 5,000'));
  await waitRowsShown(page);
  assert.equal((await cellTexts(page, 0))[1], 'app-3');
  await page.locator('vscode-textfield').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.body.textContent?.includes('5,000 rows') && !document.body.textContent?.includes('filtered'));
});

test('copy a cell, then a range with Shift+click, through the host clipboard', async () => {
  const { page } = wv;
  await waitRowsShown(page);
  const cell = page.locator('.c', { hasText: /^app-1$/ }).first();
  await cell.click();
  await page.keyboard.press('Control+C');
  await page.waitForFunction(() => document.body.textContent?.includes('Copied 1 row.'));
  assert.equal(clipboard.at(-1), 'app-1');
  const other = page.locator('.c', { hasText: /^note 3$/ }).first();
  await other.click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+C');
  await page.waitForFunction(() => document.body.textContent?.includes('Copied 3 rows.'));
  assert.equal(clipboard.at(-1), 'app-1\t7\t\napp-2\t14\t\napp-3\t21\tnote 3');
});

test('chart tab: errors over time, one line per app (picked from the column kinds), drawn by uPlot', async () => {
  const { page } = wv;
  await page.locator('vscode-tab-header', { hasText: 'Chart' }).click();
  await page.waitForSelector('.chart canvas');
  await page.waitForFunction(() => document.body.textContent?.includes('5,000 points'));
  const legend = await page.locator('.u-legend').textContent();
  for (let a = 0; a < 5; a++) assert.match(legend ?? '', new RegExp(`app-${a}`));
  const painted = await page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.chart canvas')!;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  assert.ok(painted > 1000, `canvas has drawing (${painted} px)`);
  await page.screenshot({ path: `${ROOT}/test-results/results-webview-chart.png` });
});

test('stats tab: details, source and query as text', async () => {
  const { page } = wv;
  await page.locator('vscode-tab-header', { hasText: 'Stats' }).click();
  const stats = page.locator('.stats');
  await stats.waitFor();
  const text = await stats.textContent();
  assert.match(text ?? '', /StateSUCCEEDED/);
  assert.match(text ?? '', /Rows read viaS3 \(CSV stream\)/);
  assert.equal(await stats.locator('pre').textContent(), 'SELECT at, app, errors, note FROM events');
  assert.equal(await stats.locator('dd.warning').textContent(), '$0.0000477');
  await page.screenshot({ path: `${ROOT}/test-results/results-webview-stats.png` });
});

test('state survives a reload (hide/show): tab, sort and scroll come back', async () => {
  const { page } = wv;
  await page.locator('vscode-tab-header', { hasText: 'Results' }).click();
  await page.locator('.h', { hasText: 'app' }).click();
  await page.waitForFunction(() => document.body.textContent?.includes('sorted by app ▲'));
  await page.locator('.grid').evaluate((g) => { g.scrollTop = 22 * 1000; });
  await page.waitForTimeout(400);
  const saved = await wv.state() as { tab: string; scrollTop: number; view: unknown; restore: unknown };
  assert.equal(saved.tab, 'grid');
  assert.ok(saved.scrollTop > 20_000);
  assert.deepEqual(saved.view, { sort: { column: 1, descending: false } });
  assert.deepEqual(saved.restore, { kind: 'test', data: { id: 1 } });
  // A restart: the host starts over with an unsorted view; the webview re-applies its sort.
  binding!.dispose();
  await rs.setView({});
  await wv.reload();
  await page.waitForFunction(() => document.body.textContent?.includes('sorted by app ▲'));
  await page.waitForFunction(() => (document.querySelector('.grid') as HTMLElement).scrollTop > 20_000);
  await waitRowsShown(page);
  assert.deepEqual(rs.viewInfo().spec.sort, { column: 1, descending: false });
});

/** Scrolls the grid to `top` (or by `by`) and, until it settles, records which rows had cell text written, per frame. */
async function scrollAndWatch(page: Page, move: { top?: number; by?: number }): Promise<{ perFrame: number[]; rows: number }> {
  return page.evaluate(async ({ top, by }) => {
    const grid = document.querySelector<HTMLElement>('.grid')!;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const perFrame: number[] = [];
    const all = new Set<Element>();
    const observer = new MutationObserver((records) => {
      const rows = new Set<Element>();
      for (const r of records) {
        const row = r.target.parentElement?.closest('.c')?.closest('.r');
        if (row) rows.add(row);
      }
      if (rows.size) perFrame.push(rows.size);
      for (const row of rows) all.add(row);
    });
    observer.observe(grid, { subtree: true, characterData: true });
    if (top !== undefined) grid.scrollTop = top;
    else grid.scrollTop += by!;
    // Settled: no row waiting for its data, and five frames without a write.
    let quiet = 0;
    let seen = -1;
    const t0 = performance.now();
    while (quiet < 5 && performance.now() - t0 < 10_000) {
      await frame();
      const writes = perFrame.length;
      quiet = writes === seen && !grid.querySelector('.r.loading:not([hidden])') ? quiet + 1 : 0;
      seen = writes;
    }
    observer.disconnect();
    return { perFrame, rows: all.size };
  }, move);
}

test('grid frames: a scroll of 3 rows writes only the 3 rows that came into view; a jump fills at most 12 rows a frame, with the right rows', async () => {
  const { page } = wv;
  await page.locator('vscode-tab-header', { hasText: 'Results' }).click();
  await scrollAndWatch(page, { top: 22 * 2000 });
  const small = await scrollAndWatch(page, { by: 3 * 22 });
  assert.ok(small.rows >= 3 && small.rows <= 4, `rows rewritten by a 3-row scroll: ${small.rows} (${small.perFrame.join(' ')})`);
  const jump = await scrollAndWatch(page, { top: 22 * 4000 });
  assert.ok(jump.rows > 12, `a jump rewrites the whole window (${jump.rows} rows)`);
  assert.ok(Math.max(...jump.perFrame) <= 12, `rows filled per frame after a jump: ${jump.perFrame.join(' ')}`);
  // Row elements are reused by slot: each shows its own row's data.
  const shown = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.r')].filter((r) => !r.hidden).map((r) => Number(r.querySelector('.g')?.textContent) - 1));
  for (const index of [Math.min(...shown), Math.max(...shown)]) {
    const expected = rs.getRows(index, 1)[0].map((v) => v ?? 'NULL');
    assert.deepEqual(await cellTexts(page, index), expected, `row ${index + 1}`);
  }
});

test('rows streaming in show progress, and the grid grows', async () => {
  const { page } = wv;
  const live = new ResultSet(columns);
  binding!.setContent({ title: 'live', resultSet: live });
  await page.waitForFunction(() => document.body.textContent?.includes('Loading… 0 rows'));
  live.appendRows(makeRows(300));
  await page.waitForFunction(() => document.body.textContent?.includes('Loading… 300 rows'));
  live.appendRows(makeRows(300));
  await live.finish();
  await page.waitForFunction(() => document.body.textContent?.includes('600 rows'));
  await page.locator('.grid').evaluate((g) => { g.scrollTop = g.scrollHeight; });
  await page.waitForFunction(() => [...document.querySelectorAll('.r')].some((r) => !(r as HTMLElement).hidden && r.querySelector('.g')?.textContent === '600'));
});

test('one row is "1 row" in both status lines (the load\'s and the view\'s) and while loading, never "1 rows"', async () => {
  const { page } = wv;
  const one = new ResultSet(columns);
  binding!.setContent({ title: 'one', resultSet: one });
  await page.waitForFunction(() => document.body.textContent?.includes('Loading… 0 rows'));
  one.appendRows(makeRows(1));
  await page.waitForFunction(() => document.body.textContent?.includes('Loading… 1 row'));
  assert.ok(!(await page.locator('body').textContent())?.includes('1 rows'), 'no "1 rows" while loading');
  await one.finish();
  await page.waitForFunction(() => [...document.querySelectorAll('.status')].every((e) => !e.textContent?.includes('Loading')));
  const lines = await page.locator('.status').allTextContents();
  assert.deepEqual(lines.filter((t) => /\brows?\b/.test(t)).map((t) => t.trim()), ['1 row', '1 row'], lines.join(' | '));
});

test('no CSP violations in any document so far (before and after the reload), and no page errors', async () => {
  await wv.page.screenshot({ path: `${ROOT}/test-results/results-webview-grid.png` });
  assert.deepEqual(await wv.violationsSoFar(), []);
  assert.deepEqual(wv.errors, []);
});
