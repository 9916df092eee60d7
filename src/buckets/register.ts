import * as vscode from 'vscode';
import { S3Client } from '@aws-sdk/client-s3';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Ctx } from '../context';
import { Config } from '../config';
import type { TreeNode } from '../tree/nodes';
import { registerTreeView } from '../tree/view';
import { s3Uri } from './browse';
import { EmulatorFriendlyS3Control } from './listing';
import { BucketsModel, UNKNOWN_REGION, type BucketsApi, type ModelChange } from './model';
import { downloadObject, ObjectPreviewProvider, openPreview, parseS3Uri, PREVIEW_SCHEME, type ObjectRef } from './objects';
import { hasProblems } from './posture';
import { BucketNode, BucketsTree, ObjectNode, PrefixNode } from './tree';
import { AccountBuckets } from './accounts';
import { inert } from '../util/inert';
import { notify } from '../util/notify';
import { setKept } from '../util/keptUpdate';

export const VIEW_ID = 'cloudMonitor.buckets';
const FILTER_KEY = 'cloudMonitor.buckets.problemsOnly';

interface Session { model: BucketsModel; tree: BucketsTree; dispose(): void }

/** The Buckets view: posture, storage and cost per bucket, lazy browsing and object preview. */
export function register(ctx: Ctx): void {
  const { connection } = ctx;
  let session: Session | undefined;
  let problemsOnly = ctx.extension.workspaceState.get<boolean>(FILTER_KEY, false);
  void vscode.commands.executeCommand('setContext', FILTER_KEY, problemsOnly);

  const s3 = (region: string) => connection.client(S3Client, { region });

  const { provider, view } = registerTreeView(ctx, VIEW_ID, async () => {
    if (await ctx.scope.isMulti()) return accounts().roots();
    rootsPending++;
    try {
      const nodes = await current().tree.roots();
      drawn = wholeChanges;
      return nodes;
    } finally {
      rootsPending--;
    }
  });
  /**
   * List and finding-count changes so far, and their number when the roots were last drawn: a change that the
   * roots drawn (or still loading) already show needs no redraw. The window would otherwise ask for the roots
   * again, and each refresh while the first rows load costs them a round trip to the window.
   */
  let wholeChanges = 0;
  let drawn = -1;
  let rootsPending = 0;

  // A scope of several accounts: account → region → bucket (src/buckets/accounts.ts).
  let byAccount: AccountBuckets | undefined;
  function accounts(): AccountBuckets {
    if (byAccount) return byAccount;
    const a = new AccountBuckets({
      viewId: VIEW_ID, connection, scope: ctx.scope, cache: ctx.cache, log: ctx.log, pageSize: Config.bucketsPageSize, problemsOnly: () => problemsOnly,
      settings: () => ({ concurrency: Config.bucketsScanConcurrency(), ttlMs: Config.bucketsCacheTtlMs() }),
      refresh: (n) => provider.refresh(n),
    });
    connection.scope({ dispose: () => { a.dispose(); if (byAccount === a) byAccount = undefined; } });
    return (byAccount = a);
  }

  /** The model and tree for the current connection, created on first use and torn down on change. */
  function current(): Session {
    if (session) return session;
    const api: BucketsApi = {
      s3,
      cloudWatch: (region) => connection.client(CloudWatchClient, { region }),
      s3Control: () => connection.client(EmulatorFriendlyS3Control),
      accountId: async () => (await connection.identity()).account,
      defaultRegion: connection.region ?? 'us-east-1',
    };
    const scope = `${connection.profile}|${connection.endpointFor('S3')?.url ?? 'aws'}`;
    const model = new BucketsModel({
      api, cache: ctx.cache, cacheScope: scope, log: ctx.log,
      settings: () => ({ concurrency: Config.bucketsScanConcurrency(), ttlMs: Config.bucketsCacheTtlMs() }),
      idle: () => connection.rootLoads.idle(),
    });
    const tree = new BucketsTree({ model, s3, scope, pageSize: Config.bucketsPageSize, problemsOnly: () => problemsOnly, refresh: (n) => provider.refresh(n) });
    const unsubscribe = model.onDidChange((c) => schedule(c));
    const s: Session = {
      model, tree,
      dispose: () => {
        unsubscribe();
        model.dispose();
        tree.clear();
        if (session === s) session = undefined;
      },
    };
    connection.scope(s);
    return (session = s);
  }

  // Model changes arrive bucket by bucket during a scan: batch them into one refresh per 250 ms.
  const pending = new Set<TreeNode>();
  let pendingAll = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  function schedule(c: ModelChange): void {
    const s = session;
    if (!s) return;
    if (c.kind === 'list' || c.kind === 'findings') {
      wholeChanges++;
      pendingAll = true;
    }
    else if (c.kind === 'storage') pending.add(s.tree.regionNode(c.region));
    else if (c.kind === 'postures') {
      for (const name of c.buckets) {
        const ref = s.model.find(name);
        if (!ref) continue;
        // With the filter on, a result can add or remove the bucket: refresh its region. Without it, only a
        // bucket on a page the view has shown has a row to redraw.
        const node = problemsOnly ? s.tree.regionNode(ref.region ?? UNKNOWN_REGION) : s.tree.shownBucketNode(name);
        if (node) pending.add(node);
      }
    }
    // The first change of a batch says so at once, the rest with the batch: see updateMessage.
    if (!timer) updateMessage();
    timer ??= setTimeout(flush, 250);
  }
  function flush(): void {
    timer = undefined;
    // A list or finding-count change the roots drawn (or loading) already show needs no whole redraw, but the
    // buckets whose posture came in the same batch still need theirs (it was dropped: a bucket stayed on
    // "checking…" when its AccessDenied came with its region's change).
    if (pendingAll && !rootsPending && drawn !== wholeChanges) provider.refresh();
    else for (const n of pending) provider.refresh(n);
    pendingAll = false;
    pending.clear();
    updateMessage();
  }
  ctx.own({ dispose: () => timer && clearTimeout(timer) });

  /**
   * The view's message (scan progress, listing, errors, the filter). Set only when its text changes, and during a
   * scan at most once per batch (250 ms): the extension host debounces a view's message and refreshes together by
   * 200 ms, each change restarting the wait (`ExtHostTreeView`, `Event.debounce(…, 200, true)`), so a message set
   * with every bucket's result held back every message and row refresh of the view until the scan ended (a scan
   * of 14 buckets against moto in 730 ms never showed its progress).
   */
  let shownMessage: string | undefined;
  function updateMessage(): void {
    const s = session;
    const parts: string[] = [];
    if (s?.model.scan.running) parts.push(`Checking bucket posture: ${s.model.scan.done} of ${s.model.scan.total}…`);
    if (s?.model.listingPending && s.model.buckets) parts.push(vscode.l10n.t('Listing buckets: {0} so far…', s.model.buckets.length));
    if (s?.model.listError && s.model.listIncomplete) parts.push(vscode.l10n.t('Not every bucket could be listed (Refresh tries again): {0}', inert(s.model.listError.message, 300)));
    else if (s?.model.listError) parts.push(`Showing cached buckets: ${inert(s.model.listError.message, 300)}`);
    if (problemsOnly && s?.model.buckets) {
      const shown = s.model.buckets.filter((b) => { const p = s.model.postures.get(b.name); return !p || hasProblems(p) || (s.model.findingCounts.get(b.name) ?? 0) > 0; }).length;
      parts.push(`Filter: ${shown} of ${s.model.buckets.length} buckets have problems or findings.`);
    }
    const message = parts.join(' ') || undefined;
    if (message === shownMessage) return;
    shownMessage = message;
    view.message = message;
  }

  async function setFilter(on: boolean): Promise<void> {
    problemsOnly = on;
    await setKept(ctx.extension.workspaceState, FILTER_KEY, on);
    await vscode.commands.executeCommand('setContext', FILTER_KEY, on);
    updateMessage();
    provider.refresh();
  }

  const previews = ctx.own(new ObjectPreviewProvider(s3, Config.bucketsPreviewMaxBytes));
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews));
  ctx.own(vscode.languages.registerCodeLensProvider({ scheme: PREVIEW_SCHEME }, previews));

  /** An object from a tree node, a ref (CodeLens) or, from the palette, an s3:// URI the user types. */
  async function objectRef(arg: unknown, purpose: string): Promise<ObjectRef | undefined> {
    if (arg instanceof ObjectNode) return { bucket: arg.bucket.name, key: arg.key, region: arg.bucket.region };
    if (arg && typeof arg === 'object' && 'bucket' in arg && 'key' in arg) return arg as ObjectRef;
    const text = await vscode.window.showInputBox({
      title: purpose, prompt: vscode.l10n.t('S3 URI of an object'), placeHolder: 's3://bucket/path/to/object.json',
      validateInput: (v) => (parseS3Uri(v) ? undefined : vscode.l10n.t('An object URI looks like s3://bucket/key')),
    });
    const parsed = text ? parseS3Uri(text) : undefined;
    if (!parsed) return undefined;
    const model = current().model;
    await model.loadBuckets().catch(() => undefined);
    return { ...parsed, region: model.find(parsed.bucket)?.region ?? connection.region ?? 'us-east-1' };
  }

  ctx.command('cloudMonitor.buckets.refresh', async () => {
    if (byAccount) {
      byAccount.reset();
      provider.refresh();
      return;
    }
    const s = current();
    s.model.reset();
    s.tree.clear();
    await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => s.model.loadBuckets(true).catch(() => undefined));
    provider.refresh();
  });
  ctx.command('cloudMonitor.buckets.filterProblems', () => setFilter(true));
  ctx.command('cloudMonitor.buckets.clearFilter', () => setFilter(false));

  ctx.command('cloudMonitor.buckets.recheck', async (node?: BucketNode) => {
    if (!(node instanceof BucketNode)) return undefined;
    await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => current().model.recheck(node.name));
    return current().model.postures.get(node.name);
  });

  ctx.command('cloudMonitor.buckets.openObject', async (arg?: unknown) => {
    const ref = await objectRef(arg, 'Open S3 Object');
    if (ref) await openPreview(previews, ref);
  });

  ctx.command('cloudMonitor.buckets.download', async (arg?: unknown) => {
    const ref = await objectRef(arg, 'Download S3 Object');
    if (!ref) return undefined;
    return downloadObject(s3(ref.region), ref, vscode.workspace.workspaceFolders?.[0]?.uri);
  });

  // From a tree node, or from code with { bucket, key? }.
  ctx.command('cloudMonitor.buckets.copyUri', async (node?: BucketNode | PrefixNode | ObjectNode | { bucket: string; key?: string }) => {
    const uri = node instanceof BucketNode ? s3Uri(node.name)
      : node instanceof PrefixNode || node instanceof ObjectNode ? node.uri
        : node && typeof node === 'object' && typeof (node as { bucket?: unknown }).bucket === 'string' ? s3Uri((node as { bucket: string }).bucket, (node as { key?: string }).key ?? '')
          : undefined;
    if (!uri) return undefined;
    await vscode.env.clipboard.writeText(uri);
    // Status bar text renders $(icons): the key is outside text.
    vscode.window.setStatusBarMessage(`Copied ${inert(uri, 200)}`, 3000);
    return uri;
  });

  // From the Findings view: select a bucket that a finding is about.
  ctx.command('cloudMonitor.buckets.reveal', async (name?: string) => {
    if (typeof name !== 'string' || !connection.isReady) return false;
    // Findings are not grouped by account yet: a bare bucket name does not say which account's node to reveal.
    if (await ctx.scope.isMulti()) return false;
    const s = current();
    await s.model.loadBuckets();
    const ref = s.model.find(name);
    if (!ref) {
      void notify.warn(vscode.l10n.t('Bucket "{0}" is not in this account\'s bucket list.', name));
      return false;
    }
    const p = s.model.postures.get(name);
    if (problemsOnly && p && !hasProblems(p) && !(s.model.findingCounts.get(name) ?? 0)) await setFilter(false);
    // A bucket past the shown page: show the pages up to it, so reveal finds its row.
    const region = s.tree.regionNode(ref.region ?? UNKNOWN_REGION);
    const before = s.tree.pages.count(region.id);
    s.tree.pages.showAtLeast(region.id, region.visible().findIndex((b) => b.name === name) + 1);
    if (s.tree.pages.count(region.id) !== before) provider.refresh(region);
    const node = s.tree.bucketNode(ref);
    await view.reveal(node, { select: true, focus: true, expand: false });
    return true;
  });

  // From the Findings view, after each load: active findings per bucket name.
  ctx.command('cloudMonitor.buckets.setFindingCounts', (counts?: Record<string, number>) => {
    if (!counts || typeof counts !== 'object' || !connection.isReady || ctx.scope.spec.kind !== 'profile') return;
    current().model.setFindingCounts(counts);
  });

  ctx.own(vscode.workspace.onDidChangeConfiguration((e) => {
    if (Config.affects(e, 'buckets.pageSize')) session?.tree.clear();
    if (Config.affects(e, 'buckets')) provider.refresh();
  }));
}

