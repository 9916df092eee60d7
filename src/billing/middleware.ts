// The middleware the client factory puts on every SDK client it makes: each call goes into the billing
// ledger with its feature, profile, account, region, operation, billable quantity and list price. Quantities
// known only afterwards are taken from the answer: Athena's DataScannedInBytes (the query's final
// GetQueryExecution), Logs Insights' statistics.bytesScanned (the final GetQueryResults). Live Tail minutes
// come from the session's own start and stop (liveTailLine, fed by src/logs onLiveTailSession, the idle stop
// included); StartLiveTail itself is recorded as the call that opened it. A budget gate runs before the call
// is sent. No vscode import.
import { queryCost, TB, type QueryOutcome, type StatementType } from '../athena/cost';
import type { BillingLedger } from './ledger';
import { gateKind, isFifoQueue, priceOf, quantityBefore, SERVICE_OF_CLIENT, type PriceUnit, type PriceWhen } from './prices';
import { markFailedCall } from '../aws/errors';

/** Set on the call's middleware context while the ledger has it: the contract recorder reads it. */
export const LEDGER_MARK = Symbol.for('cloudMonitor.ledger');
const SCOPE = Symbol.for('cloudMonitor.ledger.scope');

export interface CallScope {
  feature: string;
  profile: string;
  region: string;
  /** The account id, once the connection knows it. */
  account(): string;
}

/** What the budget gate is told before a call is sent. It throws to stop the call. */
export interface PendingCall {
  key: string;
  feature: string;
  /** The price known now (0 for 'after' and 'free'). */
  usd: number;
  when: PriceWhen;
}

export interface BillingSink {
  ledger: BillingLedger;
  gate?(call: PendingCall): Promise<void>;
}

interface Stack { add(mw: unknown, opts: { step: string; name: string; priority?: string; override?: boolean }): void }
type Next = (args: { input?: unknown }) => Promise<{ output?: unknown }>;
type Context = { clientName?: string; commandName?: string; [k: symbol]: unknown };
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' ? (v as Obj) : undefined);

const GB = 1024 ** 3;
const ATHENA_FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const INSIGHTS_FINAL = new Set(['Complete', 'Failed', 'Cancelled', 'Timeout']);

/** One call's ledger facts: quantity and dollars, before and after the answer. */
export function priceCall(key: string, region: string, input: unknown, output: unknown, attempts: number, firstTime: (id: string) => boolean): { q: number; usd: number; unit: PriceUnit; priced: boolean } {
  const price = priceOf(key, region);
  if (!price) return { q: attempts, usd: 0, unit: 'request', priced: false };
  const { entry } = price;
  let unitUsd = price.usdPerUnit;
  if (key.startsWith('sqs:') && isFifoQueue(input)) unitUsd = 0.5 / 1_000_000;
  const out = obj(output);
  if (entry.when === 'free') return { q: 0, usd: 0, unit: 'free', priced: true };
  if (key === 'athena:GetQueryExecution') {
    const qe = obj(out?.QueryExecution);
    const state = obj(qe?.Status)?.State as string | undefined;
    const id = qe?.QueryExecutionId as string | undefined;
    if (!state || !ATHENA_FINAL.has(state) || !id || !firstTime(`athena:${id}`)) return { q: 0, usd: 0, unit: entry.unit, priced: true };
    const scanned = Number(obj(qe?.Statistics)?.DataScannedInBytes ?? 0);
    const cost = queryCost(scanned, state as QueryOutcome, (qe?.StatementType as StatementType | undefined) ?? 'DML', unitUsd);
    return { q: cost.billedBytes / TB, usd: cost.usd, unit: entry.unit, priced: true };
  }
  if (key === 'logs:GetQueryResults') {
    const id = obj(input)?.queryId as string | undefined;
    if (!INSIGHTS_FINAL.has(out?.status as string) || !id || !firstTime(`logs:${id}`)) return { q: 0, usd: 0, unit: entry.unit, priced: true };
    const gb = Number(obj(out?.statistics)?.bytesScanned ?? 0) / GB;
    return { q: gb, usd: gb * unitUsd, unit: entry.unit, priced: true };
  }
  let q = quantityBefore(key, input);
  if (entry.unit === 'request') q *= Math.max(1, attempts);
  if (entry.unit === 'read unit') {
    const consumed = Number(obj(out?.ConsumedCapacity)?.CapacityUnits);
    if (Number.isFinite(consumed) && consumed > 0) q = consumed;
  }
  return { q, usd: q * unitUsd, unit: entry.unit, priced: true };
}

