// The pipeline stacks of the current connection, looked up once and kept for a few minutes.
// Shared by the Alerts view, the inbox and the Logs view (one instance per extension).
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { Ctx } from '../context';
import { findPipelineStacks, type PipelineStack } from './pipelineStack';

const TTL_MS = 5 * 60_000;
// Keyed by the extension context: every feature's ctx (each with its own ledger-tagged connection) shares one.
const instances = new WeakMap<object, PipelineLocator>();

export class PipelineLocator {
  private cached?: { at: number; stacks: Promise<PipelineStack[]> };

  static for(ctx: Ctx): PipelineLocator {
    let p = instances.get(ctx.extension);
    if (!p) instances.set(ctx.extension, (p = new PipelineLocator(ctx)));
    return p;
  }

  private constructor(private readonly ctx: Ctx) {
    ctx.own(ctx.connection.onDidChange(() => (this.cached = undefined)));
  }

  stacks(force = false): Promise<PipelineStack[]> {
    if (force || !this.cached || Date.now() - this.cached.at > TTL_MS) {
      const stacks = findPipelineStacks(this.ctx.connection.client(CloudFormationClient, { feature: 'alerts' }));
      this.cached = { at: Date.now(), stacks };
      stacks.catch(() => (this.cached = undefined));
    }
    return this.cached.stacks;
  }

  /** The newest pipeline stack, if any. */
  async primary(force = false): Promise<PipelineStack | undefined> {
    return (await this.stacks(force))[0];
  }
}
