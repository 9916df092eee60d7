// The Buckets view under a multi-account scope: account → region → bucket. Each account has its own model
// (and disk-cache entries), made when its node is first expanded, so an account never expanded is never
// asked. Every account's requests share the scope's one concurrency limit (AccountScope.client).
import { S3Client } from '@aws-sdk/client-s3';
import type { AwsConnection } from '../aws/connection';
import type { AccountScope } from '../aws/scope/accountScope';
import { accountNodeId, type ScopeMember } from '../aws/scope/scope';
import type { DiskCache } from '../cache/diskCache';
import { AccountGroups } from '../tree/accountGroup';
import type { TreeNode } from '../tree/nodes';
import type { Log } from '../util/log';
import { memberBucketsApi } from './memberApi';
import { BucketsModel } from './model';
import { BucketsTree } from './tree';

export interface AccountBucketsEnv {
  viewId: string;
  connection: AwsConnection;
  scope: AccountScope;
  cache: DiskCache;
  log: Log;
  settings: () => { concurrency: number; ttlMs: number };
  pageSize: () => number;
  problemsOnly: () => boolean;
  refresh(node?: TreeNode): void;
}

interface AccountSession { model: BucketsModel; tree: BucketsTree; unsubscribe(): void }

export class AccountBuckets {
  private readonly sessions = new Map<string, AccountSession>();
  private readonly groups: AccountGroups;
  private readonly dirty = new Set<string>();
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly env: AccountBucketsEnv) {
    this.groups = new AccountGroups(env.viewId, (member) => this.session(member).tree.roots());
  }

  async roots(): Promise<TreeNode[]> {
    return this.groups.roots(await this.env.scope.members());
  }

  private session(member: ScopeMember): AccountSession {
    let s = this.sessions.get(member.key);
    if (s) return s;
    const { connection, scope } = this.env;
    const client: Parameters<typeof memberBucketsApi>[1] = (ctor, opts) => scope.client(connection, member, ctor, opts);
    const api = memberBucketsApi(member, client, connection.region ?? 'us-east-1');
    const cacheScope = `account:${member.key}|${connection.endpointFor('S3')?.url ?? 'aws'}`;
    const model = new BucketsModel({ api, cache: this.env.cache, cacheScope, log: this.env.log, settings: this.env.settings });
    const tree = new BucketsTree({
      model, scope: `${accountNodeId(this.env.viewId, member.key)}/b`, pageSize: this.env.pageSize, problemsOnly: this.env.problemsOnly,
      s3: (region) => client(S3Client, { region }),
      refresh: (n) => this.env.refresh(n),
    });
    // A scan reports bucket by bucket: redraw the account's node at most every 250 ms.
    const unsubscribe = model.onDidChange(() => this.schedule(member.key));
    this.sessions.set(member.key, (s = { model, tree, unsubscribe }));
    return s;
  }

  private schedule(key: string): void {
    this.dirty.add(key);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      for (const k of this.dirty) {
        const node = this.groups.find(k);
        if (node) this.env.refresh(node);
      }
      this.dirty.clear();
    }, 250);
  }

  /** The models made so far (expanded accounts), by member key. */
  models(): Map<string, BucketsModel> {
    return new Map([...this.sessions].map(([k, s]) => [k, s.model]));
  }

  /** Refresh: every expanded account lists again. */
  reset(): void {
    for (const s of this.sessions.values()) {
      s.model.reset();
      s.tree.clear();
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.sessions.values()) {
      s.unsubscribe();
      s.model.dispose();
      s.tree.clear();
    }
    this.sessions.clear();
    this.groups.clear();
  }
}
