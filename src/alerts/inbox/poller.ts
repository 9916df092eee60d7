// Long-polls the pipeline's editor-inbox queue and hands alerts to the UI. One window at a time
// (InboxLease); the first poll after taking the lease drains the backlog that waited while VS Code
// was closed, so it can be summarised. Errors back off exponentially. Every SQS request is counted.
// No vscode import: the integration tests run two pollers against moto_server.
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { parseInboxMessage, type InboxAlert } from './alertMessage';
import type { InboxLease } from './lease';
import { inert } from '../../util/inert';

export type PollerState = 'idle' | 'waitingForLease' | 'polling' | 'backingOff' | 'stopped';

export interface PollerStats {
  receiveRequests: number;
  deleteRequests: number;
  /** ChangeMessageVisibilityBatch calls that hand messages back when polling stopped mid-poll. */
  releaseRequests: number;
  emptyReceives: number;
  messages: number;
  shown: number;
  muted: number;
  /** Messages that were not a pipeline alert or CloudWatch alarm: logged and deleted, never shown. */
  dropped: number;
  duplicates: number;
  errors: number;
  leaseTakeovers: number;
}

export interface PollerOptions {
  waitTimeSeconds?: number;
  /** How often a window without the lease checks whether it is free (a file read, no AWS request). */
  leaseRetryMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** At most this many backlog messages are drained before showing a summary. */
  backlogMax?: number;
  /** How long a received message stays hidden from other consumers while it is being shown. */
  visibilityTimeoutSeconds?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface PollerDeps {
  sqs: Pick<SQSClient, 'send'>;
  queueUrl: string;
  lease: InboxLease;
  /** Shows the alerts. Messages are deleted only after this resolves. */
  deliver(alerts: InboxAlert[], info: { backlog: boolean }): Promise<void>;
  isMuted(alert: InboxAlert): Promise<boolean>;
  /** The queue is gone or access was denied: polling cannot go on. */
  onFatal?(err: unknown): void;
  onStateChange?(state: PollerState): void;
  log?(msg: string): void;
}

const FATAL = /NonExistentQueue|QueueDoesNotExist|AccessDenied|InvalidClientTokenId|UnrecognizedClient/;

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class InboxPoller {
  readonly stats: PollerStats = { receiveRequests: 0, deleteRequests: 0, releaseRequests: 0, emptyReceives: 0, messages: 0, shown: 0, muted: 0, dropped: 0, duplicates: 0, errors: 0, leaseTakeovers: 0 };
  private stopper = new AbortController();
  private running?: Promise<void>;
  private held = false;
  private heartbeat?: ReturnType<typeof setInterval>;
  private readonly recentIds: string[] = [];
  private _state: PollerState = 'idle';
  private readonly o: Required<Omit<PollerOptions, 'sleep'>> & Pick<PollerOptions, 'sleep'>;

  constructor(private readonly deps: PollerDeps, opts: PollerOptions = {}) {
    this.o = {
      waitTimeSeconds: opts.waitTimeSeconds ?? 20,
      leaseRetryMs: opts.leaseRetryMs ?? 15_000,
      backoffInitialMs: opts.backoffInitialMs ?? 2_000,
      backoffMaxMs: opts.backoffMaxMs ?? 300_000,
      backlogMax: opts.backlogMax ?? 100,
      visibilityTimeoutSeconds: opts.visibilityTimeoutSeconds ?? 30,
      sleep: opts.sleep,
    };
  }

  get state(): PollerState { return this._state; }
  get holdsLease(): boolean { return this.held; }
  get requests(): number { return this.stats.receiveRequests + this.stats.deleteRequests + this.stats.releaseRequests; }

  private setState(s: PollerState): void {
    if (s === this._state) return;
    this._state = s;
    this.deps.onStateChange?.(s);
  }

  start(): void {
    if (this.running) return;
    this.stopper = new AbortController();
    this.running = this.loop()
      .catch((err: unknown) => {
        this.deps.log?.(`Inbox polling stopped by an unexpected error: ${(err as Error)?.stack ?? err}`);
        this.deps.onFatal?.(err);
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /**
   * Stops polling and frees the lease at once, so another window can take over. An in-flight long
   * poll is not aborted: SQS would already have hidden what it received for the visibility timeout,
   * so aborting strands messages. It finishes (at most WaitTimeSeconds) and hands what it got back
   * to the queue. The promise resolves when the loop has ended.
   */
  async stop(): Promise<void> {
    this.stopper.abort();
    if (this.held) {
      this.held = false;
      this.stopHeartbeat();
      await this.deps.lease.release().catch(() => undefined);
    }
    await this.running;
    this.setState('stopped');
  }

  private sleep(ms: number): Promise<void> {
    return (this.o.sleep ?? sleepFor)(ms, this.stopper.signal).catch(() => undefined);
  }

  private startHeartbeat(): void {
    const every = Math.max(1_000, Math.floor(this.deps.lease.ttlMs / 3));
    this.heartbeat = setInterval(() => {
      void this.deps.lease.renew().then((ok) => {
        // The in-flight poll, if any, still completes and its messages are shown: SQS gave them to us alone.
        if (!ok && this.held) {
          this.deps.log?.('Inbox lease lost to another window; this window stops polling.');
          this.held = false;
        }
      }, () => undefined);
    }, every);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private async loop(): Promise<void> {
    const signal = this.stopper.signal;
    let backoff = this.o.backoffInitialMs;
    let drainBacklog = true;
    try {
      while (!signal.aborted) {
        if (!this.held) {
          this.stopHeartbeat();
          this.setState('waitingForLease');
          this.held = await this.deps.lease.tryAcquire();
          if (!this.held) {
            await this.sleep(this.o.leaseRetryMs);
            continue;
          }
          this.stats.leaseTakeovers++;
          this.deps.log?.(`Inbox lease taken by ${this.deps.lease.owner}; polling ${this.deps.queueUrl}.`);
          this.startHeartbeat();
          drainBacklog = true;
        }
        this.setState('polling');
        try {
          if (drainBacklog) {
            await this.drain();
            drainBacklog = false;
          } else {
            const messages = await this.receive(this.o.waitTimeSeconds, 10);
            if (messages.length) await this.process(messages, false);
          }
          backoff = this.o.backoffInitialMs;
        } catch (err) {
          if (signal.aborted) break;
          this.stats.errors++;
          const name = (err as { name?: string })?.name ?? '';
          this.deps.log?.(`Inbox poll error: ${name}: ${(err as Error)?.message}`);
          if (FATAL.test(name) || FATAL.test(String((err as Error)?.message))) {
            this.deps.log?.(`Inbox polling stopped: ${name}: ${(err as Error)?.message}`);
            this.deps.onFatal?.(err);
            break;
          }
          this.deps.log?.(`Inbox poll failed (${name || 'error'}); retrying in ${Math.round(backoff / 1000)} s.`);
          this.setState('backingOff');
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, this.o.backoffMaxMs);
        }
      }
    } finally {
      this.stopHeartbeat();
      if (this.held) await this.deps.lease.release().catch(() => undefined);
      this.held = false;
      this.setState('stopped');
    }
  }

  /** One ReceiveMessage. If polling was stopped meanwhile, what arrived goes back to the queue. */
  private async receive(waitTimeSeconds: number, max: number): Promise<Message[]> {
    this.stats.receiveRequests++;
    const res = await this.deps.sqs.send(new ReceiveMessageCommand({
      QueueUrl: this.deps.queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitTimeSeconds,
      VisibilityTimeout: this.o.visibilityTimeoutSeconds,
      MessageAttributeNames: ['All'],
    }));
    const messages = res.Messages ?? [];
    if (!messages.length) this.stats.emptyReceives++;
    if (messages.length && this.stopper.signal.aborted) {
      await this.handBack(messages);
      return [];
    }
    return messages;
  }

  private async handBack(messages: Message[]): Promise<void> {
    this.stats.releaseRequests++;
    await this.deps.sqs.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: this.deps.queueUrl,
      Entries: messages.filter((m) => m.ReceiptHandle).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
    })).catch(() => undefined);
  }

  /** Reads what waited in the queue (long polls of 1 s, which see every SQS server) up to backlogMax. */
  private async drain(): Promise<void> {
    const all: Message[] = [];
    while (all.length < this.o.backlogMax && !this.stopper.signal.aborted && this.held) {
      const batch = await this.receive(1, Math.min(10, this.o.backlogMax - all.length));
      if (!batch.length) break;
      all.push(...batch);
    }
    if (all.length && this.stopper.signal.aborted) await this.handBack(all);
    else if (all.length) await this.process(all, true);
  }

  private async process(messages: Message[], backlog: boolean): Promise<void> {
    this.stats.messages += messages.length;
    const toShow: InboxAlert[] = [];
    for (const m of messages) {
      if (m.MessageId && this.recentIds.includes(m.MessageId)) {
        this.stats.duplicates++;
        continue;
      }
      if (m.MessageId) {
        this.recentIds.push(m.MessageId);
        if (this.recentIds.length > 500) this.recentIds.shift();
      }
      const parsed = parseInboxMessage(m.Body ?? '');
      if (!parsed.ok) {
        this.stats.dropped++;
        this.deps.log?.(`Inbox: dropped message ${inert(m.MessageId ?? '?', 80)}: ${parsed.reason}. Body: ${inert(m.Body ?? '', 300)}`);
        continue;
      }
      if (await this.deps.isMuted(parsed.alert)) this.stats.muted++;
      else toShow.push(parsed.alert);
    }
    if (toShow.length) {
      await this.deps.deliver(toShow, { backlog });
      this.stats.shown += toShow.length;
    }
    await this.delete(messages);
  }

  private async delete(messages: Message[]): Promise<void> {
    const handles = messages.filter((m) => m.ReceiptHandle);
    for (let i = 0; i < handles.length; i += 10) {
      const chunk = handles.slice(i, i + 10);
      this.stats.deleteRequests++;
      const res = await this.deps.sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: this.deps.queueUrl,
        Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle })),
      }));
      if (res.Failed?.length) this.deps.log?.(`Inbox: ${res.Failed.length} message(s) could not be deleted; they may be shown again.`);
    }
  }
}

/** SQS requests a month for one window polling all day with no alerts, and with `alertsPerDay`. */
export function monthlyRequestEstimate(waitTimeSeconds: number, alertsPerDay: number, days = 30): number {
  const receivesPerDay = Math.ceil(86_400 / waitTimeSeconds) + alertsPerDay;
  return (receivesPerDay + alertsPerDay) * days;
}

/** The SQS free tier: 1 million requests a month (https://aws.amazon.com/sqs/pricing/). */
export const SQS_FREE_TIER_REQUESTS_PER_MONTH = 1_000_000;
