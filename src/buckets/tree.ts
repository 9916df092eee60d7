// The Buckets tree: region → bucket → prefix/object, paged. Nodes are cached by id so paging
// state and reveal survive refreshes.
import * as vscode from 'vscode';
import { LoadMoreNode, InfoNode, type TreeNode } from '../tree/nodes';
import { ROWS_PER_PAGE, ShownPages } from '../tree/paging';
import { textTooltip, Tooltip } from '../tree/tooltip';
import { basename, hivePartition, listLevel, partitionKeyOf, s3Uri, segmentOf, type ObjectEntry } from './browse';
import type { BucketRef } from './listing';
import { UNKNOWN_REGION, type BucketsModel } from './model';
import type { BucketStorage } from './storage';
import { CHECK_LABELS, CHECKS, FLAG_LABELS, hasProblems, shortDescription, type BucketPosture, type CheckState } from './posture';
import { estimateMonthlyCost, formatBytes, formatMonthly, formatUsd, needsLifecycleHint, PRICE_SOURCE, PRICE_TABLE_DATE } from './pricing';
import type { S3Client } from '@aws-sdk/client-s3';

export interface TreeEnv {
  model: BucketsModel;
  s3(region: string): S3Client;
  pageSize(): number;
  problemsOnly(): boolean;
  refresh(node?: TreeNode): void;
  /** Prefix for node ids: the profile and endpoint, so ids stay stable per connection. */
  scope: string;
}

// Marks, not $(icons): the tooltip carries outside text, so it is built without theme icon support.
const STATE_MARK: Record<CheckState, string> = { ok: '✓', warn: '⚠', bad: '✗', error: '⊘' };

export class BucketsTree {
  private readonly nodes = new Map<string, TreeNode>();
  /** A region's buckets, a page at a time (Load more): thousands of rows at once would stall the view. */
  readonly pages: ShownPages;
  constructor(readonly env: TreeEnv) {
    this.pages = new ShownPages(ROWS_PER_PAGE, (parent) => env.refresh(parent));
  }

  private cached<T extends TreeNode>(id: string, make: () => T): T {
    let n = this.nodes.get(id) as T | undefined;
    if (!n) this.nodes.set(id, (n = make()));
    return n;
  }

  clear(): void {
    this.nodes.clear();
    this.pages.reset();
  }

  async roots(): Promise<TreeNode[]> {
    const { model } = this.env;
    await model.firstBuckets();
    const regions = model.regions();
    if (!regions.length) return [new InfoNode(`${this.env.scope}/empty`, vscode.l10n.t('No buckets in this account'), { icon: 'info' })];
    return regions.map((r) => this.regionNode(r));
  }

  regionNode(region: string): RegionNode {
    return this.cached(`${this.env.scope}/r/${region}`, () => new RegionNode(this, region));
  }

  bucketNode(b: BucketRef): BucketNode {
    const region = b.region ?? UNKNOWN_REGION;
    return this.cached(`${this.env.scope}/b/${b.name}`, () => new BucketNode(this, b, this.regionNode(region)));
  }

  /** The bucket's node if the view has shown it (a page not yet loaded has none to redraw). */
  shownBucketNode(name: string): BucketNode | undefined {
    return this.nodes.get(`${this.env.scope}/b/${name}`) as BucketNode | undefined;
  }

  prefixNode(bucket: BucketNode, prefix: string, parent: FolderNode): PrefixNode {
    return this.cached(`${bucket.id}/p/${prefix}`, () => new PrefixNode(this, bucket, prefix, parent));
  }

  objectNode(bucket: BucketNode, entry: ObjectEntry, parent: FolderNode): ObjectNode {
    const n = this.cached(`${bucket.id}/o/${entry.key}`, () => new ObjectNode(bucket, entry, parent));
    n.entry = entry;
    return n;
  }
}

export class RegionNode implements TreeNode {
  readonly id: string;
  constructor(private readonly tree: BucketsTree, readonly region: string) {
    this.id = `${tree.env.scope}/r/${region}`;
  }

