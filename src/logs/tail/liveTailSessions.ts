// Live Tail is billed per minute while a session is open
// (https://aws.amazon.com/cloudwatch/pricing/, "Live Tail"). Every session that ends is reported here,
// so the ledger of billable calls can count its minutes: subscribe with onLiveTailSession(). No vscode import.

export interface LiveTailSessionRecord {
  /** The log groups the session streamed (names). */
  logGroups: string[];
  /** Epoch ms: when the session started (its sessionStart arrived) and ended. */
  startedAt: number;
  endedAt: number;
  /** Whole minutes, rounded up: what a per-minute price is applied to. */
  billedMinutes: number;
  /** Why it ended: 'idle' (not visible for cloudMonitor.logs.liveTailIdleMinutes), 'stopped', 'closed', 'timeout', 'failed', 'connection'. */
  endReason: string;
  profile?: string;
  region?: string;
}

type Listener = (record: LiveTailSessionRecord) => void;
const listeners = new Set<Listener>();

/** Calls `listener` after each Live Tail session ends. Dispose the result to stop. */
export function onLiveTailSession(listener: Listener): { dispose(): void } {
  listeners.add(listener);
  return { dispose: () => void listeners.delete(listener) };
}

export function billedLiveTailMinutes(startedAt: number, endedAt: number): number {
  return Math.max(1, Math.ceil(Math.max(0, endedAt - startedAt) / 60_000));
}

/** Reports an ended session to every listener (a listener that throws does not stop the others). */
export function reportLiveTailSession(record: Omit<LiveTailSessionRecord, 'billedMinutes'>, onError?: (err: unknown) => void): LiveTailSessionRecord {
  const full = { ...record, billedMinutes: billedLiveTailMinutes(record.startedAt, record.endedAt) };
  for (const l of [...listeners]) {
    try {
      l(full);
    } catch (err) {
      onError?.(err);
    }
  }
  return full;
}
