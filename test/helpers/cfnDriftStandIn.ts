/**
 * A stand-in for CloudFormation's drift detection, which moto 5.2.1 does not serve at all (DetectStackDrift,
 * DescribeStackDriftDetectionStatus and DescribeStackResourceDrifts are unknown actions there). It answers
 * those three Query-protocol actions in front of moto and leaves every other request to moto.
 *
 * The drift it reports is real, within a small scope: the stand-in reads the stack from moto (DescribeStacks,
 * ListStackResources) and compares each resource of these types with the template's literal properties
 * (templates/pipeline.yaml unless another template is given), asking moto for the resource's actual state:
 *   - AWS::SQS::Queue: GetQueueAttributes (VisibilityTimeout, MessageRetentionPeriod, DelaySeconds,
 *     MaximumMessageSize, ReceiveMessageWaitTimeSeconds, FifoQueue, ContentBasedDeduplication,
 *     SqsManagedSseEnabled); a queue that no longer exists is DELETED;
 *   - AWS::SNS::Topic, AWS::DynamoDB::Table, AWS::S3::Bucket: DELETED when gone, else IN_SYNC;
 *   - every other type: NOT_CHECKED (AWS checks more types and more properties: this is the stand-in's scope).
 * A detection stays DETECTION_IN_PROGRESS for `pollsInProgress` status requests (default 1), so the
 * caller's polling is exercised. `failDetection` answers DETECTION_FAILED with a reason.
 *
 * Requests are checked against botocore's input shapes (loadAwsModel('cloudformation')): a violation is a
 * 400 ValidationError, kept in `rejected`. Every answer is checked against the output shape before it is
 * sent; a problem there is the stand-in's own bug, kept in `answerProblems` (tests assert it empty). Answers
 * carry the `x-cloud-monitor-stand-in` header, so the contract check holds them to the model too.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { STAND_IN_HEADER } from './contractRecorder';
import { parseTemplate, type CfnTemplate } from '../../src/pipeline/template';
import { loadAwsModel, type AwsModel } from './awsModel';
import { startFaultProxy } from './s3FaultProxy';
import type { ClientConfig } from './motoCfnGaps';

export { STAND_IN_HEADER };

export const DRIFT_ACTIONS = ['DetectStackDrift', 'DescribeStackDriftDetectionStatus', 'DescribeStackResourceDrifts'] as const;
type DriftAction = (typeof DRIFT_ACTIONS)[number];
type Answer = { status: number; headers: Record<string, string>; body: string };

interface ResourceDrift {
  StackId: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  ExpectedProperties?: string;
  ActualProperties?: string;
  PropertyDifferences?: { PropertyPath: string; ExpectedValue: string; ActualValue: string; DifferenceType: 'NOT_EQUAL' | 'ADD' | 'REMOVE' }[];
  StackResourceDriftStatus: 'IN_SYNC' | 'MODIFIED' | 'DELETED' | 'NOT_CHECKED';
  Timestamp: string;
}

interface Detection {
  id: string;
  stackId: string;
  at: string;
  statusPolls: number;
  resources: ResourceDrift[];
}

export interface CfnDriftStandInOptions {
  /** moto's client settings (the stand-in reads the stack and its resources from there). */
  moto: ClientConfig;
  /** The template the resources are compared with (default: templates/pipeline.yaml under `root`). */
  template?: CfnTemplate;
  root?: string;
  /** Status requests answered DETECTION_IN_PROGRESS before the result (default 1). */
  pollsInProgress?: number;
  /** Answer DETECTION_FAILED with this reason (the resources checked still count). */
  failDetection?: string;
}

export interface CfnDriftStandIn {
  requests: { action: DriftAction; input: Record<string, unknown> }[];
  rejected: { action: DriftAction; problems: string[] }[];
  answerProblems: string[];
  /** Answers a drift request, or undefined for anything else (left to moto). */
  answer(req: { method: string; url: string; body: string; headers: Record<string, string | string[] | undefined> }): Promise<Answer | undefined>;
  close(): void;
}

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A Query-protocol XML element: lists as <member>, objects as nested elements. */
function toXml(name: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return `<${name}>${v.map((x) => toXml('member', x)).join('')}</${name}>`;
  if (typeof v === 'object') return `<${name}>${Object.entries(v as Record<string, unknown>).map(([k, x]) => toXml(k, x)).join('')}</${name}>`;
  return `<${name}>${esc(String(v))}</${name}>`;
}

/** A Query-protocol form body as the operation's input (`X.member.N` lists; numbers where the model says so). */
function formInput(model: AwsModel, action: DriftAction, form: URLSearchParams): Record<string, unknown> {
  const shape = model.shape(model.operations[action].input!.shape);
  const input: Record<string, unknown> = {};
  for (const [k, v] of form) {
    if (k === 'Action' || k === 'Version') continue;
    const m = /^(\w+)\.member\.(\d+)$/.exec(k);
    if (m) {
      const list = (input[m[1]] ??= []) as unknown[];
      list[Number(m[2]) - 1] = v;
    } else {
      const member = shape.members?.[k];
      input[k] = member && ['integer', 'long'].includes(model.shape(member.shape).type) && /^-?\d+$/.test(v) ? Number(v) : v;
    }
  }
  return input;
}

