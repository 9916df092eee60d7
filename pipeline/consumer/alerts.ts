// Alert rules and their debounce, as data: which alerts a run raises or clears, which conditional
// write each needs on the alert-state table, and the SNS message. Pure: the handler does the I/O.
//
// Debounce: an alert key (appId, alertType) notifies only by winning a conditional write
// ("no notification in the last debounceMs"), so however many consumers race, at most one SNS message
// per key goes out per window. Losers count themselves in `suppressed`, reported by the next
// notification. Recoveries (state back to OK) go through the same gate.
import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ConsumerConfig } from './config';
import { errorRateEstimate, type AlertMirror, type AlertState, type AlertType, type AppStatus, type RunSummary } from './status';

export type Severity = 'FATAL' | 'ERROR' | 'INFO';

export interface AlertEvaluation {
  appId: string;
  alertType: AlertType;
  kind: 'raise' | 'clear';
  severity: Severity;
  summary: string;
}

export type AlertOp = 'claimRaise' | 'suppressRaise' | 'claimClear' | 'markClear' | 'skip';

/** The item in the alert-state table, as the consumer reads it back. */
export interface AlertItem {
  alertKey: string;
  appId?: string;
  alertType?: AlertType;
  state?: AlertState;
  severity?: Severity;
  summary?: string;
  notifiedAt?: number;
  notifiedState?: AlertState;
  suppressed?: number;
  occurrences?: number;
  claimToken?: string;
}

type AlertConfig = Pick<ConsumerConfig, 'errorAlerts' | 'errorRateThreshold' | 'errorWindowMs' | 'debounceMs'>;

export const alertKey = (appId: string, type: AlertType) => `${appId}#${type}`;

const inAlarm = (m: AlertMirror | undefined) => !!m && (m.state === 'ALARM' || m.notifiedState === 'ALARM');

/** The rules. `next` is the status row after the run, `summary` the run's new events. */
export function evaluateAlerts(next: AppStatus, summary: RunSummary, now: number, cfg: AlertConfig): AlertEvaluation[] {
  const out: AlertEvaluation[] = [];
  const appId = next.appId;
  if (cfg.errorAlerts && summary.errors > 0) {
    const level = summary.fatal > 0 ? 'FATAL' : 'ERROR';
    const last = summary.lastError;
    out.push({ appId, alertType: 'error', kind: 'raise', severity: level, summary: `${summary.errors} error event(s)${last ? `; latest ${last.level} at ${last.time}: ${last.message}` : ''}` });
  } else if (inAlarm(next.alerts.error) && now - (next.lastErrorSeenAt ?? 0) >= cfg.errorWindowMs) {
    out.push({ appId, alertType: 'error', kind: 'clear', severity: 'INFO', summary: `no error events for ${Math.round(cfg.errorWindowMs / 60_000)} min` });
  }
  const rate = errorRateEstimate(next, now, cfg.errorWindowMs);
  const minutes = Math.round(cfg.errorWindowMs / 60_000);
  if (cfg.errorRateThreshold > 0 && rate > cfg.errorRateThreshold) {
    out.push({ appId, alertType: 'errorRate', kind: 'raise', severity: 'ERROR', summary: `about ${Math.round(rate)} errors in ${minutes} min (threshold ${cfg.errorRateThreshold})` });
  } else if (inAlarm(next.alerts.errorRate) && (cfg.errorRateThreshold === 0 || rate <= cfg.errorRateThreshold)) {
    out.push({ appId, alertType: 'errorRate', kind: 'clear', severity: 'INFO', summary: `about ${Math.round(rate)} errors in ${minutes} min (threshold ${cfg.errorRateThreshold})` });
  }
  return out;
}

/**
 * Which write an evaluation needs. The mirror in the status row lets a raise skip the claim attempt it
 * knows would lose (a notification went out within the window): the mirror only ever records
 * notifications that really went out, and notifiedAt only moves forward.
 */
export function planAlertOp(ev: AlertEvaluation, mirror: AlertMirror | undefined, now: number, debounceMs: number): AlertOp {
  const recent = mirror?.notifiedAt !== undefined && mirror.notifiedAt > now - debounceMs;
  if (ev.kind === 'raise') return recent ? 'suppressRaise' : 'claimRaise';
  if (mirror?.notifiedState === 'ALARM' && !recent) return 'claimClear';
  if (mirror?.state === 'ALARM') return 'markClear';
  return 'skip';
}

