// The consumer's settings, from the environment the template sets. Pure.

export interface ConsumerConfig {
  dataBucket: string;
  statusTable: string;
  alertTable: string;
  topicArn: string;
  dlqUrl: string;
  /** Raise (appId, error) on any ERROR or FATAL event. */
  errorAlerts: boolean;
  /** Raise (appId, errorRate) above this many errors per window; 0 disables. */
  errorRateThreshold: number;
  errorWindowMs: number;
  debounceMs: number;
  statusTtlDays: number;
}

export const DEFAULTS = { errorAlerts: true, errorRateThreshold: 50, errorWindowMinutes: 5, debounceMinutes: 15, statusTtlDays: 30 } as const;

export function configFromEnv(env: Record<string, string | undefined>): ConsumerConfig {
  const need = (k: string) => {
    const v = env[k];
    if (!v) throw new Error(`environment variable ${k} is not set`);
    return v;
  };
  const num = (k: string, fallback: number, min: number) => {
    const raw = env[k];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`environment variable ${k} must be a number >= ${min}, got ${raw}`);
    return n;
  };
  return {
    dataBucket: need('DATA_BUCKET'),
    statusTable: need('STATUS_TABLE'),
    alertTable: need('ALERT_TABLE'),
    topicArn: need('TOPIC_ARN'),
    dlqUrl: need('DLQ_URL'),
    errorAlerts: (env.ERROR_ALERTS ?? String(DEFAULTS.errorAlerts)).toLowerCase() !== 'false',
    errorRateThreshold: num('ERROR_RATE_THRESHOLD', DEFAULTS.errorRateThreshold, 0),
    errorWindowMs: num('ERROR_WINDOW_MINUTES', DEFAULTS.errorWindowMinutes, 1) * 60_000,
    debounceMs: num('DEBOUNCE_MINUTES', DEFAULTS.debounceMinutes, 1) * 60_000,
    statusTtlDays: num('STATUS_TTL_DAYS', DEFAULTS.statusTtlDays, 1),
  };
}