  /** The region's buckets the view lists (all, or with the filter on, those with problems or findings). */
  visible(): BucketRef[] {
    const { model } = this.tree.env;
    const all = model.bucketsIn(this.region);
    if (!this.tree.env.problemsOnly()) return all;
    return all.filter((b) => {
      const p = model.postures.get(b.name);
      return !p || hasProblems(p) || (model.findingCounts.get(b.name) ?? 0) > 0;
    });
  }

  getTreeItem(): vscode.TreeItem {
    const { model } = this.tree.env;
    const all = model.bucketsIn(this.region);
    const item = new vscode.TreeItem(this.region, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('globe');
    const problems = all.filter((b) => { const p = model.postures.get(b.name); return p && hasProblems(p); }).length;
    const storage = model.storage.get(this.region);
    let total = 0;
    let cost = 0;
    if (storage?.state === 'done' || storage?.data.size) {
      for (const b of all) {
        const s = storage.data.get(b.name);
        if (!s) continue;
        total += s.totalBytes;
        cost += estimateMonthlyCost(s.bytesByType, this.region).monthlyUsd;
      }
    }
    const parts = [`${all.length} bucket${all.length === 1 ? '' : 's'}`];
    if (problems) parts.push(`${problems} with problems`);
    if (total) parts.push(`${formatBytes(total)} · ${formatMonthly(cost)}`);
    item.description = parts.join(' · ');
    item.contextValue = 'region';
    return item;
  }

  getChildren(): TreeNode[] {
    const { model } = this.tree.env;
    if (this.region !== UNKNOWN_REGION) model.loadStorage(this.region);
    const shown = this.visible();
    if (!shown.length) {
      return [new InfoNode(`${this.id}/none`, this.tree.env.problemsOnly() ? vscode.l10n.t('No buckets with problems here') : vscode.l10n.t('No buckets'), { icon: 'pass', parent: this })];
    }
    return this.tree.pages.page(this.id, shown, (b) => this.tree.bucketNode(b), this);
  }
}

/** A level that lists prefixes and objects, one page at a time. */
abstract class FolderNode implements TreeNode {
  abstract readonly id: string;
  abstract getTreeItem(): vscode.TreeItem;
  abstract getParent(): TreeNode | undefined;
  protected pages?: { prefixes: string[]; objects: ObjectEntry[] }[];
  protected nextToken?: string;

  constructor(protected readonly tree: BucketsTree, protected readonly prefixValue: string) {}

  protected abstract bucketNode(): BucketNode;

  async getChildren(): Promise<TreeNode[]> {
    const bucket = this.bucketNode();
    if (!this.pages) await this.fetchPage();
    const prefixes = this.pages!.flatMap((p) => p.prefixes);
    const objects = this.pages!.flatMap((p) => p.objects);
    const children: TreeNode[] = [
      ...prefixes.map((p) => this.tree.prefixNode(bucket, p, this)),
      ...objects.map((o) => this.tree.objectNode(bucket, o, this)),
    ];
    if (this.nextToken) children.push(new LoadMoreNode(`${this.id}/more`, () => this.loadMore(), this));
    if (!children.length) children.push(new InfoNode(`${this.id}/empty`, this.prefixValue ? vscode.l10n.t('Empty prefix') : vscode.l10n.t('Empty bucket'), { icon: 'info', parent: this }));
    return children;
  }

  /** Children partitions' key when this level is a Hive partition column, e.g. "dt". */
  partitionKey(): string | undefined {
    return this.pages ? partitionKeyOf(this.pages.flatMap((p) => p.prefixes), this.prefixValue) : undefined;
  }

  private async fetchPage(): Promise<void> {
    const bucket = this.bucketNode();
    const page = await listLevel(this.tree.env.s3(bucket.region), bucket.name, this.prefixValue, this.tree.env.pageSize(), this.nextToken);
    (this.pages ??= []).push({ prefixes: page.prefixes, objects: page.objects });
    this.nextToken = page.nextToken;
  }

  async loadMore(): Promise<void> {
    if (!this.nextToken) return;
    await this.fetchPage();
    this.tree.env.refresh(this);
  }

