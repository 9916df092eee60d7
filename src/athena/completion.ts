// Completion of database, table and column names in SQL editors, from the schema the Athena Schema
// view has already read (memory or disk cache). It never calls AWS itself.
import * as vscode from 'vscode';
import { textTooltip } from '../tree/tooltip';
import type { AthenaQueryContext } from './queryContext';
import type { SchemaService } from './schemaTree';
import { quoteIdent, type TableMeta } from './schema';
import { qualifierBefore, referencedTables, splitStatements, statementAt } from './sql';

export class SchemaCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly schema: SchemaService, private readonly qc: AthenaQueryContext) {}

  async provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): Promise<vscode.CompletionItem[]> {
    const { catalog, database } = this.qc.value;
    const before = doc.lineAt(pos.line).text.slice(0, pos.character);
    const offset = doc.offsetAt(pos);
    const stmt = statementAt(splitStatements(doc.getText()), offset);
    const refs = stmt ? referencedTables(stmt.text) : [];
    const qualifier = qualifierBefore(before);
    const tablesOf = async (db: string) => (await this.schema.knownTables(catalog, db)) ?? [];

    if (qualifier) {
      // db. → its tables
      const dbs = (await this.schema.knownDatabases(catalog)) ?? [];
      if (dbs.includes(qualifier)) return (await tablesOf(qualifier)).map((t) => tableItem(t, qualifier));
      // table. or alias. → its columns
      const ref = refs.find((r) => r.alias === qualifier || r.table === qualifier);
      const table = (await tablesOf(ref?.database ?? database)).find((t) => t.name === (ref?.table ?? qualifier));
      return table ? columnItems(table) : [];
    }

    const items: vscode.CompletionItem[] = [];
    const current = database ? await tablesOf(database) : [];
    items.push(...current.map((t) => tableItem(t)));
    for (const db of (await this.schema.knownDatabases(catalog)) ?? []) {
      const item = new vscode.CompletionItem({ label: db, description: vscode.l10n.t('database') }, vscode.CompletionItemKind.Module);
      item.insertText = quoteIdent(db);
      items.push(item);
    }
    // Columns of the tables this statement reads.
    for (const ref of refs) {
      const table = (await tablesOf(ref.database ?? database)).find((t) => t.name === ref.table);
      if (table) items.push(...columnItems(table));
    }
    return items;
  }
}

function tableItem(t: TableMeta, database?: string): vscode.CompletionItem {
  const item = new vscode.CompletionItem({ label: t.name, description: /VIEW/i.test(t.type) ? vscode.l10n.t('view') : vscode.l10n.t('table') }, vscode.CompletionItemKind.Class);
  item.insertText = quoteIdent(t.name);
  item.detail = `${database ? `${database}.` : ''}${t.name}: ${t.columns.length} columns`;
  item.documentation = textTooltip([...t.columns, ...t.partitionKeys].map((c) => `${c.name} ${c.type}`).join('\n'));
  return item;
}

function columnItems(t: TableMeta): vscode.CompletionItem[] {
  return [...t.columns.map((c) => ({ c, p: false })), ...t.partitionKeys.map((c) => ({ c, p: true }))].map(({ c, p }) => {
    const item = new vscode.CompletionItem({ label: c.name, description: `${c.type}${p ? ' · partition' : ''}`, detail: ` ${t.name}` }, vscode.CompletionItemKind.Field);
    item.insertText = quoteIdent(c.name);
    item.sortText = `0${c.name}`;
    if (c.comment) item.documentation = textTooltip(c.comment);
    return item;
  });
}
