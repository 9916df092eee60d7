// The consumer's orchestration: plan the batch (pure), move malformed messages to the DLQ, then per
// app run: S3 objects, status read, alerts, status write. Every decision is made by the pure modules.
//
// Order within a run, chosen so that a retry neither loses nor duplicates:
//   1. S3 PUT one object per partition (keys derived from the run's first message id: a retry overwrites).
//   2. Read the status row; skip events it has already counted (a redelivered run).
//   3. Alerts: conditional claim on the alert-state table, then SNS publish (undone if the publish fails).
//   4. Write the status row, conditional on its version. This is the run's commit point.
// A failure in 1-4 deletes the objects the attempt wrote and reports the run as failed.
import { randomUUID } from 'node:crypto';
import { buildNotification, claimClearInput, claimRaiseInput, markClearInput, mirrorAfter, planAlertOp, revertClaimInput, suppressRaiseInput, evaluateAlerts, type AlertEvaluation, type AlertItem } from './alerts';
import { deleteObjects, getStatus, isConditionalFailure, publish, putEventsObject, putStatus, sendToDlq, updateItem, type Clients, type DlqEntry } from './aws';
import { batchItemFailures, planBatch, runOf, type BatchResponse, type Run, type SqsEvent } from './batch';
import type { ConsumerConfig } from './config';
import { buildObjects } from './partition';
import { applyRun, summarize, type AlertMirror, type AlertType, type AppStatus } from './status';

export type LogEntry = { level: 'INFO' | 'WARN' | 'ERROR'; msg: string } & Record<string, unknown>;

export interface HandlerDeps {
  clients: Clients;
  config: ConsumerConfig;
  /** The clock; tests move it past the debounce window. */
  now?: () => number;
  /** Structured log lines; in Lambda, one JSON object per line on stdout. */
  log?: (entry: LogEntry) => void;
}

// Conflicts only happen when several consumers write one app's row at once (outside FIFO ordering).
const STATUS_WRITE_ATTEMPTS = 20;

export const stdoutLog = (entry: LogEntry) => void process.stdout.write(`${JSON.stringify(entry)}\n`);

