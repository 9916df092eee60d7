// The Athena schema: catalogs → databases → tables and views → columns (with partition keys).
// ListDataCatalogs, ListDatabases and ListTableMetadata, every page. No vscode import.
import {
  paginateListDataCatalogs, paginateListDatabases, paginateListTableMetadata, paginateListWorkGroups, type AthenaClient,
} from '@aws-sdk/client-athena';
import { paginateGetTables, type GlueClient } from '@aws-sdk/client-glue';

export const DEFAULT_CATALOG = 'AwsDataCatalog';

export interface ColumnMeta { name: string; type: string; comment?: string }
export interface TableMeta {
  name: string;
  /** EXTERNAL_TABLE, VIRTUAL_VIEW, MANAGED_TABLE … */
  type: string;
  columns: ColumnMeta[];
  partitionKeys: ColumnMeta[];
}

export function isView(t: TableMeta): boolean {
  return /VIEW/i.test(t.type);
}

/** Every catalog; AwsDataCatalog is always there in Athena (emulators may not list it). */
export async function fetchCatalogs(athena: AthenaClient): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListDataCatalogs({ client: athena }, {})) {
    for (const c of page.DataCatalogsSummary ?? []) if (c.CatalogName) names.push(c.CatalogName);
  }
  if (!names.includes(DEFAULT_CATALOG)) names.unshift(DEFAULT_CATALOG);
  return names;
}

export async function fetchDatabases(athena: AthenaClient, catalog: string): Promise<string[]> {
  const names: string[] = [];
  for await (const page of paginateListDatabases({ client: athena }, { CatalogName: catalog })) {
    for (const d of page.DatabaseList ?? []) if (d.Name) names.push(d.Name);
  }
  return names.sort((a, b) => a.localeCompare(b));
}

/**
 * Tables and views of a database: ListTableMetadata, every page. For AwsDataCatalog (which is the
 * Glue Data Catalog) a failure falls back to Glue GetTables when a Glue client is given: identities
 * allowed glue:GetTables but not athena:ListTableMetadata exist, and so do emulators without it.
 */
export async function fetchTables(athena: AthenaClient, catalog: string, database: string, glue?: GlueClient): Promise<TableMeta[]> {
  try {
    return await listTableMetadata(athena, catalog, database);
  } catch (err) {
    if (!glue || catalog !== DEFAULT_CATALOG) throw err;
    try {
      return await glueTables(glue, database);
    } catch {
      throw err;
    }
  }
}

async function glueTables(glue: GlueClient, database: string): Promise<TableMeta[]> {
  const tables: TableMeta[] = [];
  for await (const page of paginateGetTables({ client: glue }, { DatabaseName: database })) {
    for (const t of page.TableList ?? []) {
      if (!t.Name) continue;
      tables.push({
        name: t.Name,
        type: t.TableType ?? 'EXTERNAL_TABLE',
        columns: (t.StorageDescriptor?.Columns ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? '', comment: c.Comment || undefined })),
        partitionKeys: (t.PartitionKeys ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? '', comment: c.Comment || undefined })),
      });
    }
  }
  return tables.sort((a, b) => a.name.localeCompare(b.name));
}

async function listTableMetadata(athena: AthenaClient, catalog: string, database: string): Promise<TableMeta[]> {
  const tables: TableMeta[] = [];
  for await (const page of paginateListTableMetadata({ client: athena }, { CatalogName: catalog, DatabaseName: database })) {
    for (const t of page.TableMetadataList ?? []) {
      if (!t.Name) continue;
      tables.push({
        name: t.Name,
        type: t.TableType ?? 'EXTERNAL_TABLE',
        columns: (t.Columns ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? '', comment: c.Comment || undefined })),
        partitionKeys: (t.PartitionKeys ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? '', comment: c.Comment || undefined })),
      });
    }
  }
  return tables.sort((a, b) => a.name.localeCompare(b.name));
}

export async function fetchWorkGroups(athena: AthenaClient): Promise<{ name: string; state?: string; description?: string }[]> {
  const out: { name: string; state?: string; description?: string }[] = [];
  for await (const page of paginateListWorkGroups({ client: athena }, {})) {
    for (const w of page.WorkGroups ?? []) if (w.Name) out.push({ name: w.Name, state: w.State, description: w.Description || undefined });
  }
  return out;
}

/** Quotes an identifier for Athena when it is not a plain lower-case name. */
export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
