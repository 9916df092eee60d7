// Failure injection and call counting for SDK v3 clients, through their middleware stack. The fault
// middleware sits in the initialize step, before the SDK's retry middleware, so an injected error
// reaches the caller as is.
interface WithStack {
  middlewareStack: { add(mw: unknown, opts: { step: 'initialize'; name: string; override?: boolean }): void; remove(name: string): boolean };
}

let seq = 0;

export interface Fault {
  /** Calls of the matched command seen so far. */
  readonly calls: number;
  readonly failed: number;
  remove(): void;
}

/**
 * Makes the `nth` (1-based) and following `times - 1` calls of a command fail. Command names are the
 * SDK's (`PutObjectCommand`); DocumentClient commands may be seen under their low-level name
 * (`PutItemCommand`), so `commands` takes several.
 */
export function injectFault(client: WithStack, commands: string[], opts: { nth?: number; times?: number; error?: () => Error; when?: (input: Record<string, unknown>) => boolean } = {}): Fault {
  const name = `fault-${++seq}`;
  const nth = opts.nth ?? 1;
  const times = opts.times ?? 1;
  const state = { calls: 0, failed: 0 };
  const make = opts.error ?? (() => Object.assign(new Error('injected failure'), { name: 'InternalError', $fault: 'server' }));
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
      if (context.commandName && commands.includes(context.commandName) && (!opts.when || opts.when(args.input))) {
        state.calls++;
        if (state.calls >= nth && state.calls < nth + times) {
          state.failed++;
          throw make();
        }
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    get calls() { return state.calls; },
    get failed() { return state.failed; },
    remove: () => void client.middlewareStack.remove(name),
  };
}

/** Counts every call by command name (for billable-request figures). */
export function countCalls(client: WithStack, into: Map<string, number>): () => void {
  const name = `count-${++seq}`;
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const c = context.commandName ?? '?';
      into.set(c, (into.get(c) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => void client.middlewareStack.remove(name);
}
