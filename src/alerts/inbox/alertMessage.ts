// Turns an editor-inbox SQS message into an alert to show. Strict: anyone who may publish to the
// alert topic or send to the inbox queue can put anything there, so only two shapes are accepted,
// every field checked against the values their senders can produce, and anything else is dropped
// (the poller logs why, as inert text). Pure: no vscode import.
//   - the consumer's notification (pipeline/consumer/alerts.ts buildNotification: the `sqs`
//     variant, delivered raw; an SNS envelope around it when raw delivery is off);
//   - a CloudWatch alarm notification (the pipeline's own alarms publish to the same topic).
// The app id, alert type, severity and state are the consumer's own pattern and values, imported
// from it, so a change there breaks the tests here.
import { alertKey, type AlertNotification, type Severity } from '../../../pipeline/consumer/alerts';
import { APP_ID_PATTERN } from '../../../pipeline/consumer/events';
import { ALERT_TYPES, type AlertState, type AlertType } from '../../../pipeline/consumer/status';
import { inert } from '../../util/inert';

export type NotificationSeverity = 'error' | 'warning' | 'info';

export interface InboxAlert {
  /** Debounce / mute key: appId#alertType (the consumer's alertKey), or alarm:<name> for a CloudWatch alarm. */
  key: string;
  appId?: string;
  alertType?: AlertType;
  /** ALARM or OK (a recovery); a CloudWatch alarm may also be INSUFFICIENT_DATA. */
  state: AlertState | 'INSUFFICIENT_DATA';
  severity: NotificationSeverity;
  /** One line for the notification, already inert. */
  text: string;
  /** Epoch ms, when the message says. */
  at?: number;
  suppressedCount?: number;
}

export type ParsedInboxMessage = { ok: true; alert: InboxAlert } | { ok: false; reason: string };

// Record<…> makes these complete for the consumer's types: a new severity or state fails to compile here.
const SEVERITY: Record<Severity, NotificationSeverity> = { FATAL: 'error', ERROR: 'error', INFO: 'info' };
const STATES: Record<AlertState, true> = { ALARM: true, OK: true };
const ALARM_STATES: Record<AlertState | 'INSUFFICIENT_DATA', NotificationSeverity> = { ALARM: 'error', OK: 'info', INSUFFICIENT_DATA: 'warning' };
/**
 * CloudWatch alarm names as the pipeline's alarms have them: the template leaves them to
 * CloudFormation, which names them <stack>-<LogicalId>-<suffix> (stack names are letters, digits
 * and hyphens). Narrower than CloudWatch allows, so no link, icon or markup can form in one.
 */
export const ALARM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
const MAX_BODY = 256 * 1024;
const MAX_SUMMARY = 2_000;
const MAX_REASON = 1_000;

function has<T extends object>(table: T, k: unknown): k is keyof T {
  return typeof k === 'string' && Object.prototype.hasOwnProperty.call(table, k);
}

function oneLine(text: string, max = 300): string {
  return inert(text.replace(/\s+/g, ' ').trim(), max);
}

/** What a rejected field held, short and inert, for the log. */
function shown(v: unknown): string {
  return inert(typeof v === 'string' ? JSON.stringify(v) : typeof v, 60);
}

function isoTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || v.length > 40) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

function asObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Parses one inbox message body. Never throws. */
export function parseInboxMessage(body: string): ParsedInboxMessage {
  if (typeof body !== 'string' || body.length > MAX_BODY) return { ok: false, reason: 'the body is missing or too large' };
  const data = asObject(body);
  if (!data) return { ok: false, reason: 'the body is not a JSON object' };
  // Raw delivery off: the SNS envelope carries the consumer's `sqs` variant (or an alarm) as text. One level only.
  if (data.Type === 'Notification' && typeof data.Message === 'string') {
    const inner = asObject(data.Message);
    if (!inner) return { ok: false, reason: 'the SNS envelope holds no JSON object' };
    return parseObject(inner);
  }
  return parseObject(data);
}

function parseObject(d: Record<string, unknown>): ParsedInboxMessage {
  if ('AlarmName' in d) return parseAlarm(d);
  if (d.source === 'cloud-monitor') return parseConsumerAlert(d);
  return { ok: false, reason: 'neither a pipeline alert (source cloud-monitor) nor a CloudWatch alarm' };
}

