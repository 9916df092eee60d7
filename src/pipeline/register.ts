// The Pipeline view and its commands: deploy (prompts, preview, progress), inspect, test event, logs,
// Athena, DLQ redrive and delete.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, type StackEvent } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Ctx } from '../context';
import { stackPagesOf } from '../aws/stackPages';
import { ErrorNode, InfoNode, type TreeNode } from '../tree/nodes';
import { readFromFirstPage } from '../tree/firstPage';
import { readingStacksNode, ROWS_PER_PAGE, ShownPages } from '../tree/paging';
import { registerTreeView } from '../tree/view';
import { keepRelativeTimesFresh } from '../tree/relativeTimes';
import { athenaQuery, countBucketContents, describeContents, emptyBuckets, formatLogEvents, stackBuckets, listApps, recentLogEvents, redriveDlq, sampleEvent, sendTestEvent } from './actions';
import { artifactBucketMemory } from './artifacts';
import { isIamChange, isReplacement, previewLines, previewSummary } from './changes';
import { claimStack, deleteStackAndWait, DeployInterrupted, DeployRefused, discardChangeSet, executeDeploy, firstFailure, prepareDeploy, stackPhase, type ChangeSetPreview, type DeployRequest } from './deploy';
import { consumerFigures, listPipelineStacks, listResources, queueFigures, queueNameFromUrl, recentEvents, resolveEndpoints, type PipelineStack } from './inspect';
import { paramSpecs } from './params';
import { askDeployAnswers, rememberAnswers } from './prompts';
import type { PipelineOutputs } from './stack';
import { parseTemplate } from './template';
import { DriftedResourceNode, DriftNode, OutputNode, ResourceNode, StackNode, type PipelineApi } from './tree';
import { AccountSessions, LookOnlyNode } from '../tree/accountGroup';
import { memberAccountId, type MemberClient } from '../buckets/memberApi';
import { detectStackDrift, formatResourceDrift, resourceDrifts, type StackDrift } from './drift';
import { formatPeek, maxReceiveCountOf, peekDlq } from './dlqPeek';
import { notify } from '../util/notify';
import { contextHeaderText } from '../athena/contextHeader';
import { WALKTHROUGH_DONE, walkthroughStepDone } from '../util/walkthrough';
import { OUTSIDE_LOG_LANGUAGE, OUTSIDE_TEXT_LANGUAGE } from '../util/outsideText';

export const VIEW_ID = 'cloudMonitor.pipeline';
const DOC_SCHEME = 'cloudmonitor-pipeline';
const AUTO_REFRESH_MS = 5000;

/** Read-only documents: change set previews, stack events, recent consumer logs. */
class Documents implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  provideTextDocumentContent(uri: vscode.Uri): string { return this.docs.get(uri.toString()) ?? ''; }
  async show(path: string, content: string, language?: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: DOC_SCHEME, path });
    this.docs.set(uri.toString(), content);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    if (language) await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Active });
  }
  dispose() { this.changed.dispose(); }
}

function formatEvent(e: StackEvent): string {
  return `${e.Timestamp?.toISOString() ?? '?'}  ${(e.LogicalResourceId ?? '?').padEnd(28)} ${(e.ResourceStatus ?? '').padEnd(20)} ${e.ResourceType ?? ''}${e.ResourceStatusReason ? `  ${e.ResourceStatusReason}` : ''}`;
}

