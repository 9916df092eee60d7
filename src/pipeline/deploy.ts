// Deploying the pipeline stack: artifact upload, change set, preview, execution, progress. No vscode
// import: the command drives it through `DeployUi`, and the integration tests drive it directly.
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Change,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import type { S3Client } from '@aws-sdk/client-s3';
import { DescribeTableCommand, UpdateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { classifyAwsError, errorCode } from '../aws/errors';
import { changeRows, isNoChangeFailure, type ChangeRow } from './changes';
import { ArtifactRefused, uploadArtifact, type ArtifactBucketMemory, type CodeLocation } from './artifacts';
import { stackNameProblem } from './names';
import { PIPELINE_TAG } from './stack';
import { listResources } from './inspect';

export interface DeployClients {
  cf: CloudFormationClient;
  s3: S3Client;
  /** The stack's tables carry deletion protection: a delete (or a recreate) lifts it first. */
  ddb: DynamoDBClient;
}

export interface DeployRequest {
  stackName: string;
  region: string;
  accountId: string;
  templateBody: string;
  zip: Uint8Array;
  /** Every template parameter except the code location, which the deploy fills in. */
  parameters: Record<string, string>;
  /** Where the account's artifact bucket name (with its random tail) is remembered. */
  bucketMemory: ArtifactBucketMemory;
}

export interface ChangeSetPreview {
  id: string;
  stackName: string;
  type: 'CREATE' | 'UPDATE';
  rows: ChangeRow[];
}

export interface StackFailure {
  logicalId: string;
  type: string;
  status: string;
  reason: string;
}

export type DeployOutcome =
  | { kind: 'deployed'; status: string; preview: ChangeSetPreview }
  | { kind: 'noChanges' }
  | { kind: 'cancelled'; stage: string }
  | { kind: 'failed'; status: string; failure?: StackFailure; preview: ChangeSetPreview };

/** What the deploy needs from whoever runs it (the command's prompts and progress, or a test). */
export interface DeployUi {
  step(message: string): void;
  /** True once the user cancelled; checked between steps until execution starts. */
  isCancelled(): boolean;
  /** The stack is in ROLLBACK_COMPLETE (or a failed create): delete it and create it again? */
  confirmRecreate(status: string): Promise<boolean>;
  /** The change set is ready: execute it? */
  confirmChanges(preview: ChangeSetPreview): Promise<boolean>;
  onEvent?(event: StackEvent): void;
  /** Poll interval while waiting on CloudFormation. */
  pollMs?: number;
}

/** A deploy refused before anything changed, with the reason. */
export class DeployRefused extends Error {
  override name = 'DeployRefused';
  constructor(message: string, readonly reason: 'invalidName' | 'inProgress' | 'notUpdatable' | 'changeSetFailed' | 'artifactBucket') {
    super(message);
  }
}

/** CloudFormation was left working, but we lost contact (expired credentials, network). */
export class DeployInterrupted extends Error {
  override name = 'DeployInterrupted';
  constructor(message: string, override readonly cause: unknown) {
    super(message);
  }
}

export type StackPhase = 'absent' | 'updatable' | 'busy' | 'recreate' | 'review' | 'stuck';

/** What a deploy can do with a stack in this status. */
export function stackPhase(status: string | undefined): StackPhase {
  if (!status || status === 'DELETE_COMPLETE') return 'absent';
  if (status === 'REVIEW_IN_PROGRESS') return 'review';
  if (status.endsWith('_IN_PROGRESS')) return 'busy';
  if (['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE'].includes(status)) return 'updatable';
  if (['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED'].includes(status)) return 'recreate';
  return 'stuck'; // DELETE_FAILED, UPDATE_ROLLBACK_FAILED, UPDATE_FAILED: needs the console or support.
}

export const isTerminal = (status: string | undefined) => !!status && !status.endsWith('_IN_PROGRESS');
export const isSuccess = (status: string | undefined) => status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stacks being deployed from this window; a second deploy of one is refused. */
const inFlight = new Set<string>();

export async function describeStack(cf: CloudFormationClient, stackName: string) {
  try {
    return (await cf.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  } catch (err) {
    // CloudFormation answers ValidationError "Stack with id X does not exist".
    if (errorCode(err) === 'ValidationError' && /does not exist/i.test((err as Error).message)) return undefined;
    throw err;
  }
}

/** Claims a stack for one deploy from this window; a second claim of the same stack is refused. */
export function claimStack(req: Pick<DeployRequest, 'accountId' | 'region' | 'stackName'>): () => void {
  const key = `${req.accountId}/${req.region}/${req.stackName}`;
  if (inFlight.has(key)) throw new DeployRefused(`Stack ${req.stackName} is already being deployed from this window.`, 'inProgress');
  inFlight.add(key);
  return () => void inFlight.delete(key);
}

export type Prepared = { kind: 'ready'; preview: ChangeSetPreview } | { kind: 'noChanges' } | { kind: 'cancelled'; stage: string };

/**
 * Everything before execution: stack checks, artifact upload, change set. Cancellable between steps;
 * a cancelled or refused change set is discarded.
 */
export async function prepareDeploy(clients: DeployClients, req: DeployRequest, ui: Omit<DeployUi, 'confirmChanges'>): Promise<Prepared> {
  const problem = stackNameProblem(req.stackName);
  if (problem) throw new DeployRefused(problem, 'invalidName');
  const { cf, s3 } = clients;
  ui.step(`Checking stack ${req.stackName}`);
  const stack = await describeStack(cf, req.stackName);
  let phase = stackPhase(stack?.StackStatus);
  if (phase === 'busy') throw new DeployRefused(`Stack ${req.stackName} is ${stack?.StackStatus}: another operation is running on it. Wait for it to finish.`, 'inProgress');
  if (phase === 'stuck') throw new DeployRefused(`Stack ${req.stackName} is ${stack?.StackStatus} and cannot be updated. Resolve it in the CloudFormation console first.`, 'notUpdatable');
  if (phase === 'recreate') {
    if (!(await ui.confirmRecreate(stack!.StackStatus!))) return { kind: 'cancelled', stage: 'recreate' };
    ui.step(`Deleting stack ${req.stackName} (${stack!.StackStatus})`);
    const gone = await deleteStackAndWait(clients, req.stackName, ui);
    if (gone !== 'DELETE_COMPLETE') throw new DeployRefused(`Deleting ${req.stackName} ended in ${gone}.`, 'notUpdatable');
    phase = 'absent';
  }
  if (ui.isCancelled()) return { kind: 'cancelled', stage: 'check' };

  ui.step('Uploading consumer.zip');
  const code = await uploadArtifact(s3, req).catch((err: unknown) => {
    throw err instanceof ArtifactRefused ? new DeployRefused(err.message, 'artifactBucket') : err;
  });
  if (ui.isCancelled()) return { kind: 'cancelled', stage: 'upload' };

  ui.step('Creating the change set');
  const preview = await createChangeSet(cf, req, phase === 'updatable' ? 'UPDATE' : 'CREATE', code, ui.pollMs ?? 1000);
  if (!preview) return { kind: 'noChanges' };
  if (ui.isCancelled()) {
    await discardChangeSet(cf, preview);
    return { kind: 'cancelled', stage: 'changeSet' };
  }
  return { kind: 'ready', preview };
}

/** Deletes a change set that will not run (and the empty stack a CREATE change set leaves behind). */
export async function discardChangeSet(cf: CloudFormationClient, preview: ChangeSetPreview): Promise<void> {
  await cf.send(new DeleteChangeSetCommand({ ChangeSetName: preview.id })).catch(() => undefined);
  if (preview.type === 'CREATE') await cf.send(new DeleteStackCommand({ StackName: preview.stackName })).catch(() => undefined);
}

/** Executes the change set and follows the stack until it settles. Not cancellable. */
export async function executeDeploy(cf: CloudFormationClient, preview: ChangeSetPreview, ui: Pick<DeployUi, 'onEvent' | 'pollMs' | 'step'>): Promise<DeployOutcome> {
  ui.step(`Executing the change set on ${preview.stackName}`);
  const since = new Date(Date.now() - 5_000);
  await cf.send(new ExecuteChangeSetCommand({ ChangeSetName: preview.id }));
  const result = await waitForStack(cf, preview.stackName, since, ui);
  return isSuccess(result.status) ? { kind: 'deployed', status: result.status, preview } : { kind: 'failed', status: result.status, failure: result.failure, preview };
}

/** The whole deploy in one call (claim, prepare, confirm, execute), for tests and scripts. */
export async function deployPipeline(clients: DeployClients, req: DeployRequest, ui: DeployUi): Promise<DeployOutcome> {
  const release = claimStack(req);
  try {
    const prepared = await prepareDeploy(clients, req, ui);
    if (prepared.kind !== 'ready') return prepared;
    if (!(await ui.confirmChanges(prepared.preview))) {
      await discardChangeSet(clients.cf, prepared.preview);
      return { kind: 'cancelled', stage: 'preview' };
    }
    return await executeDeploy(clients.cf, prepared.preview, ui);
  } finally {
    release();
  }
}

/** Creates the change set and waits for it; undefined when CloudFormation finds nothing to change. */
export async function createChangeSet(cf: CloudFormationClient, req: DeployRequest, type: 'CREATE' | 'UPDATE', code: CodeLocation, pollMs: number): Promise<ChangeSetPreview | undefined> {
  const parameters = { ...req.parameters, ConsumerCodeBucket: code.bucket, ConsumerCodeKey: code.key, ConsumerCodeVersion: code.version };
  const created = await cf.send(
    new CreateChangeSetCommand({
      StackName: req.stackName,
      ChangeSetName: `cloud-monitor-${Date.now()}`,
      ChangeSetType: type,
      TemplateBody: req.templateBody,
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: ['CAPABILITY_IAM'],
      Tags: [{ ...PIPELINE_TAG }],
      Description: 'Cloud Monitor pipeline deploy',
    }),
  );
  const id = created.Id!;
  for (;;) {
    const d = await cf.send(new DescribeChangeSetCommand({ ChangeSetName: id }));
    if (d.Status === 'CREATE_COMPLETE') {
      const changes: Change[] = [...(d.Changes ?? [])];
      for (let token = d.NextToken; token; ) {
        const page = await cf.send(new DescribeChangeSetCommand({ ChangeSetName: id, NextToken: token }));
        changes.push(...(page.Changes ?? []));
        token = page.NextToken;
      }
      return { id, stackName: req.stackName, type, rows: changeRows(changes) };
    }
    if (d.Status === 'FAILED') {
      if (isNoChangeFailure(d.Status, d.StatusReason)) {
        await cf.send(new DeleteChangeSetCommand({ ChangeSetName: id })).catch(() => undefined);
        return undefined;
      }
      throw new DeployRefused(`CloudFormation could not create the change set: ${d.StatusReason ?? 'no reason given'}`, 'changeSetFailed');
    }
    await sleep(pollMs);
  }
}

/**
 * Polls the stack until it settles, reporting new stack events in order. A failure to reach
 * CloudFormation while waiting (expired credentials, network) becomes DeployInterrupted: the stack is
 * left exactly as CloudFormation leaves it.
 */
export async function waitForStack(cf: CloudFormationClient, stackName: string, since: Date, ui: Pick<DeployUi, 'onEvent' | 'pollMs' | 'step'>): Promise<{ status: string; failure?: StackFailure }> {
  const seen = new Set<string>();
  const events: StackEvent[] = [];
  try {
    for (;;) {
      const page = await cf.send(new DescribeStackEventsCommand({ StackName: stackName }));
      const fresh = (page.StackEvents ?? []).filter((e) => e.EventId && !seen.has(e.EventId) && (!e.Timestamp || e.Timestamp >= since)).reverse();
      for (const e of fresh) {
        seen.add(e.EventId!);
        events.push(e);
        ui.onEvent?.(e);
        if (e.LogicalResourceId && e.ResourceStatus && !isStackEvent(e, stackName)) ui.step(`${e.LogicalResourceId}: ${e.ResourceStatus}`);
      }
      const stack = await describeStack(cf, stackName);
      const status = stack?.StackStatus ?? 'DELETE_COMPLETE';
      if (isTerminal(status)) return { status, failure: isSuccess(status) ? undefined : firstFailure(events, stackName) };
      await sleep(ui.pollMs ?? 3000);
    }
  } catch (err) {
    const c = classifyAwsError(err);
    throw new DeployInterrupted(
      `Lost contact with CloudFormation while it was working on ${stackName}: ${c.message} CloudFormation carries on by itself and the stack is left as it leaves it; refresh the Pipeline view once you are signed in again.`,
      err,
    );
  }
}

/** An event about the stack itself (by name or id), not one of its resources. */
export const isStackEvent = (e: StackEvent, nameOrId: string) =>
  e.ResourceType === 'AWS::CloudFormation::Stack' && (e.LogicalResourceId === nameOrId || e.PhysicalResourceId === nameOrId || e.StackId === nameOrId);

/** The first resource that failed, ignoring the cancellations that follow a failure. */
export function firstFailure(events: StackEvent[], stackName: string): StackFailure | undefined {
  const chronological = [...events].sort((a, b) => (a.Timestamp?.getTime() ?? 0) - (b.Timestamp?.getTime() ?? 0));
  const failed = chronological.filter((e) => e.ResourceStatus?.endsWith('_FAILED') && !isStackEvent(e, stackName));
  const real = failed.find((e) => !/cancelled/i.test(e.ResourceStatusReason ?? '')) ?? failed[0];
  if (real) return { logicalId: real.LogicalResourceId ?? '?', type: real.ResourceType ?? '?', status: real.ResourceStatus ?? '?', reason: real.ResourceStatusReason ?? 'no reason given' };
  const stackEvent = chronological.reverse().find((e) => isStackEvent(e, stackName) && e.ResourceStatusReason && e.ResourceStatusReason !== 'User Initiated');
  return stackEvent ? { logicalId: stackEvent.LogicalResourceId ?? stackName, type: 'AWS::CloudFormation::Stack', status: stackEvent.ResourceStatus ?? '?', reason: stackEvent.ResourceStatusReason ?? '' } : undefined;
}

/**
 * Deletes the stack and waits until it is gone (or stuck). Returns the final status. The template
 * gives both tables deletion protection, so nothing but this command deletes them by accident; the
 * user chose to delete the stack, so it lifts that protection on the stack's own tables first.
 */
export async function deleteStackAndWait(clients: Pick<DeployClients, 'cf' | 'ddb'>, stackName: string, ui: Pick<DeployUi, 'onEvent' | 'pollMs' | 'step'>): Promise<string> {
  const { cf } = clients;
  const stack = await describeStack(cf, stackName);
  if (!stack) return 'DELETE_COMPLETE';
  await liftTableProtection(clients, stackName, ui);
  const since = new Date(Date.now() - 5_000);
  await cf.send(new DeleteStackCommand({ StackName: stackName }));
  // Follow the stack by id: once deleted, its name no longer resolves.
  const result = await waitForStack(cf, stack.StackId ?? stackName, since, ui);
  return result.status;
}

/** Turns deletion protection off on the stack's own AWS::DynamoDB::Table resources (never a name from its outputs). */
async function liftTableProtection({ cf, ddb }: Pick<DeployClients, 'cf' | 'ddb'>, stackName: string, ui: Pick<DeployUi, 'step'>): Promise<void> {
  const tables = (await listResources(cf, stackName)).filter((r) => r.ResourceType === 'AWS::DynamoDB::Table' && r.PhysicalResourceId && r.ResourceStatus !== 'DELETE_COMPLETE');
  for (const t of tables) {
    const TableName = t.PhysicalResourceId!;
    const described = await ddb.send(new DescribeTableCommand({ TableName })).catch((err: unknown) => {
      if (errorCode(err) === 'ResourceNotFoundException') return undefined;
      throw err;
    });
    if (!described?.Table?.DeletionProtectionEnabled) continue;
    ui.step(`Turning off deletion protection on table ${TableName}`);
    await ddb.send(new UpdateTableCommand({ TableName, DeletionProtectionEnabled: false }));
  }
}