/** The price of a call known before it is sent, for the budget gate. */
export function priceBefore(key: string, region: string, input: unknown): PendingCall['usd'] {
  const price = priceOf(key, region);
  if (!price || price.entry.when !== 'advance') return 0;
  const unitUsd = key.startsWith('sqs:') && isFifoQueue(input) ? 0.5 / 1_000_000 : price.usdPerUnit;
  return quantityBefore(key, input) * unitUsd;
}

/** 'service:Operation' of a call in flight. */
export function callKey(context: Context): string {
  const service = SERVICE_OF_CLIENT[context.clientName ?? ''] ?? context.clientName ?? '?';
  return `${service}:${(context.commandName ?? '?').replace(/Command$/, '')}`;
}

/** Adds the ledger middleware to a client (once). */
export function addLedger(client: { middlewareStack: Stack }, scope: CallScope, sink: BillingSink): void {
  const stack = client.middlewareStack as Stack & { [SCOPE]?: { scope: CallScope; sink: BillingSink } };
  if (stack[SCOPE]) return;
  stack[SCOPE] = { scope, sink };
  stack.add((next: Next, context: Context) => async (args: { input?: unknown }) => {
    context[LEDGER_MARK] = scope.feature;
    const key = callKey(context);
    const price = priceOf(key, scope.region);
    await sink.gate?.({ key, feature: scope.feature, usd: priceBefore(key, scope.region, args.input), when: gateKind(key) });
    const base = { feature: scope.feature, profile: scope.profile, account: scope.account(), region: scope.region, service: key.split(':')[0], op: key.split(':')[1] };
    const first = (id: string) => sink.ledger.firstTime(id);
    let result: { output?: unknown };
    try {
      result = await next(args);
    } catch (err) {
      const attempts = Number(obj(obj(err)?.$metadata)?.attempts ?? 1);
      sink.ledger.record({ ...base, ...priceCall(key, scope.region, args.input, undefined, attempts, first), ok: false });
      // Which call failed, for a message when the answer could not be read (src/aws/errors.ts).
      markFailedCall(err, { service: base.service, op: base.op, account: base.account || undefined });
      throw err;
    }
    if (key === 'logs:StartLiveTail') {
      // The call that opens a session: its minutes are recorded when the session ends (liveTailLine).
      sink.ledger.record({ ...base, q: 0, unit: 'minute', usd: 0, priced: !!price, ok: true });
      return result;
    }
    const attempts = Number(obj(obj(result.output)?.$metadata)?.attempts ?? 1);
    sink.ledger.record({ ...base, ...priceCall(key, scope.region, args.input, result.output, attempts, first), ok: true });
    return result;
  }, { step: 'initialize', name: 'cloudMonitorLedger', priority: 'high', override: true });
}

/** The ledger scope of a client made by the factory, for a client derived from it (Live Tail without the host prefix). */
export function copyLedger(from: { middlewareStack: unknown }, to: { middlewareStack: unknown }): void {
  const own = (from.middlewareStack as { [SCOPE]?: { scope: CallScope; sink: BillingSink } })[SCOPE];
  if (own) addLedger(to as { middlewareStack: Stack }, own.scope, own.sink);
}

/** What onLiveTailSession reports of an ended session (src/logs/tail/liveTailSessions.ts), as billing needs it. */
export interface LiveTailSession {
  billedMinutes: number;
  profile?: string;
  region?: string;
}

/**
 * A Live Tail session's billed minutes as a ledger line, from the session's own start and stop (an idle
 * stop too): `calls: 0`, since the StartLiveTail call that opened it is already in the ledger.
 */
export function liveTailLine(session: LiveTailSession, account: string): Parameters<BillingLedger['record']>[0] {
  const region = session.region ?? '';
  const price = priceOf('logs:StartLiveTail', region);
  const q = session.billedMinutes;
  return { feature: 'logs', profile: session.profile ?? '', account, region, service: 'logs', op: 'StartLiveTail', q, unit: 'minute', usd: q * (price?.usdPerUnit ?? 0), priced: !!price, ok: true, calls: 0 };
}
