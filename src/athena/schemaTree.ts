// The Athena Schema view: catalogs → databases → tables and views → columns (partition keys marked).
// Read with ListDataCatalogs, ListDatabases and ListTableMetadata, cached on disk (1 hour), with a
// refresh. Clicking an item inserts its name into the active editor. Completion reads the same cache.
import * as vscode from 'vscode';
import { textTooltip } from '../tree/tooltip';
import { AthenaClient } from '@aws-sdk/client-athena';
import { GlueClient } from '@aws-sdk/client-glue';
import type { Ctx } from '../context';
import type { TreeNode } from '../tree/nodes';
import type { AthenaQueryContext } from './queryContext';
import { fetchCatalogs, fetchDatabases, fetchTables, isView, quoteIdent, type ColumnMeta, type TableMeta } from './schema';

const TTL_MS = 60 * 60_000;

/** Schema reads through memory and the disk cache; refresh() makes the next reads go to AWS. */
export class SchemaService {
  private readonly memory = new Map<string, unknown>();
  private refreshedAt = 0;

  constructor(private readonly ctx: Ctx) {
    ctx.own(ctx.connection.onDidChange(() => this.memory.clear()));
  }

  /** Whose schema: the profile, region and Athena endpoint in force now (an endpoint's user:password never kept). */
  private key(...parts: string[]): string {
    const { profile, region } = this.ctx.connection;
    const endpoint = this.ctx.connection.endpointFor('Athena')?.url.replace(/\/\/[^/@]*@/, '//') ?? '';
    return JSON.stringify(['athena-schema', profile ?? '', region ?? '', endpoint, ...parts]);
  }

  /**
   * Memory, then the disk cache, then `fetch` (which makes its clients when called). If the connection changed
   * while the disk answered, the read starts again for the one in force: `fetch` would ask the new connection and
   * its answer would be filed under the old one's key (for the cache's hour).
   */
  private async read<T>(parts: string[], fetch: () => Promise<T>): Promise<T> {
    const key = this.key(...parts);
    if (this.memory.has(key)) return this.memory.get(key) as T;
    const hit = await this.ctx.cache.get<T>(key, TTL_MS);
    if (this.key(...parts) !== key) return this.read(parts, fetch);
    if (hit?.fresh && hit.storedAt >= this.refreshedAt) {
      this.memory.set(key, hit.value);
      return hit.value;
    }
    try {
      const value = await fetch();
      await this.ctx.cache.set(key, value);
      this.memory.set(key, value);
      return value;
    } catch (err) {
      // Offline or denied: an old copy is better than nothing.
      if (hit) return hit.value;
      throw err;
    }
  }

  private athena(): AthenaClient { return this.ctx.connection.client(AthenaClient); }

  catalogs(): Promise<string[]> { return this.read(['catalogs'], () => fetchCatalogs(this.athena())); }
  databases(catalog: string): Promise<string[]> { return this.read(['databases', catalog], () => fetchDatabases(this.athena(), catalog)); }
  tables(catalog: string, database: string): Promise<TableMeta[]> { return this.read(['tables', catalog, database], () => fetchTables(this.athena(), catalog, database, this.ctx.connection.client(GlueClient))); }

  /** Tables already known (memory or disk, even stale); never calls AWS. For completion. */
  async knownTables(catalog: string, database: string): Promise<TableMeta[] | undefined> {
    if (!this.ctx.connection.isReady) return undefined;
    const key = this.key('tables', catalog, database);
    if (this.memory.has(key)) return this.memory.get(key) as TableMeta[];
    return (await this.ctx.cache.get<TableMeta[]>(key, TTL_MS))?.value;
  }

  async knownDatabases(catalog: string): Promise<string[] | undefined> {
    if (!this.ctx.connection.isReady) return undefined;
    const key = this.key('databases', catalog);
    if (this.memory.has(key)) return this.memory.get(key) as string[];
    return (await this.ctx.cache.get<string[]>(key, TTL_MS))?.value;
  }

  refresh(): void {
    this.memory.clear();
    this.refreshedAt = Date.now();
  }
}

function insertCommand(text: string): vscode.Command {
  return { command: 'cloudMonitor.athena.insertName', title: vscode.l10n.t('Insert Name'), arguments: [text] };
}