export function createHandler(deps: HandlerDeps): (event: SqsEvent) => Promise<BatchResponse> {
  const { clients, config } = deps;
  const clock = deps.now ?? Date.now;
  const log = deps.log ?? stdoutLog;

  return async function handle(event: SqsEvent): Promise<BatchResponse> {
    const started = Date.now();
    const now = clock();
    const records = event.Records ?? [];
    const groups = planBatch(records);

    const malformed: DlqEntry[] = [];
    for (const g of groups) {
      for (const { record, parsed } of g.records) {
        if (parsed.ok) continue;
        log({ level: 'WARN', msg: 'malformed message moved to the DLQ', messageId: record.messageId, groupId: record.attributes?.MessageGroupId, code: parsed.code, reason: parsed.reason });
        malformed.push({
          messageId: record.messageId,
          body: record.body,
          groupId: record.attributes?.MessageGroupId,
          attributes: { reason: parsed.reason, reasonCode: parsed.code, sourceMessageId: record.messageId, failedAt: new Date(now).toISOString() },
        });
      }
    }
    const dlqFailed = malformed.length ? await sendToDlq(clients, config.dlqUrl, malformed) : new Set<string>();
    for (const id of dlqFailed) log({ level: 'ERROR', msg: 'could not move a malformed message to the DLQ; its group is retried from it', messageId: id });

    const runs = groups.map((g) => runOf(g, dlqFailed)).filter((r): r is Run => !!r);
    const failedGroups = new Set<string>();
    await Promise.all(
      runs.map(async (run) => {
        if (!(await processRun(run, now))) failedGroups.add(run.groupId);
      }),
    );

    const batchItemFailuresList = batchItemFailures(records, groups, dlqFailed, failedGroups);
    log({
      level: batchItemFailuresList.length ? 'WARN' : 'INFO',
      msg: 'batch done',
      records: records.length,
      runs: runs.length,
      events: runs.reduce((n, r) => n + r.messages.reduce((k, m) => k + m.events.length, 0), 0),
      movedToDlq: malformed.length - dlqFailed.size,
      failedRecords: batchItemFailuresList.length,
      ms: Date.now() - started,
    });
    return { batchItemFailures: batchItemFailuresList };
  };

  async function processRun(run: Run, now: number): Promise<boolean> {
    const written: string[] = [];
    let stage = 's3 put';
    try {
      const objects = buildObjects(run.anchor, run.messages);
      const puts = await Promise.allSettled(objects.map((o) => putEventsObject(clients, config.dataBucket, o.key, o.lines).then(() => written.push(o.key))));
      const putFailure = puts.find((p): p is PromiseRejectedResult => p.status === 'rejected');
      if (putFailure) throw putFailure.reason;

      stage = 'status read';
      let prev = await getStatus(clients, config.statusTable, run.appId);
      let summary = summarize(prev, run);
      let next = applyRun(prev, run, summary, now, config);
      if (!next) {
        log({ level: 'INFO', msg: 'redelivered run was already counted; objects rewritten', appId: run.appId, anchor: run.anchor });
        return true;
      }
      stage = 'alerts';
      const alertResults = await runAlerts(evaluateAlerts(next, summary, now, config), next.alerts, now);

      stage = 'status write';
      for (let attempt = 1; ; attempt++) {
        withMirrors(next, alertResults);
        try {
          await putStatus(clients, config.statusTable, next, prev?.ver);
          break;
        } catch (err) {
          if (!isConditionalFailure(err) || attempt >= STATUS_WRITE_ATTEMPTS) throw err;
          // Another consumer wrote the row meanwhile (only possible outside FIFO ordering): recompute on top of it.
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(250, 10 * 2 ** attempt)));
          prev = await getStatus(clients, config.statusTable, run.appId);
          summary = summarize(prev, run);
          next = applyRun(prev, run, summary, now, config);
          if (!next) break;
        }
      }
      return true;
    } catch (err) {
      log({ level: 'ERROR', msg: 'run failed; its group is retried', appId: run.appId, groupId: run.groupId, anchor: run.anchor, messages: run.messages.length, stage, ...describeError(err) });
      if (written.length) {
        try {
          await deleteObjects(clients, config.dataBucket, written);
        } catch (delErr) {
          log({ level: 'ERROR', msg: 'could not delete the objects of a failed run; a retry with fewer messages could duplicate their events', keys: written, error: (delErr as Error)?.message });
        }
      }
      return false;
    }
  }

  /** Runs each evaluation's conditional write (and publish); returns the alert mirrors to store. Throws on failure. */
  async function runAlerts(evaluations: AlertEvaluation[], mirrors: AppStatus['alerts'], now: number): Promise<Map<AlertType, AlertMirror | undefined>> {
    const results = new Map<AlertType, AlertMirror | undefined>();
    await Promise.all(
      evaluations.map(async (ev) => {
        const mirror = mirrors[ev.alertType];
        const op = planAlertOp(ev, mirror, now, config.debounceMs);
        const ctx = { table: config.alertTable, now, debounceMs: config.debounceMs, ttlDays: config.statusTtlDays, token: randomUUID() };
        const fields = { appId: ev.appId, alertType: ev.alertType, kind: ev.kind };
        if (op === 'skip') return;
        if (op === 'claimRaise' || op === 'claimClear') {
          let old: AlertItem | undefined;
          try {
            old = (await updateItem(clients, op === 'claimRaise' ? claimRaiseInput(ev, ctx) : claimClearInput(ev, ctx))) as AlertItem | undefined;
          } catch (err) {
            if (!isConditionalFailure(err)) throw err;
            const fallback = op === 'claimRaise' ? 'suppressRaise' : 'markClear';
            results.set(ev.alertType, await fallbackWrite(fallback, ev, ctx));
            log({ level: 'INFO', msg: 'alert debounced', ...fields });
            return;
          }
          const { request } = buildNotification(ev, old, now, config.debounceMs);
          try {
            const messageId = await publish(clients, config.topicArn, request);
            log({ level: 'INFO', msg: 'alert notified', ...fields, severity: ev.severity, suppressedSinceLast: old?.suppressed ?? 0, snsMessageId: messageId });
          } catch (err) {
            await updateItem(clients, revertClaimInput(ev, old, ctx)).catch((revertErr) =>
              log({ level: 'ERROR', msg: 'could not undo an alert claim after a failed publish; the key stays quiet until the window ends', ...fields, error: (revertErr as Error)?.message }),
            );
            throw err;
          }
          results.set(ev.alertType, mirrorAfter(op, true, undefined, now));
          return;
        }
        results.set(ev.alertType, await fallbackWrite(op, ev, ctx));
        if (op === 'suppressRaise') log({ level: 'INFO', msg: 'alert debounced', ...fields });
      }),
    );
    return results;
  }

  async function fallbackWrite(op: 'suppressRaise' | 'markClear', ev: AlertEvaluation, ctx: Parameters<typeof suppressRaiseInput>[1]): Promise<AlertMirror | undefined> {
    try {
      const item = (await updateItem(clients, op === 'suppressRaise' ? suppressRaiseInput(ev, ctx) : markClearInput(ev, ctx))) as AlertItem | undefined;
      return mirrorAfter(op, false, item, ctx.now);
    } catch (err) {
      // markClear on a key that no longer exists (expired): nothing to clear.
      if (op === 'markClear' && isConditionalFailure(err)) return undefined;
      throw err;
    }
  }
}

function describeError(err: unknown): Record<string, unknown> {
  const e = err as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
  return { error: e?.name, detail: e?.message, httpStatus: e?.$metadata?.httpStatusCode, requestId: e?.$metadata?.requestId };
}

function withMirrors(next: AppStatus, results: Map<AlertType, AlertMirror | undefined>): void {
  for (const [type, mirror] of results) {
    if (mirror) next.alerts[type] = mirror;
    else delete next.alerts[type];
  }
}
