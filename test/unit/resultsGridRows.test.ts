// The results grid's row window (webview/results/gridRows.ts): which rows a frame draws, where a
// point falls, and how far to scroll to reveal a row, including past the browser's height cap where
// the scrollbar is scaled (10M rows × 22 px is 220M px; Chromium stops near 33.5M).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FILL_ROWS_AFTER_JUMP, FILL_ROWS_PER_FRAME, fillBudget, GridRows, ROW_H, rowsToFill } from '../../webview/results/gridRows';

test('a small result: the visible rows plus a few either side, and no scaling', () => {
  const rows = new GridRows();
  const height = rows.size(1000, 440);
  assert.equal(height, 1000 * ROW_H);
  assert.equal(rows.scale, 1);
  assert.deepEqual(rows.window(0, 440), { first: 0, last: 26 });
  assert.deepEqual(rows.window(ROW_H * 500, 440), { first: 494, last: 526 });
  assert.deepEqual(rows.window(ROW_H * 1000 - 440, 440), { first: 974, last: 999 });
  assert.equal(rows.rowAt(ROW_H * 10, 5), 10);
  assert.deepEqual(new GridRows().window(0, 440), { first: 0, last: -1 }, 'no rows, nothing drawn');
});

test('10M rows: the scroller stays under the height cap, and its end shows the last row', () => {
  const rows = new GridRows();
  const viewH = 800;
  const height = rows.size(10_000_000, viewH);
  assert.ok(height <= 15_000_000, `${height} px`);
  assert.ok(rows.scale > 14);
  const end = rows.window(height - viewH, viewH);
  assert.equal(end.last, 9_999_999);
  assert.ok(end.last - end.first < 60, 'a screenful, not more');
  // The last row's bottom sits at the bottom of the view.
  assert.equal(Math.round(rows.offset(height - viewH) + viewH), 10_000_000 * ROW_H);
  assert.equal(rows.rowAt(height - viewH, viewH - 1), 9_999_999);
});

test('revealing a row scrolls only when it is out of view, by the least amount', () => {
  const rows = new GridRows();
  const viewH = 440;
  const height = rows.size(10_000_000, viewH);
  const at = height / 2;
  const visible = rows.rowAt(at, 100);
  assert.equal(rows.scrollTopFor(visible, at, viewH), undefined);
  const below = rows.scrollTopFor(visible + 1000, at, viewH)!;
  assert.equal(rows.rowAt(below, viewH - 1), visible + 1000, 'lands on the bottom row');
  const above = rows.scrollTopFor(visible - 1000, at, viewH)!;
  assert.equal(rows.rowAt(above, 0), visible - 1000, 'lands on the top row');
  assert.equal(rows.scrollTopFor(0, at, viewH), 0);
});

test('rowsToFill: at most the budget, rows in view first (top down), then the overscan above', () => {
  const all = () => true;
  assert.deepEqual([...rowsToFill(94, 126, 100, all, 5)], [100, 101, 102, 103, 104]);
  assert.deepEqual([...rowsToFill(94, 126, 100, (i) => i < 102 || i > 124, 5)], [100, 101, 125, 126, 99]);
  assert.deepEqual([...rowsToFill(0, 10, 0, () => false, 5)], [], 'nothing needs a fill');
  assert.equal(rowsToFill(0, 60, 6, all).size, FILL_ROWS_PER_FRAME);
});

test('fillBudget: a frame whose window shares no row with the last one (a drag, a jump) fills fewer rows', () => {
  assert.ok(FILL_ROWS_AFTER_JUMP < FILL_ROWS_PER_FRAME);
  assert.equal(fillBudget({ first: 0, last: 50 }, { first: 3, last: 53 }), FILL_ROWS_PER_FRAME, 'a wheel step');
  assert.equal(fillBudget({ first: 0, last: 50 }, { first: 0, last: 50 }), FILL_ROWS_PER_FRAME, 'settled');
  assert.equal(fillBudget({ first: 0, last: 50 }, { first: 50, last: 100 }), FILL_ROWS_PER_FRAME, 'one row shared');
  assert.equal(fillBudget({ first: 0, last: 50 }, { first: 51, last: 101 }), FILL_ROWS_AFTER_JUMP, 'jumped down');
  assert.equal(fillBudget({ first: 4000, last: 4050 }, { first: 0, last: 50 }), FILL_ROWS_AFTER_JUMP, 'jumped up');
  assert.equal(fillBudget(undefined, { first: 0, last: 50 }), FILL_ROWS_AFTER_JUMP, 'the first frame');
  assert.equal(fillBudget({ first: 0, last: -1 }, { first: 0, last: 50 }), FILL_ROWS_AFTER_JUMP, 'after an empty view');
});