class CatalogNode implements TreeNode {
  readonly id: string;
  constructor(private readonly schema: SchemaService, private readonly qc: AthenaQueryContext, readonly catalog: string) {
    this.id = `athena/${catalog}`;
  }
  getTreeItem(): vscode.TreeItem {
    const current = this.qc.value.catalog === this.catalog;
    const item = new vscode.TreeItem(this.catalog, current ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('library');
    item.description = current ? vscode.l10n.t('current') : undefined;
    item.contextValue = 'athenaCatalog';
    item.command = insertCommand(quoteIdent(this.catalog));
    return item;
  }
  async getChildren(): Promise<TreeNode[]> {
    const dbs = await this.schema.databases(this.catalog);
    if (!dbs.length) return [new EmptyNode(`${this.id}/empty`, 'No databases', this)];
    return dbs.map((db) => new DatabaseNode(this.schema, this.qc, this, db));
  }
}

class DatabaseNode implements TreeNode {
  readonly id: string;
  constructor(private readonly schema: SchemaService, private readonly qc: AthenaQueryContext, private readonly parent: CatalogNode, readonly database: string) {
    this.id = `${parent.id}/${database}`;
  }
  getTreeItem(): vscode.TreeItem {
    const v = this.qc.value;
    const current = v.catalog === this.parent.catalog && v.database === this.database;
    const item = new vscode.TreeItem(this.database, current ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('database');
    item.description = current ? vscode.l10n.t('current') : undefined;
    item.contextValue = 'athenaDatabase';
    item.command = insertCommand(quoteIdent(this.database));
    return item;
  }
  async getChildren(): Promise<TreeNode[]> {
    const tables = await this.schema.tables(this.parent.catalog, this.database);
    if (!tables.length) return [new EmptyNode(`${this.id}/empty`, 'No tables or views', this)];
    return tables.map((t) => new TableNode(this, t));
  }
  getParent() { return this.parent; }
}

class TableNode implements TreeNode {
  readonly id: string;
  constructor(private readonly parent: DatabaseNode, readonly table: TableMeta) {
    this.id = `${parent.id}/${table.name}`;
  }
  getTreeItem(): vscode.TreeItem {
    const t = this.table;
    const item = new vscode.TreeItem(t.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(isView(t) ? 'eye' : 'table');
    const parts = [isView(t) ? 'view' : `${t.columns.length} columns`];
    if (t.partitionKeys.length) parts.push(`partitioned by ${t.partitionKeys.map((p) => p.name).join(', ')}`);
    item.description = parts.join(' · ');
    item.tooltip = textTooltip(`${this.parent.database}.${t.name} (${t.type})\n${parts.join(' · ')}`);
    item.contextValue = isView(t) ? 'athenaTable+view' : 'athenaTable';
    item.command = insertCommand(`${quoteIdent(this.parent.database)}.${quoteIdent(t.name)}`);
    return item;
  }
  getChildren(): TreeNode[] {
    return [
      ...this.table.columns.map((c) => new ColumnNode(this, c, false)),
      ...this.table.partitionKeys.map((c) => new ColumnNode(this, c, true)),
    ];
  }
  getParent() { return this.parent; }
}

class ColumnNode implements TreeNode {
  readonly id: string;
  constructor(private readonly parent: TableNode, private readonly column: ColumnMeta, private readonly partition: boolean) {
    this.id = `${parent.id}/${partition ? 'p:' : 'c:'}${column.name}`;
  }
  getTreeItem(): vscode.TreeItem {
    const c = this.column;
    const item = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.partition ? 'key' : 'symbol-field');
    item.description = this.partition ? vscode.l10n.t('{0} · partition key', c.type) : c.type;
    item.tooltip = textTooltip(`${c.name}: ${c.type}${this.partition ? ' (partition key)' : ''}${c.comment ? `\n${c.comment}` : ''}`);
    item.contextValue = this.partition ? 'athenaColumn+partition' : 'athenaColumn';
    item.command = insertCommand(quoteIdent(c.name));
    return item;
  }
  getParent() { return this.parent; }
}

class EmptyNode implements TreeNode {
  constructor(readonly id: string, private readonly label: string, private readonly parent: TreeNode) {}
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('info');
    item.contextValue = 'info';
    return item;
  }
  getParent() { return this.parent; }
}

export async function schemaRoots(schema: SchemaService, qc: AthenaQueryContext): Promise<TreeNode[]> {
  const catalogs = await schema.catalogs();
  return catalogs.map((c) => new CatalogNode(schema, qc, c));
}
