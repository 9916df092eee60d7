// The finding detail webview's labels (webview/finding/main.ts), made by the host with vscode.l10n.
import { LATER, LATER1, LATER2, type L10n } from '../webview/strings';

export function findingStrings(l10n: L10n) {
  return {
    notePlaceholder: l10n.t('Note (optional): why this status'),
    /** {0}: the workflow status being set */
    setting: l10n.t('Setting {0}…', LATER),
    /** {0}: the error message */
    failed: l10n.t('Failed: {0}', LATER),
    /** {0}: how many more resources the finding names */
    moreResources: l10n.t('(+{0} more)', LATER),
    revealBucket: l10n.t('Reveal bucket'),
    noRemediation: l10n.t('No remediation text.'),
    openRemediation: l10n.t('Open remediation link'),
    notHttps: l10n.t('Only https: links are opened, and this one is not.'),
    openInConsole: l10n.t('Open in Console'),
    summary: l10n.t('Summary'),
    resource: l10n.t('Resource'),
    workflow: l10n.t('Workflow'),
    compliance: l10n.t('Compliance'),
    product: l10n.t('Product'),
    firstSeen: l10n.t('First seen'),
    lastSeen: l10n.t('Last seen'),
    accountRegion: l10n.t('Account · Region'),
    types: l10n.t('Types'),
    note: l10n.t('Note'),
    /** {0}: the note, {1}: who wrote it, {2}: when */
    noteBy: l10n.t('{0} ({1}, {2})', LATER, LATER1, LATER2),
    description: l10n.t('Description'),
    noDescription: l10n.t('No description.'),
    remediation: l10n.t('Remediation'),
    triage: l10n.t('Triage'),
    /** A V2 (OCSF) finding's console calls NOTIFIED "In progress" (status_id 2). */
    inProgress: l10n.t('In progress'),
    notified: l10n.t('Notified'),
    resolved: l10n.t('Resolved'),
    suppressed: l10n.t('Suppressed'),
    /** {0}: the finding id */
    findingId: l10n.t('Finding id: {0}', LATER),
    /** " UTC" after a date and time */
    utc: l10n.t('{0} UTC', LATER),
  };
}

export type FindingStrings = ReturnType<typeof findingStrings>;
