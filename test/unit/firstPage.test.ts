// A listing read page by page, shown from its first page (src/tree/firstPage.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFromFirstPage, type OnPage } from '../../src/tree/firstPage';

/** A listing of `pages`, each page read when the test lets it (`next()`). */
function pagedListing(pages: number[][]) {
  const waiting: (() => void)[] = [];
  const read = async (onPage: OnPage<number>) => {
    const out: number[] = [];
    for (let i = 0; i < pages.length; i++) {
      await new Promise<void>((go) => waiting.push(go));
      out.push(...pages[i]);
      if (i < pages.length - 1) onPage(out);
    }
    return out;
  };
  const next = async () => {
    while (!waiting.length) await new Promise((r) => setImmediate(r));
    waiting.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { read, next };
}

describe('readFromFirstPage', () => {
  test('first gives the items of the first page that has some while later pages are unread; all gives every item', async () => {
    const l = pagedListing([[], [1, 2], [3], [4]]);
    const r = readFromFirstPage(l.read);
    let first: number[] | undefined;
    void r.first.then((items) => (first = items));
    await l.next();
    assert.equal(first, undefined, 'an empty first page is not a first row');
    await l.next();
    assert.deepEqual(first, [1, 2]);
    assert.equal(r.done, false);
    await l.next();
    await l.next();
    assert.deepEqual(await r.all, [1, 2, 3, 4]);
    assert.equal(r.done, true);
    assert.deepEqual(first, [1, 2], 'the first items are a copy, not the listing\'s growing array');
  });

  test('a listing of one page (or only empty pages before the last) gives every item as its first', async () => {
    const l = pagedListing([[], [], [7]]);
    const r = readFromFirstPage(l.read);
    await l.next();
    await l.next();
    await l.next();
    assert.deepEqual(await r.first, [7]);
    assert.equal(r.done, true);
  });

  test('a failure before any item rejects first; after the first items, only all', async () => {
    const early = readFromFirstPage<number>(async () => { throw new Error('AccessDenied'); });
    await assert.rejects(early.first, /AccessDenied/);
    await assert.rejects(early.all, /AccessDenied/);
    const late = readFromFirstPage<number>(async (onPage) => {
      onPage([1]);
      await new Promise((r) => setImmediate(r));
      throw new Error('Throttling');
    });
    assert.deepEqual(await late.first, [1]);
    await assert.rejects(late.all, /Throttling/);
    assert.equal(late.done, true);
  });
});