function parseConsumerAlert(d: Record<string, unknown>): ParsedInboxMessage {
  const p = d as Partial<Record<keyof AlertNotification, unknown>>;
  if (p.version !== 1) return { ok: false, reason: `unknown version ${shown(p.version)}` };
  if (typeof p.appId !== 'string' || !APP_ID_PATTERN.test(p.appId)) return { ok: false, reason: `appId ${shown(p.appId)} is not an app id the pipeline accepts` };
  if (!(ALERT_TYPES as readonly unknown[]).includes(p.alertType)) return { ok: false, reason: `unknown alertType ${shown(p.alertType)}` };
  if (!has(SEVERITY, p.severity)) return { ok: false, reason: `unknown severity ${shown(p.severity)}` };
  if (!has(STATES, p.state)) return { ok: false, reason: `unknown state ${shown(p.state)}` };
  if (p.kind !== (p.state === 'OK' ? 'recovery' : 'alarm')) return { ok: false, reason: `kind ${shown(p.kind)} does not match state ${p.state}` };
  if (typeof p.summary !== 'string' || p.summary.length > MAX_SUMMARY) return { ok: false, reason: 'summary is missing or too long' };
  const at = isoTime(p.at);
  if (at === undefined) return { ok: false, reason: `at ${shown(p.at)} is not an ISO-8601 time` };
  const suppressed = p.suppressedSinceLast;
  if (typeof suppressed !== 'number' || !Number.isSafeInteger(suppressed) || suppressed < 0) return { ok: false, reason: 'suppressedSinceLast is not a count' };
  const appId = p.appId;
  const alertType = p.alertType as AlertType;
  const state = p.state;
  const head = state === 'OK' ? `Recovered: ${appId} (${alertType})` : `${appId} (${alertType})`;
  return {
    ok: true,
    alert: {
      key: alertKey(appId, alertType), appId, alertType, state,
      severity: state === 'OK' ? 'info' : SEVERITY[p.severity],
      text: oneLine(`${head}${p.summary ? `: ${p.summary}` : ''}`),
      at,
      suppressedCount: suppressed > 0 ? suppressed : undefined,
    },
  };
}

function parseAlarm(d: Record<string, unknown>): ParsedInboxMessage {
  const name = d.AlarmName;
  if (typeof name !== 'string' || !ALARM_NAME_PATTERN.test(name)) return { ok: false, reason: `AlarmName ${shown(name)} is not an alarm name of the pipeline's shape` };
  const state = d.NewStateValue;
  if (!has(ALARM_STATES, state)) return { ok: false, reason: `unknown alarm state ${shown(state)}` };
  const reason = d.NewStateReason;
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON)) return { ok: false, reason: 'NewStateReason is not text or too long' };
  return {
    ok: true,
    alert: {
      key: `alarm:${name}`, state,
      severity: ALARM_STATES[state],
      text: oneLine(`CloudWatch alarm ${name} is ${state}${reason ? `: ${reason}` : ''}`),
      at: isoTime(d.StateChangeTime),
    },
  };
}

/** The notification text the controller shows for one alert (inert; notify() applies inert() again). */
export function notificationText(alert: InboxAlert, backlog: boolean): string {
  const when = alert.at && backlog ? ` (${new Date(alert.at).toLocaleString()})` : '';
  return inert(`${alert.text}${alert.suppressedCount ? ` (+${alert.suppressedCount} suppressed)` : ''}${when}`, 1000);
}

/**
 * What to show for a batch: each alert when there are few; one summary when many arrived at once
 * (the backlog that waited in the queue while VS Code was closed).
 */
/** `backlog`: the alerts waited (true), came at once (false), or arrived as the given words say. */
export function summarise<T extends { state: string; appId?: string; key: string; severity?: string }>(alerts: readonly T[], threshold: number, backlog: boolean | string = true): { each: T[]; summary?: { text: string; severity: NotificationSeverity; count: number } } {
  if (alerts.length <= threshold) return { each: [...alerts] };
  const byState = new Map<string, number>();
  const byApp = new Map<string, number>();
  for (const a of alerts) {
    byState.set(a.state, (byState.get(a.state) ?? 0) + 1);
    const app = a.appId ?? a.key;
    byApp.set(app, (byApp.get(app) ?? 0) + 1);
  }
  const states = [...byState].sort((a, b) => b[1] - a[1]).map(([st, n]) => `${n} ${st}`).join(', ');
  const apps = [...byApp].sort((a, b) => b[1] - a[1]);
  const top = apps.slice(0, 3).map(([app, n]) => `${app} (${n})`).join(', ');
  const more = apps.length > 3 ? ` and ${apps.length - 3} more` : '';
  const severity: NotificationSeverity = alerts.some((a) => a.severity === 'error') ? 'error' : alerts.some((a) => a.severity === 'warning') ? 'warning' : 'info';
  return { each: [], summary: { count: alerts.length, severity, text: `${alerts.length} alert${alerts.length === 1 ? '' : 's'} ${typeof backlog === 'string' ? backlog : backlog ? 'arrived while you were away' : 'at once'}: ${states}. Most from ${top}${more}.` } };
}
