// The Getting Started walkthrough (package.json `contributes.walkthroughs`) checks a step off on a context key
// (`completionEvents: onContext:…`). Each key is set where the real thing has happened (Cost Explorer allowed,
// a query succeeded, a tail started, a stack deployed), not when a button was merely clicked. VS Code remembers a
// completed step, so setting a key once is enough.
import * as vscode from 'vscode';

export const WALKTHROUGH_DONE = {
  costsAllowed: 'cloudMonitor.walkthrough.costsAllowed',
  athenaQuerySucceeded: 'cloudMonitor.walkthrough.athenaQuerySucceeded',
  tailStarted: 'cloudMonitor.walkthrough.tailStarted',
  pipelineDeployed: 'cloudMonitor.walkthrough.pipelineDeployed',
} as const;

export function walkthroughStepDone(key: (typeof WALKTHROUGH_DONE)[keyof typeof WALKTHROUGH_DONE]): void {
  void vscode.commands.executeCommand('setContext', key, true);
}
