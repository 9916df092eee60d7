// The results webview's labels (webview/results/), made by the host with vscode.l10n.
import { LATER, LATER1, type L10n } from '../strings';

export function resultsStrings(l10n: L10n) {
  return {
    tabResults: l10n.t('Results'),
    tabChart: l10n.t('Chart'),
    tabStats: l10n.t('Stats'),
    filterColumnTitle: l10n.t('Column to filter'),
    filterPlaceholder: l10n.t('Filter: text, > 10, = value, is null'),
    filterTitle: l10n.t('Text: rows with a cell that contains it. > 10, <= 2024-05-01, = value, != value: compared on the chosen column, or on All columns: a number against the number columns, a date against the date and time columns, other text against the text columns. is null, is not null: empty cells.'),
    cancel: l10n.t('Cancel'),
    cancelTitle: l10n.t('Stop sorting or filtering; the rows stay as they were'),
    copy: l10n.t('Copy'),
    copyTitle: l10n.t('Copy the selection (Ctrl+C)'),
    copyWithHeader: l10n.t('Copy with Header'),
    copyWithHeaderTitle: l10n.t('Copy the selection with column names (Ctrl+Shift+C)'),
    copyForSpreadsheet: l10n.t('Copy for Spreadsheet'),
    copyForSpreadsheetTitle: l10n.t("Copy the selection with column names, safe to paste into a spreadsheet: cells that start with = + - @ get a leading ' so they are not run as formulas"),
    csv: l10n.t('CSV'),
    csvTitle: l10n.t('Export every row of this view to a CSV file: safe for spreadsheets (the default) or exact values'),
    json: l10n.t('JSON'),
    jsonTitle: l10n.t('Export every row of this view to a JSON file'),
    splitByTitle: l10n.t('One series per value of this column'),
    chartTypeLabel: l10n.t('Type'),
    chartXLabel: l10n.t('X'),
    chartYLabel: l10n.t('Y'),
    splitBy: l10n.t('Split by'),
    chartLine: l10n.t('Line'),
    chartBar: l10n.t('Bar'),
    chartArea: l10n.t('Area'),
    chartScatter: l10n.t('Scatter'),
    none: l10n.t('(none)'),
    sortingFiltering: l10n.t('Sorting and filtering…'),
    /** {0}: the percentage done */
    sortingFilteringPercent: l10n.t('Sorting and filtering… {0}%', LATER),
    /** {0}: the error message */
    couldNotApply: l10n.t('Could not apply: {0}', LATER),
    allColumns: l10n.t('All columns'),
    /** {0}: a number of rows: 1 */
    oneRow: l10n.t('{0} row', LATER),
    /** {0}: a number of rows other than 1 */
    rows: l10n.t('{0} rows', LATER),
    /** {0}: how many rows were loaded */
    filteredFrom: l10n.t('filtered from {0}', LATER),
    /** {0}: the column, {1}: ▲ or ▼ */
    sortedBy: l10n.t('sorted by {0} {1}', LATER, LATER1),
    partial: l10n.t('(of the rows loaded so far)'),
    /** {0}: how many rows so far: 1 */
    loadingOneRow: l10n.t('Loading… {0} row', LATER),
    /** {0}: how many rows so far, other than 1 */
    loadingRows: l10n.t('Loading… {0} rows', LATER),
    failed: l10n.t('Failed'),
    rowsReadVia: l10n.t('Rows read via'),
    query: l10n.t('Query'),
    chooseY: l10n.t('Choose a Y column.'),
    noNumericColumn: l10n.t('No numeric column to chart.'),
    computing: l10n.t('Computing…'),
    /** {0}: how many points */
    points: l10n.t('{0} points', LATER),
    stillLoading: l10n.t('still loading'),
    /** {0}: the error message */
    couldNotChart: l10n.t('Could not chart: {0}', LATER),
    nothingSelected: l10n.t('Nothing selected to copy: click a cell first (Shift+click or drag to select more).'),
    /** {0}: 1 */
    copiedOneRow: l10n.t('Copied {0} row.', LATER),
    /** {0}: a number of rows other than 1 */
    copiedRows: l10n.t('Copied {0} rows.', LATER),
    /** {0}: the error message */
    copyFailed: l10n.t('Copy failed: {0}', LATER),
    /** {0}: the file */
    exportedTo: l10n.t('Exported to {0}', LATER),
    /** {0}: the error message */
    exportFailed: l10n.t('Export failed: {0}', LATER),
    /** A column header's tooltip. {0}: the column, {1}: its type */
    headerTitle: l10n.t('{0}: {1}\nClick to sort.', LATER, LATER1),
    emptyString: l10n.t('(empty string)'),
  };
}

export type ResultsStrings = ReturnType<typeof resultsStrings>;