  /** Forget loaded pages; the next expand lists again. */
  reload(): void {
    this.pages = undefined;
    this.nextToken = undefined;
  }
}

export class BucketNode extends FolderNode {
  readonly id: string;
  constructor(tree: BucketsTree, readonly ref: BucketRef, private readonly parent: RegionNode) {
    super(tree, '');
    this.id = `${tree.env.scope}/b/${ref.name}`;
  }
  get name() { return this.ref.name; }
  get region() { return this.ref.region ?? this.tree.env.model.find(this.name)?.region ?? 'us-east-1'; }
  get uri() { return s3Uri(this.name); }
  protected bucketNode() { return this; }
  getParent() { return this.parent; }
  posture(): BucketPosture | undefined { return this.tree.env.model.postures.get(this.name); }

  getTreeItem(): vscode.TreeItem {
    const { model } = this.tree.env;
    const p = this.posture();
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const storage = model.storage.get(this.region)?.data.get(this.name);
    const findings = model.findingCounts.get(this.name) ?? 0;
    const parts: string[] = [];
    if (!p) parts.push(model.scan.running ? 'checking…' : 'not checked');
    else parts.push(shortDescription(p));
    if (storage) parts.push(`${formatBytes(storage.totalBytes)} · ${formatMonthly(estimateMonthlyCost(storage.bytesByType, this.region).monthlyUsd)}`);
    if (findings) parts.push(`${findings} finding${findings === 1 ? '' : 's'}`);
    const hint = this.lifecycleHint();
    if (hint) parts.push('consider lifecycle');
    item.description = parts.join(' · ');
    item.iconPath = !p
      ? new vscode.ThemeIcon('loading~spin')
      : p.error
        ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
        : p.level === 'bad'
          ? new vscode.ThemeIcon('unlock', new vscode.ThemeColor('errorForeground'))
          : p.level === 'warn'
            ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('editorWarning.foreground'))
            : new vscode.ThemeIcon('lock', new vscode.ThemeColor('testing.iconPassed'));
    item.tooltip = this.tooltip(p, storage, findings);
    const flags = ['bucket', ...(p?.flags ?? []), ...(p?.error ? ['error'] : []), ...(findings ? ['findings'] : []), ...(hint ? ['lifecycleHint'] : [])];
    item.contextValue = flags.join('+');
    return item;
  }