/** The mirror after an operation, from the item the write returned (undefined: nothing left to track). */
export function mirrorAfter(op: AlertOp, won: boolean, item: AlertItem | undefined, now: number): AlertMirror | undefined {
  if (op === 'claimRaise' && won) return { state: 'ALARM', notifiedState: 'ALARM', notifiedAt: now };
  if (op === 'claimClear' && won) return undefined;
  if (!item) return undefined;
  const m: AlertMirror = { state: item.state ?? 'OK', notifiedState: item.notifiedState, notifiedAt: item.notifiedAt };
  return m.state === 'OK' && m.notifiedState !== 'ALARM' ? undefined : m;
}

interface WriteCtx { table: string; now: number; debounceMs: number; ttlDays: number; token: string }

const common = (ev: AlertEvaluation, c: WriteCtx) => ({
  TableName: c.table,
  Key: { alertKey: alertKey(ev.appId, ev.alertType) },
  ExpressionAttributeNames: { '#state': 'state' } as Record<string, string>,
});
const expiresAt = (c: WriteCtx) => Math.floor(c.now / 1000) + c.ttlDays * 86_400;

/** Win the right to notify a raise: nobody notified this key within the window. */
export function claimRaiseInput(ev: AlertEvaluation, c: WriteCtx): UpdateCommandInput {
  return {
    ...common(ev, c),
    UpdateExpression:
      'SET appId = :app, alertType = :type, #state = :alarm, severity = :sev, summary = :sum, lastRaisedAt = :now, updatedAt = :now, ' +
      'notifiedAt = :now, notifiedState = :alarm, suppressed = :zero, claimToken = :token, expiresAt = :exp ADD occurrences :one',
    ConditionExpression: 'attribute_not_exists(notifiedAt) OR notifiedAt <= :cutoff',
    ExpressionAttributeValues: {
      ':app': ev.appId, ':type': ev.alertType, ':alarm': 'ALARM', ':sev': ev.severity, ':sum': ev.summary, ':now': c.now,
      ':zero': 0, ':one': 1, ':token': c.token, ':exp': expiresAt(c), ':cutoff': c.now - c.debounceMs,
    },
    ReturnValues: 'ALL_OLD',
  };
}

/** A raise within the window: record it and count it as suppressed. */
export function suppressRaiseInput(ev: AlertEvaluation, c: WriteCtx): UpdateCommandInput {
  return {
    ...common(ev, c),
    UpdateExpression: 'SET appId = :app, alertType = :type, #state = :alarm, severity = :sev, summary = :sum, lastRaisedAt = :now, updatedAt = :now, expiresAt = :exp ADD suppressed :one, occurrences :one',
    ExpressionAttributeValues: { ':app': ev.appId, ':type': ev.alertType, ':alarm': 'ALARM', ':sev': ev.severity, ':sum': ev.summary, ':now': c.now, ':one': 1, ':exp': expiresAt(c) },
    ReturnValues: 'ALL_NEW',
  };
}

/** Win the right to notify a recovery: subscribers were told ALARM, and not within the window. */
export function claimClearInput(ev: AlertEvaluation, c: WriteCtx): UpdateCommandInput {
  return {
    ...common(ev, c),
    UpdateExpression: 'SET #state = :ok, summary = :sum, updatedAt = :now, notifiedAt = :now, notifiedState = :ok, suppressed = :zero, claimToken = :token, expiresAt = :exp',
    ConditionExpression: 'notifiedState = :alarm AND notifiedAt <= :cutoff',
    ExpressionAttributeValues: { ':ok': 'OK', ':alarm': 'ALARM', ':sum': ev.summary, ':now': c.now, ':zero': 0, ':token': c.token, ':exp': expiresAt(c), ':cutoff': c.now - c.debounceMs },
    ReturnValues: 'ALL_OLD',
  };
}

