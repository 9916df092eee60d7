// Athena (Trino/Presto) column types → how the grid shows, sorts and charts them. Pure: no vscode.
import type { ColumnKind } from '../webview/results/protocol';

/** Maps a type name from ResultSetMetadata.ColumnInfo[].Type (or the Glue catalog) to a grid kind. */
export function athenaTypeToKind(type: string | undefined): ColumnKind {
  const t = (type ?? '').trim().toLowerCase();
  const base = t.replace(/\(.*$/s, '').replace(/<.*$/s, '').trim();
  switch (base) {
    case 'tinyint': case 'smallint': case 'integer': case 'int': case 'bigint':
    case 'double': case 'float': case 'real': case 'decimal': case 'numeric':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'varbinary': case 'binary':
      return 'binary';
    case 'array': case 'map': case 'row': case 'struct': case 'json':
      return 'json';
  }
  if (base.startsWith('timestamp')) return 'timestamp';
  if (base.startsWith('time')) return 'time';
  return 'text';
}