export function register(ctx: Ctx): void {
  const { connection, log } = ctx;
  const docs = ctx.own(new Documents());
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(DOC_SCHEME, docs));
  const deploying = new Set<string>();
  let lastStacks: PipelineStack[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  /** This window's last drift detection per stack id (DescribeStacks' DriftInformation may lag, or be absent on an emulator). */
  const detectedDrift = new Map<string, StackDrift>();
  const driftOf = (s: PipelineStack): StackDrift | undefined => {
    const mine = detectedDrift.get(s.id);
    if (!mine) return s.drift;
    if (!s.drift?.checkedAt || !mine.checkedAt) return mine;
    return s.drift.checkedAt.getTime() > mine.checkedAt.getTime() ? s.drift : mine;
  };

  const accountId = async () => (await connection.identity()).account;
  const endpointsFor = async (stack: PipelineStack, region = connection.region ?? ''): Promise<Partial<PipelineOutputs>> =>
    resolveEndpoints(stack, await listResources(connection.client(CloudFormationClient, { region }), stack.name), region, await accountId());

  /** The view's fetches through `client` (the profile's, or one account's of a multi-account scope). */
  const apiOf = (client: MemberClient, account: () => Promise<string>, idPrefix?: string, region = connection.region ?? ''): PipelineApi => ({
    region,
    listStacks: (onPage) => listPipelineStacks(client(CloudFormationClient), onPage),
    resources: (s) => listResources(client(CloudFormationClient), s.name),
    endpoints: (s, resources) => account().then((acct) => resolveEndpoints(s, resources, region, acct)),
    queue: (url) => queueFigures(client(SQSClient), url),
    consumer: (ep) => consumerFigures(client(CloudWatchClient), ep),
    events: (s) => recentEvents(client(CloudFormationClient), s.name),
    driftOf,
    resourceDrifts: (s) => resourceDrifts(client(CloudFormationClient), s.name),
    now: () => ctx.clock.now(),
    idPrefix,
  });
  // The profile's stacks through the connection's DescribeStacks read, shared with the Alerts and Logs views.
  const api = (): PipelineApi => ({ ...apiOf((ctor) => connection.client(ctor), accountId), listStacks: (onPage) => listPipelineStacks(stackPagesOf(connection, freshSince), onPage) });

  // A scope of several accounts or regions: account → region → that account's pipeline stacks in that region,
  // to look at only (no deploy, delete or redrive there: those act on the profile's own account and region);
  // src/tree/accountGroup.ts.
  const accounts = new AccountSessions<PipelineApi>(VIEW_ID, ({ member, region: placeRegion, node }): PipelineApi => {
    const region = placeRegion || connection.region || 'us-east-1';
    const client: MemberClient = (ctor, opts) => ctx.scope.client(connection, member, ctor, { ...opts, region: opts?.region ?? region });
    return apiOf(client, memberAccountId(member, client, region), `${node.id}/`, region);
  }, async (a, { node }) => {
    const stacks = await a.listStacks();
    if (!stacks.length) return [new InfoNode(`${node.id}/none`, vscode.l10n.t('No pipeline stack in {0}', a.region), { icon: 'info', parent: node })];
    return stacks.map((st) => new LookOnlyNode(new StackNode(a, st), node));
  });
  ctx.own(connection.onDidChange(() => accounts.clear()));

  /** The stack items on screen, redrawn by the relative-time timer. */
  let shownStacks: StackNode[] = [];
  // The stacks show from the first DescribeStacks page that has some (every page must be read: stacks are found
  // by tag); the view redraws from memory with all of them when the last page is read. A redraw meanwhile (Load
  // more, VS Code asking again) draws the stacks so far; only reload() (a refresh, a deploy, another connection)
  // reads them again. `reading` is the read in progress.
  let stale = true;
  let reading: { error?: unknown } | undefined;
  /**
   * A shared DescribeStacks read (src/aws/stackPages.ts) that started before this is not joined: after a deploy,
   * a delete, a refresh or a stack event the view reads the pages again; when it opens it may join one running.
   */
  let freshSince = 0;
  const reloadShown = () => {
    stale = true;
    provider.refresh();
  };
  const reload = () => {
    freshSince = Date.now();
    reloadShown();
  };
  // Many stacks: a page at a time; Load more redraws from the stacks already listed (no AWS call).
  const pages = new ShownPages(ROWS_PER_PAGE, () => provider.refresh());
  ctx.own(connection.onDidChange(() => {
    pages.reset();
    stale = true;
    reading = undefined;
  }));
  const readStacks = async (a: PipelineApi): Promise<PipelineStack[]> => {
    const mine: { error?: unknown } = {};
    reading = mine;
    stale = false;
    const read = readFromFirstPage<PipelineStack>((onPage) => a.listStacks((soFar) => {
      if (reading === mine) lastStacks = [...soFar];
      onPage(soFar);
    }));
    const first = await read.first.catch((err: unknown) => {
      if (reading === mine) {
        reading = undefined;
        stale = true;
      }
      throw err;
    });
    if (read.done) {
      if (reading === mine) reading = undefined;
      return read.all;
    }
    // Shown from a first page: the rest (or why it could not be read) is drawn from memory when the read ends.
    read.all.then(
      (all) => { if (reading === mine) { lastStacks = all; reading = undefined; provider.refresh(); } },
      (err: unknown) => { if (reading === mine) { mine.error = err; provider.refresh(); } },
    );
    return first;
  };
  const { provider, view } = registerTreeView(ctx, VIEW_ID, async () => {
    const grouped = await ctx.scope.grouping();
    if (grouped) return accounts.roots(grouped.members, grouped.regions);
    const a = api();
    const stacks = stale ? await readStacks(a) : lastStacks;
    lastStacks = stacks;
    scheduleAutoRefresh();
    const more: TreeNode[] = [];
    if (reading?.error) more.push(new ErrorNode('pipeline/stacks-error', reading.error, reload));
    else if (reading) more.push(readingStacksNode('pipeline/stacks-reading', stacks.length));
    if (!stacks.length && !more.length) {
      return [
        new InfoNode('pipeline/none', vscode.l10n.t('No pipeline stack in {0}', a.region), {
          icon: 'info',
          tooltip: vscode.l10n.t('Stacks tagged cloud-monitor:pipeline=true are listed here. Deploy Pipeline creates one.'),
          description: vscode.l10n.t('Deploy Pipeline…'),
          command: { command: 'cloudMonitor.pipeline.deploy', title: vscode.l10n.t('Deploy Pipeline') },
        }),
      ];
    }
    const nodes = pages.page('pipeline/stacks', stacks, (s) => new StackNode(a, s));
    shownStacks = nodes.filter((n): n is StackNode => n instanceof StackNode);
    return [...nodes, ...more];
  });
  // "just now" after a deploy ages while the view shows: redraw the stack items only; their folders keep
  // what they loaded, so no AWS call.
  ctx.own(keepRelativeTimesFresh(view, ctx.clock, () => shownStacks.forEach((n) => provider.refresh(n))));

  /** While a stack operation runs and the view is visible, refresh every few seconds. */
  function scheduleAutoRefresh(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const busy = deploying.size > 0 || lastStacks.some((s) => ['busy', 'review'].includes(stackPhase(s.status)));
    if (busy && view.visible) timer = setTimeout(reload, AUTO_REFRESH_MS);
  }
  ctx.own(view.onDidChangeVisibility((e) => (e.visible ? reloadShown() : timer && clearTimeout(timer))));
  ctx.own({ dispose: () => timer && clearTimeout(timer) });

  const onEvent = (stackName: string) => (e: StackEvent) => {
    log.append(`[${stackName}] ${formatEvent(e)}`);
    if (view.visible) reload();
  };

  async function pickStack(arg: unknown, purpose: string): Promise<PipelineStack | undefined> {
    if (arg instanceof StackNode) return arg.stack;
    const stacks = await listPipelineStacks(connection.client(CloudFormationClient));
    if (!stacks.length) {
      void notify.info(vscode.l10n.t('No pipeline stack in {0}. Deploy one first.', String(connection.region)), vscode.l10n.t('Deploy Pipeline')).then((p) => p && vscode.commands.executeCommand('cloudMonitor.pipeline.deploy'));
      return undefined;
    }
    if (stacks.length === 1) return stacks[0];
    const pick = await vscode.window.showQuickPick(stacks.map((s) => ({ label: s.name, description: s.status, s })), { title: purpose, placeHolder: vscode.l10n.t('Pipeline stack') });
    return pick?.s;
  }

  async function confirmPreview(p: ChangeSetPreview, region: string): Promise<boolean> {
    // IAM changes are listed apart and must be acknowledged, as CAPABILITY_IAM is in the console.
    const iam = previewLines(p.rows.filter(isIamChange));
    const other = previewLines(p.rows.filter((r) => !isIamChange(r)));
    const header = `${p.type === 'CREATE' ? 'Create' : 'Update'} pipeline stack ${p.stackName} in ${region}: ${p.rows.length ? previewSummary(p.rows) : 'no resource changes (parameters or outputs only)'}`;
    const iamSection = iam.length ? [`IAM changes (${iam.length}): the consumer's permissions. Deploying acknowledges them (CAPABILITY_IAM).`, ...iam, ''] : [];
    await docs.show(`/preview/${p.stackName}.txt`, `${header}\n\n${[...iamSection, ...(iam.length ? [`Other changes (${other.length}):`] : []), ...other].join('\n')}\n`);
    const shownIam = iam.slice(0, 6);
    const shown = other.slice(0, Math.max(4, 12 - shownIam.length));
    const hidden = iam.length - shownIam.length + other.length - shown.length;
    const detail = [
      p.rows.length ? previewSummary(p.rows) : 'No resource changes: only parameters or outputs change.',
      ...(iam.length ? ['', `IAM changes to acknowledge (${iam.length}):`, ...shownIam, '', `Other changes (${other.length}):`] : ['']),
      ...shown,
      ...(hidden > 0 ? [`… ${hidden} more in the preview editor`] : []),
    ].join('\n');
    const risky = p.rows.some((r) => r.action === 'Remove' || isReplacement(r)) || iam.length > 0;
    const verb = p.type === 'CREATE' ? 'Create Stack' : 'Update Stack';
    const action = iam.length ? `Acknowledge ${iam.length} IAM Change${iam.length === 1 ? '' : 's'} and ${verb}` : verb;
    const show = risky ? notify.warn : notify.info;
    return (await show(`${p.type === 'CREATE' ? 'Create' : 'Update'} pipeline stack "${p.stackName}" in ${region}?`, { modal: true, detail }, action)) === action;
  }

  async function showEvents(stackName: string, region: string): Promise<void> {
    const cf = connection.client(CloudFormationClient, { region });
    const events = await recentEvents(cf, stackName, 200);
    const failure = firstFailure(events, stackName);
    await docs.show(`/events/${stackName}.log`, `# ${stackName}: last ${events.length} stack events, newest first${failure ? `\n# First failure: ${failure.logicalId} (${failure.type}) ${failure.status}: ${failure.reason}` : ''}\n\n${events.map(formatEvent).join('\n')}\n`, OUTSIDE_LOG_LANGUAGE);
  }

  // From a stack's context menu, the stack's name is the default: the same path updates it.
  ctx.command('cloudMonitor.pipeline.deploy', async (node?: StackNode) => {
    const currentRegion = connection.region;
    if (!currentRegion) throw Object.assign(new Error('Select an AWS profile and region to connect.'), { name: 'NotConnected' });
    const account = await accountId();
    const templateBody = await readFile(join(ctx.extension.extensionPath, 'templates', 'pipeline.yaml'), 'utf8');
    const zip = await readFile(join(ctx.extension.extensionPath, 'dist', 'pipeline', 'consumer.zip')).catch(() => {
      throw new Error('The consumer package (dist/pipeline/consumer.zip) is missing from the extension. Rebuild it with `npm run build`.');
    });
    const answers = await askDeployAnswers(ctx.extension.globalState, account, currentRegion, paramSpecs(parseTemplate(templateBody)), node instanceof StackNode ? node.stack.name : undefined);
    if (!answers) return;
    await rememberAnswers(ctx.extension.globalState, account, answers);
    const { stackName, region } = answers;
    const req: DeployRequest = { stackName, region, accountId: account, templateBody, zip, parameters: answers.parameters, bucketMemory: artifactBucketMemory(ctx.extension.globalState) };
    const clients = { cf: connection.client(CloudFormationClient, { region }), s3: connection.client(S3Client, { region }), ddb: connection.client(DynamoDBClient, { region }) };

    let release: (() => void) | undefined;
    try {
      release = claimStack(req);
      deploying.add(stackName);
      log.info(`Deploy ${stackName} to ${region} (account ${account})`);
      const prepared = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deploy {0}', stackName), cancellable: true }, (progress, token) =>
        prepareDeploy(clients, req, {
          step: (m) => {
            progress.report({ message: m });
            log.info(`[${stackName}] ${m}`);
          },
          isCancelled: () => token.isCancellationRequested,
          confirmRecreate: async (status) =>
            (await notify.warn(
              vscode.l10n.t('Stack "{0}" is in {1}: its creation failed and it cannot be updated.', stackName, status),
              { modal: true, detail: vscode.l10n.t('Delete it and create it again? A stack in this state holds nothing usable.') },
              vscode.l10n.t('Delete and Recreate'),
            )) === vscode.l10n.t('Delete and Recreate'),
          onEvent: onEvent(stackName),
          pollMs: 1000,
        }),
      );
      if (prepared.kind === 'noChanges') {
        void notify.info(vscode.l10n.t('No changes: stack {0} already matches the template and these parameters.', stackName));
        return;
      }
      if (prepared.kind === 'cancelled') {
        log.info(`[${stackName}] cancelled (${prepared.stage})`);
        return;
      }
      if (!(await confirmPreview(prepared.preview, region))) {
        await discardChangeSet(clients.cf, prepared.preview);
        log.info(`[${stackName}] change set discarded`);
        void notify.info(vscode.l10n.t('Deploy of {0} cancelled; the change set was deleted.', stackName));
        return;
      }
      scheduleAutoRefresh();
      const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deploying {0}', stackName), cancellable: false }, (progress) =>
        executeDeploy(clients.cf, prepared.preview, {
          step: (m) => {
            progress.report({ message: m });
            log.info(`[${stackName}] ${m}`);
          },
          onEvent: onEvent(stackName),
          pollMs: 2000,
        }),
      );
      reload();
      if (outcome.kind === 'deployed') {
        walkthroughStepDone(WALKTHROUGH_DONE.pipelineDeployed);
        const elsewhere = region !== connection.region ? ` ${vscode.l10n.t('Switch to {0} to see it in the Pipeline view.', region)}` : '';
        void notify.info(outcome.preview.type === 'CREATE' ? vscode.l10n.t('Pipeline stack {0} created in {1} ({2}).{3}', stackName, region, outcome.status, elsewhere) : vscode.l10n.t('Pipeline stack {0} updated in {1} ({2}).{3}', stackName, region, outcome.status, elsewhere));
      } else if (outcome.kind === 'failed') {
        const f = outcome.failure;
        const msg = `Deploy of ${stackName} failed (${outcome.status})${f ? `: ${f.logicalId} (${f.type}) ${f.status}: ${f.reason}` : '.'}`;
        log.error(msg);
        void notify.error(msg, vscode.l10n.t('Show Events')).then((p) => void (p && showEvents(stackName, region)));
      }
    } catch (err) {
      if (err instanceof DeployRefused || err instanceof DeployInterrupted) {
        log.error(`[${stackName}] ${err.message}`, err instanceof DeployInterrupted ? err.cause : undefined);
        void notify.error(err.message, vscode.l10n.t('Show Log')).then((p) => p && log.show());
        return;
      }
      throw err;
    } finally {
      release?.();
      deploying.delete(stackName);
      scheduleAutoRefresh();
    }
  });

  ctx.command('cloudMonitor.pipeline.refresh', reload);

  ctx.command('cloudMonitor.pipeline.copyOutput', async (node?: OutputNode) => {
    if (!(node instanceof OutputNode)) return;
    await vscode.env.clipboard.writeText(node.value);
    vscode.window.setStatusBarMessage(`Copied ${node.key}`, 3000);
  });

  ctx.command('cloudMonitor.pipeline.showEvents', async (node?: StackNode) => {
    const stack = await pickStack(node, 'Show Stack Events');
    if (stack) await showEvents(stack.name, connection.region ?? '');
  });

  ctx.command('cloudMonitor.pipeline.sendTestEvent', async (node?: StackNode) => {
    const stack = await pickStack(node, 'Send Test Event');
    if (!stack) return;
    const ep = await endpointsFor(stack);
    if (!ep.IngestQueueUrl) throw new Error(`Stack ${stack.name} has no ingest queue yet.`);
    const editor = vscode.window.activeTextEditor;
    const text = editor && editor.document.uri.scheme !== 'output' ? editor.document.getText().trim() : '';
    const fromEditor = /^[[{]/.test(text);
    const body = fromEditor ? text : JSON.stringify(sampleEvent());
    const sent = await sendTestEvent(connection.client(SQSClient), ep.IngestQueueUrl, body);
    log.info(`[${stack.name}] test event ${sent.messageId} (${sent.appId}, ${sent.events} events) sent to ${ep.IngestQueueUrl}`);
    const queue = queueNameFromUrl(ep.IngestQueueUrl);
    void notify.info(fromEditor
      ? (sent.events === 1 ? vscode.l10n.t('Sent the JSON in the editor ({0} event of {1}) to {2}.', sent.events, sent.appId, queue) : vscode.l10n.t('Sent the JSON in the editor ({0} events of {1}) to {2}.', sent.events, sent.appId, queue))
      : (sent.events === 1 ? vscode.l10n.t('Sent a sample event ({0} event of {1}) to {2}.', sent.events, sent.appId, queue) : vscode.l10n.t('Sent a sample event ({0} events of {1}) to {2}.', sent.events, sent.appId, queue)));
    if (node instanceof StackNode) node.invalidate();
    provider.refresh(node instanceof StackNode ? node : undefined);
  });

  ctx.command('cloudMonitor.pipeline.tailLogs', async (node?: StackNode) => {
    const stack = await pickStack(node, 'Tail Consumer Logs');
    if (!stack) return;
    const ep = await endpointsFor(stack);
    if (!ep.ConsumerLogGroupName) throw new Error(`Stack ${stack.name} has no consumer log group yet.`);
    // The Logs feature tails live when it is installed; until then, the last hour's events.
    if ((await vscode.commands.getCommands(true)).includes('cloudMonitor.logs.tail')) {
      await vscode.commands.executeCommand('cloudMonitor.logs.tail', ep.ConsumerLogGroupName);
      return;
    }
    const events = await recentLogEvents(connection.client(CloudWatchLogsClient), ep.ConsumerLogGroupName, 60);
    await docs.show(`/logs/${stack.name}.log`, formatLogEvents(ep.ConsumerLogGroupName, events, 60), OUTSIDE_LOG_LANGUAGE);
  });

  ctx.command('cloudMonitor.pipeline.openInAthena', async (node?: StackNode) => {
    const stack = await pickStack(node, 'Open Data in Athena');
    if (!stack) return;
    const ep = await endpointsFor(stack);
    const apps = ep.StatusTableName ? await listApps(connection.client(DynamoDBClient), ep.StatusTableName).catch(() => []) : [];
    let appId: string | undefined;
    if (apps.length) {
      const other = '$(edit) Other app id…';
      const pick = await vscode.window.showQuickPick([...apps, other], { title: vscode.l10n.t('Open Data in Athena'), placeHolder: vscode.l10n.t('App whose events to query (the appid partition is injected: one app per query)') });
      if (!pick) return;
      appId = pick === other ? undefined : pick;
    }
    appId ??= await vscode.window.showInputBox({ title: vscode.l10n.t('Open Data in Athena'), prompt: vscode.l10n.t('App id to query'), validateInput: (v) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) ? undefined : vscode.l10n.t('An app id: letters, digits, . _ -')) });
    if (!appId) return;
    if (!ep.GlueDatabaseName || !ep.GlueTableName) throw new Error(`Stack ${stack.name} has no Glue table yet.`);
    // The query carries the pipeline's workgroup and database in its header, for that editor only: the
    // workspace's Athena context stays as it was (and outlives the pipeline). athenaQuery and the
    // header refuse names of any other shape than the stack's own.
    const sql = athenaQuery(ep.GlueDatabaseName, ep.GlueTableName, appId);
    const context = { workgroup: ep.WorkGroupName, database: ep.GlueDatabaseName };
    if ((await vscode.commands.getCommands(true)).includes('cloudMonitor.athena.newQuery')) {
      await vscode.commands.executeCommand('cloudMonitor.athena.newQuery', { sql, ...context });
    } else {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'sql', content: contextHeaderText(context) + sql }));
    }
  });

  /** Peeks at up to 10 DLQ messages and shows them in a read-only document. Nothing is deleted. */
  async function showDlqPeek(stack: PipelineStack, ep: Partial<PipelineOutputs>): Promise<number> {
    if (!ep.DeadLetterQueueUrl) throw new Error(`Stack ${stack.name} has no dead-letter queue yet.`);
    const sqs = connection.client(SQSClient);
    const [depth, maxReceiveCount] = await Promise.all([
      queueFigures(sqs, ep.DeadLetterQueueUrl).then((f) => f.visible, () => undefined),
      (ep.IngestQueueUrl ? maxReceiveCountOf(sqs, ep.IngestQueueUrl) : Promise.resolve(undefined)).catch(() => undefined).then((n) => n ?? (Number(stack.parameters.MaxReceiveCount) || undefined)),
    ]);
    const peek = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Peeking at the DLQ of {0}', stack.name) }, () => peekDlq(sqs, ep.DeadLetterQueueUrl!, { now: () => ctx.clock.now() }));
    log.info(`[${stack.name}] peeked ${peek.messages.length} DLQ messages; handed back ${peek.released}${peek.notReleased.length ? `, ${peek.notReleased.length} not handed back` : ''}`);
    await docs.show(`/dlq/${stack.name}-peek.txt`, formatPeek(peek, { stackName: stack.name, maxReceiveCount, depth }), OUTSIDE_TEXT_LANGUAGE);
    if (peek.notReleased.length) void notify.warn((peek.notReleased.length === 1 ? vscode.l10n.t('{0} peeked message could not be handed back: visible again within {1} s.', 1, peek.holdSeconds) : vscode.l10n.t('{0} peeked messages could not be handed back: visible again within {1} s.', peek.notReleased.length, peek.holdSeconds)));
    return peek.messages.length;
  }

  ctx.command('cloudMonitor.pipeline.peekDlq', async (node?: StackNode | ResourceNode) => {
    const stack = await pickStack(node instanceof ResourceNode ? node.parent.parent : node, 'Peek at DLQ Messages');
    if (!stack) return;
    await showDlqPeek(stack, await endpointsFor(stack));
  });

  ctx.command('cloudMonitor.pipeline.redriveDlq', async (node?: StackNode | ResourceNode) => {
    const stack = await pickStack(node instanceof ResourceNode ? node.parent.parent : node, 'Redrive DLQ');
    if (!stack) return;
    const ep = await endpointsFor(stack);
    if (!ep.DeadLetterQueueUrl || !ep.IngestQueueUrl) throw new Error(`Stack ${stack.name} has no queues yet.`);
    const sqs = connection.client(SQSClient);
    const { visible } = await queueFigures(sqs, ep.DeadLetterQueueUrl);
    if (visible === 0) {
      void notify.info(vscode.l10n.t('The dead-letter queue of {0} is empty.', stack.name));
      return;
    }
    const question = `Move about ${visible} message${visible === 1 ? '' : 's'} from the DLQ of "${stack.name}" back to its ingest queue?`;
    let go = await notify.warn(
      question,
      { modal: true, detail: vscode.l10n.t('Messages that failed for a transient reason will be processed again. Malformed messages will return to the DLQ: fix their producer first.\n\n"Peek First" shows up to 10 of them (body, reason, receive count) and deletes nothing.') },
      vscode.l10n.t('Redrive'),
      vscode.l10n.t('Peek First'),
    );
    if (go === vscode.l10n.t('Peek First')) {
      // The document stays open to read; the redrive waits for a click on the notification.
      const peeked = await showDlqPeek(stack, ep);
      go = await notify.info((peeked === 1 ? vscode.l10n.t('Peeked at {0} message of the DLQ of "{1}". Redrive about {2} to the ingest queue?', peeked, stack.name, visible) : vscode.l10n.t('Peeked at {0} messages of the DLQ of "{1}". Redrive about {2} to the ingest queue?', peeked, stack.name, visible)), vscode.l10n.t('Redrive'));
    }
    if (go !== 'Redrive') return;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Redriving the DLQ of {0}', stack.name) }, (progress) =>
      redriveDlq(sqs, { dlqUrl: ep.DeadLetterQueueUrl!, dlqArn: ep.DeadLetterQueueArn!, targetUrl: ep.IngestQueueUrl!, targetArn: ep.IngestQueueArn! }, { onProgress: (n) => progress.report({ message: `${n} moved` }) }),
    );
    if (result.fallbackReason) log.info(`[${stack.name}] StartMessageMoveTask unavailable (${result.fallbackReason}); received and resent instead`);
    void notify.info((result.moved === 1 ? vscode.l10n.t('Moved {0} message from the DLQ to the ingest queue of {1} ({2}).', result.moved, stack.name, result.method) : vscode.l10n.t('Moved {0} messages from the DLQ to the ingest queue of {1} ({2}).', result.moved, stack.name, result.method)));
    reload();
  });

  ctx.command('cloudMonitor.pipeline.detectDrift', async (node?: StackNode | DriftNode) => {
    const stack = await pickStack(node instanceof DriftNode ? node.parent : node, 'Detect Stack Drift');
    if (!stack) return;
    const cf = connection.client(CloudFormationClient);
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Detecting drift of {0}', stack.name), cancellable: true }, (progress, token) =>
      detectStackDrift(cf, stack.name, { isCancelled: () => token.isCancellationRequested, onStatus: (m) => progress.report({ message: m }) }),
    );
    if (result.kind === 'cancelled') {
      log.info(`[${stack.name}] drift detection ${result.detectionId}: stopped waiting (it goes on in CloudFormation)`);
      return;
    }
    const drift = result.drift!;
    detectedDrift.set(stack.id, { ...drift, checkedAt: drift.checkedAt ?? new Date(ctx.clock.now()), driftedCount: drift.driftedCount ?? result.drifts.length });
    log.info(`[${stack.name}] drift ${drift.status}: ${result.drifts.map((d) => `${d.LogicalResourceId} ${d.StackResourceDriftStatus}`).join(', ') || 'no drifted resources'}${result.reason ? ` (${result.reason})` : ''}`);
    reload();
    const failed = result.kind === 'failed' ? ` Some resources could not be checked: ${result.reason ?? 'no reason given'}` : '';
    if (drift.status === 'DRIFTED') void notify.warn(vscode.l10n.t('Stack {0} has drifted: {1} resource{2} modified or deleted outside CloudFormation (see Drift in the Pipeline view).{3}', stack.name, result.drifts.length, result.drifts.length === 1 ? '' : 's', failed));
    else void notify.info(vscode.l10n.t('Stack {0}: drift {1}.{2}', stack.name, drift.status, failed));
  });

  ctx.command('cloudMonitor.pipeline.showDrift', async (node?: DriftedResourceNode) => {
    if (!(node instanceof DriftedResourceNode)) return;
    const stack = node.parent.parent.stack;
    await docs.show(`/drift/${stack.name}/${node.drift.LogicalResourceId ?? 'resource'}.txt`, formatResourceDrift(stack.name, node.drift), OUTSIDE_TEXT_LANGUAGE);
  });

  ctx.command('cloudMonitor.pipeline.delete', async (node?: StackNode) => {
    const stack = await pickStack(node, 'Delete Pipeline');
    if (!stack) return;
    const region = connection.region ?? '';
    const cf = connection.client(CloudFormationClient);
    const buckets = await stackBuckets(cf, stack.name);
    const contents = buckets.length ? await countBucketContents(connection.client(S3Client), buckets) : undefined;
    const stored = contents ? contents.versions + contents.deleteMarkers : 0;
    // The safe choice comes first: it is the default button (Enter). The destructive one says what it destroys.
    const keepData = stored ? 'Delete Stack, Keep Stored Events' : 'Delete Stack';
    const emptyAndDelete = stored && contents ? `Delete ${describeContents(contents)} and the Stack` : undefined;
    const bucketText = buckets.join(' and ') || 'its buckets';
    const pick = await notify.warn(
      vscode.l10n.t('Delete the pipeline stack "{0}" in {1}?', stack.name, region),
      {
        modal: true,
        detail:
          vscode.l10n.t('This deletes its queues (with any events still waiting), the status and alert-state tables (turning off their deletion protection), the topic and its subscriptions, the consumer, the Glue table and the Athena workgroup.\n\n') +
          (emptyAndDelete && contents
            ? vscode.l10n.t('{0} hold {1}: the stored events. CloudFormation cannot delete a bucket that is not empty. "{2}" keeps them: the stack delete then stops at the buckets (DELETE_FAILED), and they stay yours. "{3}" deletes every object and version first, which loses the stored events for good.', bucketText, describeContents(contents), keepData, emptyAndDelete)
            : buckets.length ? (buckets.length > 1 ? vscode.l10n.t('{0} are empty: nothing stored is lost.', bucketText) : vscode.l10n.t('{0} is empty: nothing stored is lost.', bucketText)) : vscode.l10n.t('The stack has no buckets.')),
      },
      ...(emptyAndDelete ? [keepData, emptyAndDelete] : [keepData]),
    );
    if (!pick) return;
    deploying.add(stack.name);
    scheduleAutoRefresh();
    try {
      const status = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Deleting {0}', stack.name) }, async (progress) => {
        if (emptyAndDelete && pick === emptyAndDelete) {
          progress.report({ message: 'Emptying buckets' });
          const n = await emptyBuckets(connection.client(S3Client), buckets, (d) => progress.report({ message: `Emptying buckets: ${d} objects deleted` }));
          log.info(`[${stack.name}] deleted ${n} objects from ${buckets.join(', ')}`);
        }
        return deleteStackAndWait({ cf, ddb: connection.client(DynamoDBClient) }, stack.name, { step: (m) => progress.report({ message: m }), onEvent: onEvent(stack.name), pollMs: 2000 });
      });
      reload();
      if (status === 'DELETE_COMPLETE') void notify.info(vscode.l10n.t('Pipeline stack {0} deleted.', stack.name));
      else {
        const f = firstFailure(await recentEvents(cf, stack.id, 100), stack.name);
        void notify.error(vscode.l10n.t('Deleting {0} ended in {1}{2}', stack.name, status, f ? `: ${f.logicalId} ${f.status}: ${f.reason}` : '.'), vscode.l10n.t('Show Events')).then((p) => void (p && showEvents(stack.id, region)));
      }
    } catch (err) {
      if (err instanceof DeployInterrupted) {
        void notify.error(err.message, vscode.l10n.t('Show Log')).then((p) => p && log.show());
        return;
      }
      throw err;
    } finally {
      deploying.delete(stack.name);
      scheduleAutoRefresh();
    }
  });
}