  private tooltip(p: BucketPosture | undefined, storage: BucketStorage | undefined, findings: number): vscode.MarkdownString {
    const md = new Tooltip().bold(this.name).para();
    md.text(`Region: ${this.region}`);
    if (this.ref.created) md.text(` · created ${this.ref.created.slice(0, 10)}`);
    md.para();
    if (!p) md.text('Posture checks pending.\n\n');
    else if (p.error) {
      md.text(`${STATE_MARK.bad} Could not check this bucket: ${p.error.message}${p.error.code ? ` (${p.error.code})` : ''}`).para();
    } else {
      for (const c of CHECKS) {
        const r = p.checks[c];
        md.text(`${STATE_MARK[r.state]} `).bold(CHECK_LABELS[c]).text(`: ${r.summary}`).br();
      }
      md.para();
      if (p.flags.length) md.text(`Problems: ${p.flags.map((f) => FLAG_LABELS[f]).join(', ')}\n\n`);
    }
    if (storage) {
      const est = estimateMonthlyCost(storage.bytesByType, this.region);
      const byType = Object.entries(storage.bytesByType).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${formatBytes(n)}`).join(', ');
      md.text(`Storage: ${formatBytes(storage.totalBytes)} (${byType})${storage.objects !== undefined ? `, ${storage.objects.toLocaleString('en-US')} objects` : ''}${storage.asOf ? `, CloudWatch daily metrics as of ${storage.asOf.slice(0, 10)}` : ''}`).para();
      md.text(`Estimated storage cost: ${formatUsd(est.monthlyUsd)}/month at ${est.priceRegion} list prices${est.exactRegion ? '' : ` (no price entry for ${this.region})`}, price table dated ${PRICE_TABLE_DATE} (${PRICE_SOURCE}). Storage only: no requests or transfer.${est.unpriced.length ? ` Not priced: ${est.unpriced.join(', ')}.` : ''}`).para();
      if (needsLifecycleHint(storage.bytesByType, p?.hasLifecycle ?? false)) {
        md.text('Hint: most bytes are in S3 Standard and no lifecycle rule moves or expires them. A rule to Standard-IA, Glacier or expiry could lower this cost.').para();
      }
    } else {
      const st = this.tree.env.model.storage.get(this.region);
      md.text(st?.state === 'loading' ? 'Loading storage metrics…' : st?.state === 'error' ? `Storage metrics unavailable: ${st.error?.message ?? ''}` : st ? 'No storage metrics (new or empty bucket, or metrics not yet published).' : 'Expand the region to load storage metrics.').para();
    }
    if (findings) md.text(`${findings} active Security Hub finding${findings === 1 ? '' : 's'}`);
    return md.markdown;
  }

  /** Most bytes in S3 Standard and no lifecycle rule (see needsLifecycleHint). */
  lifecycleHint(): boolean {
    const s = this.tree.env.model.storage.get(this.region)?.data.get(this.name);
    return !!s && needsLifecycleHint(s.bytesByType, this.posture()?.hasLifecycle ?? false);
  }
}

export class PrefixNode extends FolderNode {
  readonly id: string;
  constructor(tree: BucketsTree, private readonly bucket: BucketNode, readonly prefix: string, private readonly parent: FolderNode) {
    super(tree, prefix);
    this.id = `${bucket.id}/p/${prefix}`;
  }
  protected bucketNode() { return this.bucket; }
  getParent() { return this.parent; }
  get uri() { return s3Uri(this.bucket.name, this.prefix); }

  getTreeItem(): vscode.TreeItem {
    const parentPrefix = this.parent instanceof PrefixNode ? this.parent.prefix : '';
    const segment = segmentOf(this.prefix, parentPrefix);
    const part = hivePartition(segment);
    const item = new vscode.TreeItem(part ? `${part.key} = ${part.value}` : `${segment}/`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(part ? 'symbol-field' : 'folder');
    const inner = this.partitionKey();
    item.description = part ? (inner ? vscode.l10n.t('partition · by {0}', inner) : vscode.l10n.t('partition')) : inner ? vscode.l10n.t('partitioned by {0}', inner) : undefined;
    item.tooltip = textTooltip(`${this.uri}${part ? `\n\nHive partition: ${part.key} = ${part.value}` : ''}`);
    item.contextValue = part ? 'prefix+partition' : 'prefix';
    return item;
  }
}

export class ObjectNode implements TreeNode {
  readonly id: string;
  constructor(readonly bucket: BucketNode, public entry: ObjectEntry, private readonly parent: FolderNode) {
    this.id = `${bucket.id}/o/${entry.key}`;
  }
  get key() { return this.entry.key; }
  get uri() { return s3Uri(this.bucket.name, this.entry.key); }
  getParent() { return this.parent; }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(basename(this.key), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = vscode.ThemeIcon.File;
    item.resourceUri = vscode.Uri.from({ scheme: 'cloudmonitor-s3', path: `/${this.bucket.name}/${this.key}` });
    const parts = [formatBytes(this.entry.size)];
    if (this.entry.storageClass && this.entry.storageClass !== 'STANDARD') parts.push(this.entry.storageClass);
    if (this.entry.lastModified) parts.push(this.entry.lastModified.slice(0, 16).replace('T', ' '));
    item.description = parts.join(' · ');
    item.tooltip = textTooltip(`${this.uri}\n\n${this.entry.size.toLocaleString('en-US')} bytes · ${this.entry.storageClass ?? 'STANDARD'}${this.entry.lastModified ? ` · modified ${this.entry.lastModified}` : ''}`);
    item.contextValue = 'object';
    item.command = { command: 'cloudMonitor.buckets.openObject', title: vscode.l10n.t('Open Preview'), arguments: [this] };
    return item;
  }
}

export type BucketTreeNode = RegionNode | BucketNode | PrefixNode | ObjectNode;
