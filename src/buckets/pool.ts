// Bounded concurrency without a dependency. No vscode import.

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, in input order of start.
 * `fn` should not throw (return an error value instead); if it does, the whole run rejects.
 * Stops starting new work once `signal` is aborted; results for unstarted items stay undefined.
 * `oneStartPerTurn`: at most one item starts per turn of the event loop (a timer apart), for work that runs
 * in the extension host alongside everything else: a start that sends several requests costs the host
 * milliseconds of CPU each (the SDK, VS Code's proxy wrapper of http.request), and `limit` of them started
 * together, or together as answers arrive in one I/O phase, would block the host for all of it at once.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  opts: { signal?: AbortSignal; onResult?: (result: R, item: T, index: number) => void; oneStartPerTurn?: boolean } = {},
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length);
  let next = 0;
  const width = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  // One timer per start, chained: the starts queue behind each other, each in its own turn.
  let gate = Promise.resolve();
  const turn = () => (gate = gate.then(() => new Promise<void>((done) => setTimeout(done, 0))));
  const worker = async () => {
    while (next < items.length && !opts.signal?.aborted) {
      if (opts.oneStartPerTurn) {
        await turn();
        if (next >= items.length || opts.signal?.aborted) break;
      }
      const i = next++;
      const r = await fn(items[i], i);
      results[i] = r;
      opts.onResult?.(r, items[i], i);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** Splits into chunks of at most `size` (AWS batch limits: 100 findings, 500 metric queries). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
