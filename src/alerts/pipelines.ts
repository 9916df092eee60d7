// The pipeline stacks of the current connection, looked up once and kept for a few minutes.
// Shared by the Alerts view, the inbox and the Logs view (one instance per extension).
import { stackPagesOf } from '../aws/stackPages';
import type { Ctx } from '../context';
import type { OnPage } from '../tree/firstPage';
import { findPipelineStacks, type PipelineStack } from './pipelineStack';

const TTL_MS = 5 * 60_000;
// Keyed by the extension context: every feature's ctx (each with its own ledger-tagged connection) shares one.
const instances = new WeakMap<object, PipelineLocator>();

export class PipelineLocator {
  /** The read: its result, and while it runs, the stacks of the pages read so far and who wants each page. */
  private cached?: { at: number; stacks: Promise<PipelineStack[]>; soFar: readonly PipelineStack[]; listeners: Set<OnPage<PipelineStack>> };

  static for(ctx: Ctx): PipelineLocator {
    let p = instances.get(ctx.extension);
    if (!p) instances.set(ctx.extension, (p = new PipelineLocator(ctx)));
    return p;
  }

  private constructor(private readonly ctx: Ctx) {
    ctx.own(ctx.connection.onDidChange(() => (this.cached = undefined)));
  }

  /** `onPage`: while the read runs, the stacks so far (now, and after each page that more follow). */
  stacks(force = false, onPage?: OnPage<PipelineStack>): Promise<PipelineStack[]> {
    if (force || !this.cached || Date.now() - this.cached.at > TTL_MS) {
      const listeners = new Set<OnPage<PipelineStack>>();
      const read = { at: Date.now(), soFar: [] as readonly PipelineStack[], listeners, stacks: undefined as unknown as Promise<PipelineStack[]> };
      // A forced read (a refresh, a new alert) does not join a shared read that began before it.
      read.stacks = findPipelineStacks(stackPagesOf(this.ctx.connection, force ? read.at : 0), (soFar) => {
        read.soFar = soFar;
        for (const l of listeners) l(soFar);
      });
      this.cached = read;
      const ended = () => {
        listeners.clear();
        read.soFar = [];
      };
      read.stacks.then(ended, () => {
        ended();
        if (this.cached === read) this.cached = undefined;
      });
    }
    const read = this.cached;
    if (onPage) {
      read.listeners.add(onPage);
      if (read.soFar.length) onPage(read.soFar);
    }
    return read.stacks;
  }

  /** The newest pipeline stack, if any. */
  async primary(force = false): Promise<PipelineStack | undefined> {
    return (await this.stacks(force))[0];
  }
}
