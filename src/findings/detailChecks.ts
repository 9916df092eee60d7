// What the finding detail webview may send the host, checked at run time before the host acts on it
// (src/webview/validate.ts). No vscode import: unit tests use the same checks.
import { check } from '../webview/validate';
import type { FindingDetailSpec } from './detailProtocol';
import { WORKFLOW_TARGETS } from './model';

/** Security Hub's limit for Note.Text (the webview's text area has the same maxlength). */
export const MAX_NOTE = 512;

/** What the finding webview may send, checked before the host acts on it. */
export const detailChecks = {
  triage: check.object<FindingDetailSpec['hostRequests']['triage']['params']>({ status: check.oneOf(WORKFLOW_TARGETS), note: check.string(MAX_NOTE) }),
  none: check.none,
};