/** The condition cleared but the recovery cannot be notified yet: state OK, notification pending. */
export function markClearInput(ev: AlertEvaluation, c: WriteCtx): UpdateCommandInput {
  return {
    ...common(ev, c),
    UpdateExpression: 'SET #state = :ok, summary = :sum, updatedAt = :now, expiresAt = :exp',
    ConditionExpression: 'attribute_exists(alertKey)',
    ExpressionAttributeValues: { ':ok': 'OK', ':sum': ev.summary, ':now': c.now, ':exp': expiresAt(c) },
    ReturnValues: 'ALL_NEW',
  };
}

/** Undo a won claim whose SNS publish failed, so the retry can notify. Only our own claim is undone. */
export function revertClaimInput(ev: AlertEvaluation, old: AlertItem | undefined, c: WriteCtx): UpdateCommandInput {
  const values: Record<string, unknown> = { ':token': c.token, ':supp': old?.suppressed ?? 0, ':state': old?.state ?? (ev.kind === 'raise' ? 'ALARM' : 'OK') };
  const set = ['suppressed = :supp', '#state = :state'];
  const remove = ['claimToken'];
  if (old?.notifiedAt !== undefined) {
    set.push('notifiedAt = :at');
    values[':at'] = old.notifiedAt;
  } else remove.push('notifiedAt');
  if (old?.notifiedState !== undefined) {
    set.push('notifiedState = :ns');
    values[':ns'] = old.notifiedState;
  } else remove.push('notifiedState');
  return {
    ...common(ev, c),
    UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
    ConditionExpression: 'claimToken = :token',
    ExpressionAttributeValues: values,
  };
}

/** The payload the editor inbox receives (raw delivery of the `sqs` variant). */
export interface AlertNotification {
  source: 'cloud-monitor';
  version: 1;
  kind: 'alarm' | 'recovery';
  appId: string;
  alertType: AlertType;
  severity: Severity;
  state: AlertState;
  summary: string;
  at: string;
  /** Occurrences not notified since the previous notification of this key. */
  suppressedSinceLast: number;
  previousNotificationAt?: string;
  debounceMinutes: number;
}

export interface PublishRequest {
  Subject: string;
  Message: string;
  MessageStructure: 'json';
  MessageAttributes: Record<string, { DataType: 'String'; StringValue: string }>;
}

export function buildNotification(ev: AlertEvaluation, old: AlertItem | undefined, now: number, debounceMs: number): { payload: AlertNotification; request: PublishRequest } {
  const payload: AlertNotification = {
    source: 'cloud-monitor',
    version: 1,
    kind: ev.kind === 'raise' ? 'alarm' : 'recovery',
    appId: ev.appId,
    alertType: ev.alertType,
    severity: ev.severity,
    state: ev.kind === 'raise' ? 'ALARM' : 'OK',
    summary: ev.summary,
    at: new Date(now).toISOString(),
    suppressedSinceLast: old?.suppressed ?? 0,
    previousNotificationAt: old?.notifiedAt !== undefined ? new Date(old.notifiedAt).toISOString() : undefined,
    debounceMinutes: Math.round(debounceMs / 60_000),
  };
  const head = ev.kind === 'raise' ? `ALARM ${ev.appId}: ${ev.alertType} (${ev.severity})` : `OK ${ev.appId}: ${ev.alertType} recovered`;
  const text = [
    head,
    ev.summary,
    payload.suppressedSinceLast > 0
      ? `${payload.suppressedSinceLast} more occurrence(s) since the previous notification (${payload.previousNotificationAt}) were not notified: at most one notification per ${payload.debounceMinutes} min per alert.`
      : '',
    `At ${payload.at}.`,
  ].filter(Boolean).join('\n');
  const attr = (v: string) => ({ DataType: 'String' as const, StringValue: v });
  return {
    payload,
    request: {
      // SNS subjects: ASCII, no line breaks, at most 100 characters.
      Subject: head.replace(/[^\x20-\x7e]/g, '?').slice(0, 100),
      Message: JSON.stringify({ default: text, email: text, sqs: JSON.stringify(payload) }),
      MessageStructure: 'json',
      MessageAttributes: { appId: attr(ev.appId), severity: attr(ev.severity), alertType: attr(ev.alertType), state: attr(payload.state) },
    },
  };
}