const SQS_PROPERTIES = ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'MaximumMessageSize', 'ReceiveMessageWaitTimeSeconds', 'FifoQueue', 'ContentBasedDeduplication', 'SqsManagedSseEnabled'];
const literal = (v: unknown): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v);

export function cfnDriftStandIn(opts: CfnDriftStandInOptions): CfnDriftStandIn {
  const model = loadAwsModel('cloudformation');
  const template = opts.template ?? parseTemplate(readFileSync(join(opts.root ?? process.cwd(), 'templates/pipeline.yaml'), 'utf8'));
  const cf = new CloudFormationClient(opts.moto);
  const sqs = new SQSClient(opts.moto);
  const sns = new SNSClient(opts.moto);
  const ddb = new DynamoDBClient(opts.moto);
  const s3 = new S3Client(opts.moto);
  const detections = new Map<string, Detection>();
  const latest = new Map<string, Detection>();
  const out: CfnDriftStandIn = { requests: [], rejected: [], answerProblems: [], answer, close };

  function reply(action: DriftAction, result: Record<string, unknown>): Answer {
    const outputShape = model.operations[action].output!.shape;
    out.answerProblems.push(...model.problems(outputShape, result).map((p) => `${action}: ${p}`));
    const body = `<${action}Response xmlns="${NS}">${toXml(`${action}Result`, result)}<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
    return { status: 200, headers: { 'content-type': 'text/xml', [STAND_IN_HEADER]: '1' }, body };
  }
  function error(status: number, code: string, message: string): Answer {
    const body = `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
    return { status, headers: { 'content-type': 'text/xml', [STAND_IN_HEADER]: '1' }, body };
  }

  async function checkResource(stackId: string, r: StackResourceSummary, at: string): Promise<ResourceDrift> {
    const base = { StackId: stackId, LogicalResourceId: r.LogicalResourceId!, PhysicalResourceId: r.PhysicalResourceId, ResourceType: r.ResourceType!, Timestamp: at };
    const props = template.Resources[r.LogicalResourceId!]?.Properties ?? {};
    const gone = (err: unknown) => /NotFound|NonExistent|DoesNotExist|404/.test(`${(err as Error).name} ${(err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode}`);
    const exists = async (check: () => Promise<unknown>): Promise<ResourceDrift> => {
      try {
        await check();
        return { ...base, StackResourceDriftStatus: 'IN_SYNC', ExpectedProperties: '{}', ActualProperties: '{}', PropertyDifferences: [] };
      } catch (err) {
        if (gone(err)) return { ...base, StackResourceDriftStatus: 'DELETED', ExpectedProperties: '{}' };
        throw err;
      }
    };
    switch (r.ResourceType) {
      case 'AWS::SQS::Queue': {
        let attrs: Record<string, string>;
        try {
          attrs = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: r.PhysicalResourceId!, AttributeNames: ['All'] }))).Attributes ?? {};
        } catch (err) {
          if (gone(err)) return { ...base, StackResourceDriftStatus: 'DELETED' };
          throw err;
        }
        const expected: Record<string, string | number | boolean> = {};
        const actual: Record<string, string | number | boolean> = {};
        const differences: NonNullable<ResourceDrift['PropertyDifferences']> = [];
        for (const p of SQS_PROPERTIES) {
          const want = props[p];
          if (!literal(want)) continue;
          expected[p] = want;
          const got = attrs[p];
          actual[p] = got === undefined ? '' : typeof want === 'number' ? Number(got) : typeof want === 'boolean' ? got === 'true' : got;
          if (got === undefined) differences.push({ PropertyPath: `/${p}`, ExpectedValue: String(want), ActualValue: '', DifferenceType: 'REMOVE' });
          else if (String(want) !== got) differences.push({ PropertyPath: `/${p}`, ExpectedValue: String(want), ActualValue: got, DifferenceType: 'NOT_EQUAL' });
        }
        return { ...base, StackResourceDriftStatus: differences.length ? 'MODIFIED' : 'IN_SYNC', ExpectedProperties: JSON.stringify(expected), ActualProperties: JSON.stringify(actual), PropertyDifferences: differences };
      }
      case 'AWS::SNS::Topic':
        return exists(() => sns.send(new GetTopicAttributesCommand({ TopicArn: r.PhysicalResourceId! })));
      case 'AWS::DynamoDB::Table':
        return exists(() => ddb.send(new DescribeTableCommand({ TableName: r.PhysicalResourceId! })));
      case 'AWS::S3::Bucket':
        return exists(() => s3.send(new HeadBucketCommand({ Bucket: r.PhysicalResourceId! })));
      default:
        return { ...base, StackResourceDriftStatus: 'NOT_CHECKED' };
    }
  }

  async function stackOf(nameOrId: string) {
    try {
      return (await cf.send(new DescribeStacksCommand({ StackName: nameOrId }))).Stacks?.[0];
    } catch {
      return undefined;
    }
  }

  async function handle(action: DriftAction, input: Record<string, unknown>): Promise<Answer> {
    if (action === 'DetectStackDrift') {
      const stack = await stackOf(String(input.StackName));
      if (!stack?.StackId) return error(400, 'ValidationError', `Stack with id ${String(input.StackName)} does not exist`);
      const resources: StackResourceSummary[] = [];
      let token: string | undefined;
      do {
        const page = await cf.send(new ListStackResourcesCommand({ StackName: stack.StackId, NextToken: token }));
        resources.push(...(page.StackResourceSummaries ?? []));
        token = page.NextToken;
      } while (token);
      const only = input.LogicalResourceIds as string[] | undefined;
      const at = new Date().toISOString();
      const checked = await Promise.all(resources.filter((r) => r.LogicalResourceId && (!only || only.includes(r.LogicalResourceId))).map((r) => checkResource(stack.StackId!, r, at)));
      const d: Detection = { id: randomUUID(), stackId: stack.StackId, at, statusPolls: 0, resources: checked };
      detections.set(d.id, d);
      latest.set(stack.StackId, d);
      return reply(action, { StackDriftDetectionId: d.id });
    }
    if (action === 'DescribeStackDriftDetectionStatus') {
      const d = detections.get(String(input.StackDriftDetectionId));
      if (!d) return error(400, 'ValidationError', `Drift detection ${String(input.StackDriftDetectionId)} does not exist`);
      const base = { StackId: d.stackId, StackDriftDetectionId: d.id, Timestamp: d.at };
      if (d.statusPolls++ < (opts.pollsInProgress ?? 1)) return reply(action, { ...base, DetectionStatus: 'DETECTION_IN_PROGRESS' });
      const drifted = d.resources.filter((r) => r.StackResourceDriftStatus === 'MODIFIED' || r.StackResourceDriftStatus === 'DELETED').length;
      return reply(action, {
        ...base,
        StackDriftStatus: drifted ? 'DRIFTED' : 'IN_SYNC',
        DetectionStatus: opts.failDetection ? 'DETECTION_FAILED' : 'DETECTION_COMPLETE',
        DetectionStatusReason: opts.failDetection,
        DriftedStackResourceCount: drifted,
      });
    }
    const stack = await stackOf(String(input.StackName));
    if (!stack?.StackId) return error(400, 'ValidationError', `Stack with id ${String(input.StackName)} does not exist`);
    const filters = input.StackResourceDriftStatusFilters as string[] | undefined;
    const all = (latest.get(stack.StackId)?.resources ?? []).filter((r) => !filters || filters.includes(r.StackResourceDriftStatus));
    const from = input.NextToken ? Number(Buffer.from(String(input.NextToken), 'base64url').toString('utf8')) : 0;
    const size = typeof input.MaxResults === 'number' ? input.MaxResults : 100;
    const page = all.slice(from, from + size);
    const next = from + size < all.length ? Buffer.from(String(from + size), 'utf8').toString('base64url') : undefined;
    return reply(action, { StackResourceDrifts: page, NextToken: next });
  }

  async function answer(req: { method: string; url: string; body: string; headers: Record<string, string | string[] | undefined> }): Promise<Answer | undefined> {
    if (req.method !== 'POST' || !String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return undefined;
    const form = new URLSearchParams(req.body);
    const action = form.get('Action') as DriftAction | null;
    if (!action || !(DRIFT_ACTIONS as readonly string[]).includes(action)) return undefined;
    const input = formInput(model, action, form);
    out.requests.push({ action, input });
    const problems = model.problems(model.operations[action].input!.shape, input);
    if (problems.length) {
      out.rejected.push({ action, problems });
      return error(400, 'ValidationError', problems.join('; '));
    }
    return handle(action, input);
  }

  function close() {
    for (const c of [cf, sqs, sns, ddb, s3]) c.destroy();
  }
  return out;
}

/** The stand-in on its own endpoint in front of moto (everything but drift goes to moto unchanged). */
export async function startCfnDriftStandIn(motoEndpoint: string, opts: CfnDriftStandInOptions): Promise<CfnDriftStandIn & { endpoint: string; stop(): Promise<void> }> {
  const standIn = cfnDriftStandIn(opts);
  const proxy = await startFaultProxy(motoEndpoint, {}, { intercept: (req) => standIn.answer(req) });
  return Object.assign(standIn, {
    endpoint: proxy.endpoint,
    stop: async () => {
      standIn.close();
      await proxy.close();
    },
  });
}
