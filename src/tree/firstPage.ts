// A listing read page by page (DescribeStacks, say), shown from its first page: the view draws what the first
// pages brought while the rest is read, then redraws with every item. No vscode import.

/** Called by a listing after each page that more pages follow, with every item so far. */
export type OnPage<T> = (soFar: readonly T[]) => void;

export interface PagedRead<T> {
  /** Every item so far once a page brought some and more pages follow; every item if the listing ends first. */
  first: Promise<T[]>;
  /** Every item, once the last page is read. */
  all: Promise<T[]>;
  /** Whether the last page is read (or the read failed). */
  readonly done: boolean;
}

export function readFromFirstPage<T>(read: (onPage: OnPage<T>) => Promise<T[]>): PagedRead<T> {
  let early: ((items: T[]) => void) | undefined;
  const first = new Promise<T[]>((resolve) => (early = resolve));
  const state = { done: false };
  const all = read((soFar) => {
    if (soFar.length) early?.([...soFar]);
  });
  const finished = all.then(
    (items) => { state.done = true; return items; },
    (err: unknown) => { state.done = true; throw err; },
  );
  return {
    // The first page with items wins; a listing that ends (or fails) before one did gives its result.
    first: Promise.race([first, finished]),
    all: finished,
    get done() { return state.done; },
  };
}
