// The finding detail webview's messages. Shared by src/findings/detailPanel.ts and
// webview/finding/main.ts: no vscode or DOM import.
import type { Spec } from '../webview/protocol';
import type { FindingSummary, WorkflowTarget } from './model';
import type { FindingStrings } from './detailStrings';

export interface FindingView extends FindingSummary {
  /** The bucket this finding is about, when its resource is an S3 bucket. */
  bucket?: string;
  /** The remediation URL when it is an https: address (safeLink); absent otherwise. */
  safeRemediationUrl?: string;
}

/** What the webview keeps with setState, so a restored panel can ask for the finding again. */
export interface FindingPanelState { id: string; productArn: string; source?: 'cspm' | 'v2'; accountId?: string; member?: string; finding?: FindingView }

export interface FindingDetailSpec extends Spec {
  hostRequests: {
    triage: { params: { status: WorkflowTarget; note: string }; result: { ok: boolean; message: string } };
    openRemediation: { params: undefined; result: boolean };
    revealBucket: { params: undefined; result: boolean };
    openInConsole: { params: undefined; result: boolean };
  };
  toWebview: {
    finding: FindingView;
    /** The finding could not be loaded (restored panel, no connection…). */
    unavailable: { message: string };
  };
  toHost: Record<string, never>;
  strings: FindingStrings;
}
