// Turns an editor-inbox SQS message into an alert to show. The topic delivers to the inbox with
// raw message delivery, so the body is what the consumer published and SNS message attributes
// arrive as SQS message attributes. An SNS envelope (raw delivery off) and CloudWatch alarm
// notifications (the pipeline's own alarms publish to the same topic) are understood too. Pure.

export type NotificationSeverity = 'error' | 'warning' | 'info';

export interface InboxAlert {
  /** Debounce / mute key: appId#alertType, or alarm:<name> for a CloudWatch alarm. */
  key: string;
  appId?: string;
  alertType?: string;
  /** ALARM, OK (a recovery), or what the message said. */
  state: string;
  severity: NotificationSeverity;
  /** One line for the notification. */
  text: string;
  /** Epoch ms, when the message says. */
  at?: number;
  suppressedCount?: number;
}

type Attrs = Record<string, { StringValue?: string; DataType?: string } | undefined>;

const SEVERITY: Record<string, NotificationSeverity> = {
  fatal: 'error', critical: 'error', error: 'error', high: 'error', alarm: 'error',
  warn: 'warning', warning: 'warning', medium: 'warning',
  info: 'info', low: 'info', ok: 'info', notice: 'info',
};

function s(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
}

function epoch(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v < 1e11 ? v * 1000 : v;
  if (typeof v === 'string') {
    const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms < 1e11 ? ms * 1000 : ms;
  }
  return undefined;
}

function oneLine(text: string, max = 300): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export function parseInboxMessage(body: string, attributes: Attrs = {}): InboxAlert {
  let data: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) data = parsed as Record<string, unknown>;
  } catch {
    /* plain text alert */
  }
  const attr: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(attributes)) attr[k] = v?.StringValue;
  // Raw delivery off: unwrap the SNS envelope.
  if (data && data.Type === 'Notification' && typeof data.Message === 'string') {
    for (const [k, v] of Object.entries((data.MessageAttributes ?? {}) as Record<string, { Value?: string }>)) attr[k] ??= v?.Value;
    return parseInboxMessage(data.Message, Object.fromEntries(Object.entries(attr).map(([k, v]) => [k, { StringValue: v }])));
  }
  if (data && typeof data.AlarmName === 'string' && data.NewStateValue) {
    const state = String(data.NewStateValue);
    return {
      key: `alarm:${data.AlarmName}`,
      state,
      severity: state === 'ALARM' ? 'error' : state === 'OK' ? 'info' : 'warning',
      text: oneLine(`CloudWatch alarm ${data.AlarmName} is ${state}${data.NewStateReason ? `: ${data.NewStateReason}` : ''}`),
      at: epoch(data.StateChangeTime),
    };
  }
  const d = data ?? {};
  const appId = s(d.appId) ?? s(d.appid) ?? attr.appId;
  const alertType = s(d.alertType) ?? s(d.type) ?? attr.alertType;
  const state = (s(d.state) ?? s(d.status) ?? (/recover|resolved|cleared/i.test(alertType ?? '') ? 'OK' : 'ALARM')).toUpperCase();
  const sev = (s(d.severity) ?? attr.severity ?? s(d.level) ?? (state === 'OK' ? 'info' : 'error')).toLowerCase();
  const severity: NotificationSeverity = state === 'OK' ? 'info' : (SEVERITY[sev] ?? 'warning');
  const message = s(d.message) ?? s(d.lastMessage) ?? s(d.summary) ?? (data ? undefined : body);
  const key = s(d.alertKey) ?? s(d.key) ?? (appId || alertType ? `${appId ?? '?'}#${alertType ?? 'alert'}` : 'alert');
  const suppressed = Number(d.suppressedSinceLast ?? d.suppressedCount ?? d.suppressed);
  const head = state === 'OK' ? `Recovered: ${appId ?? key}` : `${appId ?? key}`;
  return {
    key, appId, alertType, state, severity,
    text: oneLine(`${head}${alertType ? ` (${alertType})` : ''}${message ? `: ${message}` : ''}`),
    at: epoch(d.timestamp ?? d.at ?? d.time ?? d.since),
    suppressedCount: Number.isFinite(suppressed) && suppressed > 0 ? suppressed : undefined,
  };
}

/**
 * What to show for a batch: each alert when there are few; one summary when many arrived at once
 * (the backlog that waited in the queue while VS Code was closed).
 */
export function summarise(alerts: readonly InboxAlert[], threshold: number, backlog = true): { each: InboxAlert[]; summary?: { text: string; severity: NotificationSeverity; count: number } } {
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
  return { each: [], summary: { count: alerts.length, severity, text: `${alerts.length} alerts ${backlog ? 'arrived while you were away' : 'at once'}: ${states}. Most from ${top}${more}.` } };
}
