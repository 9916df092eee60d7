// moto 5.2.1 gaps when it deploys templates/pipeline.yaml, filled in through the service APIs moto
// does serve, from the template itself (so the emulated stack matches what CloudFormation would build):
//   - A stack created by a change set reports no Outputs (moto builds them from the empty template it
//     starts the change set with). An UpdateStack with the previous template rebuilds them.
//   - These resource types are accepted but not created: AWS::SNS::Subscription, AWS::SNS::TopicPolicy,
//     AWS::SQS::QueuePolicy, AWS::S3::BucketPolicy, AWS::Glue::Database, AWS::Glue::Table,
//     AWS::Athena::WorkGroup, AWS::CloudWatch::Alarm. Without the subscription the inbox queue would never
//     receive an alert. Except AWS::S3::BucketPolicy: moto enforces a bucket policy's aws:SecureTransport
//     condition against its plain-HTTP endpoint (PutObject is refused), so the template's TLS-only policy
//     would lock the emulator's clients out. Not applied here; applyBucketPolicies() applies them for
//     the one test that proves them.
//   - Properties moto ignores on types it does create: S3 PublicAccessBlockConfiguration and
//     LifecycleConfiguration, DynamoDB TimeToLiveSpecification and PointInTimeRecoverySpecification.
//     They are applied when missing (a no-op once moto honours them). moto does create AWS::KMS::Key
//     (key policy, rotation), the topic's KmsMasterKeyId, AWS::IAM::Policy, DynamoDB
//     DeletionProtectionEnabled and the event source mapping's ScalingConfig: no gap to fill.
//   - The SQS event source mapping makes moto try to invoke the function on every SendMessage, which
//     needs Docker; each failed try bumps the messages' receive count until SQS moves them to the DLQ.
//     It is disabled: tests and the sandbox play the Lambda poller and run the handler in-process.
import { AthenaClient, CreateWorkGroupCommand } from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand, UpdateStackCommand, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CreateDatabaseCommand, CreateTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { LambdaClient, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { GetBucketLifecycleConfigurationCommand, GetPublicAccessBlockCommand, PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand, PutPublicAccessBlockCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeContinuousBackupsCommand, DescribeTimeToLiveCommand, DynamoDBClient, UpdateContinuousBackupsCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { CfnTemplate } from '../../src/pipeline/template';

export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: true;
}

interface Ctx {
  stackName: string;
  region: string;
  accountId: string;
  params: Record<string, string>;
  physical: Map<string, { type: string; id: string }>;
  template: CfnTemplate;
}

export async function fillMotoGaps(cfg: ClientConfig, stackName: string, template: CfnTemplate, params: Record<string, string>, accountId: string): Promise<void> {
  const ctx = await stackContext(cfg, stackName, template, params, accountId);

  for (const [logicalId, res] of Object.entries(template.Resources)) {
    if (res.Type === 'AWS::Lambda::EventSourceMapping' && ctx.physical.has(logicalId)) {
      await new LambdaClient(cfg).send(new UpdateEventSourceMappingCommand({ UUID: ctx.physical.get(logicalId)!.id, Enabled: false }));
      continue;
    }
    if (ctx.physical.has(logicalId)) {
      await applyIgnoredProperties(cfg, ctx.physical.get(logicalId)!.id, res.Type, resolve(ctx, res.Properties ?? {}) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
      continue;
    }
    if (res.Condition && !truthy(evaluateCondition(ctx, res.Condition))) continue;
    const props = resolve(ctx, res.Properties ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const id = await create(cfg, ctx, logicalId, res.Type, props);
    ctx.physical.set(logicalId, { type: res.Type, id });
  }
}

/**
 * Applies the template's AWS::S3::BucketPolicy resources of a deployed stack, resolved the way
 * CloudFormation would. After this, moto refuses plain-HTTP object writes to those buckets: only for a
 * test that proves the TLS-only statements (on its own stack). Returns bucket name → policy document.
 */
export async function applyBucketPolicies(cfg: ClientConfig, stackName: string, template: CfnTemplate, params: Record<string, string>, accountId: string): Promise<Map<string, unknown>> {
  const ctx = await stackContext(cfg, stackName, template, params, accountId);
  const applied = new Map<string, unknown>();
  for (const res of Object.values(template.Resources)) {
    if (res.Type !== 'AWS::S3::BucketPolicy') continue;
    const p = resolve(ctx, res.Properties ?? {}) as { Bucket: string; PolicyDocument: unknown };
    await new S3Client(cfg).send(new PutBucketPolicyCommand({ Bucket: p.Bucket, Policy: JSON.stringify(p.PolicyDocument) }));
    applied.set(p.Bucket, p.PolicyDocument);
  }
  return applied;
}

/** The stack's physical resources (moto's, plus the outputs it forgot after a change set). */
async function stackContext(cfg: ClientConfig, stackName: string, template: CfnTemplate, params: Record<string, string>, accountId: string): Promise<Ctx> {
  const cf = new CloudFormationClient(cfg);
  const stack = (await cf.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  if (!stack?.Outputs?.length && template.Outputs) {
    await cf.send(
      new UpdateStackCommand({
        StackName: stackName,
        UsePreviousTemplate: true,
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
        Parameters: Object.keys(params).map((k) => ({ ParameterKey: k, UsePreviousValue: true })),
        Tags: stack?.Tags,
      }),
    );
  }
  const summaries: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await cf.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    summaries.push(...(page.StackResourceSummaries ?? []));
    token = page.NextToken;
  } while (token);
  const ctx: Ctx = { stackName, region: cfg.region, accountId, params, template, physical: new Map() };
  for (const s of summaries) if (s.LogicalResourceId && s.PhysicalResourceId) ctx.physical.set(s.LogicalResourceId, { type: s.ResourceType ?? '', id: s.PhysicalResourceId });
  return ctx;
}

async function applyIgnoredProperties(cfg: ClientConfig, id: string, type: string, p: Record<string, any>): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (type === 'AWS::S3::Bucket' && p.PublicAccessBlockConfiguration) {
    const s3 = new S3Client(cfg);
    const present = await s3.send(new GetPublicAccessBlockCommand({ Bucket: id })).then(() => true, () => false);
    if (!present) await s3.send(new PutPublicAccessBlockCommand({ Bucket: id, PublicAccessBlockConfiguration: p.PublicAccessBlockConfiguration }));
  }
  if (type === 'AWS::S3::Bucket' && p.LifecycleConfiguration) {
    const s3 = new S3Client(cfg);
    const present = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: id })).then(() => true, () => false);
    // CloudFormation's rule shape differs from the API's: translate the fields the template uses.
    const rules = (p.LifecycleConfiguration.Rules as Record<string, any>[]).map((r) => ({ // eslint-disable-line @typescript-eslint/no-explicit-any
      ID: r.Id,
      Status: r.Status,
      Filter: { Prefix: r.Prefix ?? '' },
      Transitions: r.Transitions?.map((t: { StorageClass: string; TransitionInDays: string }) => ({ StorageClass: t.StorageClass, Days: Number(t.TransitionInDays) })),
      Expiration: r.ExpirationInDays !== undefined ? { Days: Number(r.ExpirationInDays) } : undefined,
      AbortIncompleteMultipartUpload: r.AbortIncompleteMultipartUpload ? { DaysAfterInitiation: Number(r.AbortIncompleteMultipartUpload.DaysAfterInitiation) } : undefined,
    }));
    if (!present) await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: id, LifecycleConfiguration: { Rules: rules } }));
  }
  if (type === 'AWS::DynamoDB::Table' && p.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled) {
    const ddb = new DynamoDBClient(cfg);
    const backups = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: id }));
    if (backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus !== 'ENABLED') {
      await ddb.send(new UpdateContinuousBackupsCommand({ TableName: id, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    }
  }
  if (type === 'AWS::DynamoDB::Table' && p.TimeToLiveSpecification?.Enabled) {
    const ddb = new DynamoDBClient(cfg);
    const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: id }));
    if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
      await ddb.send(new UpdateTimeToLiveCommand({ TableName: id, TimeToLiveSpecification: { AttributeName: p.TimeToLiveSpecification.AttributeName, Enabled: true } }));
    }
  }
}

async function create(cfg: ClientConfig, ctx: Ctx, logicalId: string, type: string, p: Record<string, any>): Promise<string> { // eslint-disable-line @typescript-eslint/no-explicit-any
  switch (type) {
    case 'AWS::SNS::Subscription': {
      const attributes: Record<string, string> = {};
      if (p.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(p.RawMessageDelivery);
      if (p.FilterPolicy !== undefined) attributes.FilterPolicy = JSON.stringify(p.FilterPolicy);
      if (p.RedrivePolicy !== undefined) attributes.RedrivePolicy = JSON.stringify(p.RedrivePolicy);
      const res = await new SNSClient(cfg).send(new SubscribeCommand({ TopicArn: p.TopicArn, Protocol: p.Protocol, Endpoint: p.Endpoint, Attributes: attributes, ReturnSubscriptionArn: true }));
      return res.SubscriptionArn ?? logicalId;
    }
    case 'AWS::SNS::TopicPolicy':
      for (const arn of p.Topics as string[]) await new SNSClient(cfg).send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Policy', AttributeValue: JSON.stringify(p.PolicyDocument) }));
      return logicalId;
    case 'AWS::SQS::QueuePolicy':
      for (const url of p.Queues as string[]) await new SQSClient(cfg).send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(p.PolicyDocument) } }));
      return logicalId;
    case 'AWS::S3::BucketPolicy':
      return logicalId; // see the header and applyBucketPolicies: it would lock the emulator's HTTP clients out.
    case 'AWS::Glue::Database':
      await new GlueClient(cfg).send(new CreateDatabaseCommand({ CatalogId: p.CatalogId, DatabaseInput: p.DatabaseInput }));
      return p.DatabaseInput.Name;
    case 'AWS::Glue::Table':
      await new GlueClient(cfg).send(new CreateTableCommand({ CatalogId: p.CatalogId, DatabaseName: p.DatabaseName, TableInput: p.TableInput }));
      return p.TableInput.Name;
    case 'AWS::Athena::WorkGroup': {
      const c = p.WorkGroupConfiguration ?? {};
      await new AthenaClient(cfg).send(
        new CreateWorkGroupCommand({
          Name: p.Name,
          Description: p.Description,
          Configuration: { ...c, BytesScannedCutoffPerQuery: c.BytesScannedCutoffPerQuery !== undefined ? Number(c.BytesScannedCutoffPerQuery) : undefined },
        }),
      );
      return p.Name;
    }
    case 'AWS::CloudWatch::Alarm': {
      const name = p.AlarmName ?? `${ctx.stackName}-${logicalId}`;
      await new CloudWatchClient(cfg).send(
        new PutMetricAlarmCommand({
          ...p,
          AlarmName: name,
          Period: Number(p.Period),
          EvaluationPeriods: Number(p.EvaluationPeriods),
          Threshold: Number(p.Threshold),
        } as never),
      );
      return name;
    }
    default:
      throw new Error(`moto did not create ${logicalId} (${type}) and this shim does not know how to`);
  }
}

const truthy = (v: unknown) => v === true || v === 'true';

function evaluateCondition(ctx: Ctx, name: string): unknown {
  return resolve(ctx, ctx.template.Conditions?.[name]);
}

/** The subset of intrinsic functions the template uses. */
function resolve(ctx: Ctx, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => resolve(ctx, x));
  if (!v || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) {
    const [k] = keys;
    const arg = o[k];
    switch (k) {
      case 'Ref':
        return ref(ctx, arg as string);
      case 'Fn::GetAtt':
        return getAtt(ctx, ...(arg as [string, string]));
      case 'Fn::Sub': {
        const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, unknown>]) : [arg as string, {}];
        const resolvedVars = resolve(ctx, vars) as Record<string, string>;
        return text.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
          if (bang) return `\${${name}}`;
          if (name in resolvedVars) return resolvedVars[name];
          const dot = name.indexOf('.');
          return String(dot > 0 ? getAtt(ctx, name.slice(0, dot), name.slice(dot + 1)) : ref(ctx, name));
        });
      }
      case 'Fn::Join': {
        const [sep, list] = resolve(ctx, arg) as [string, unknown[]];
        return list.join(sep);
      }
      case 'Fn::Split': {
        const [sep, text] = resolve(ctx, arg) as [string, string];
        return text.split(sep);
      }
      case 'Fn::Select': {
        const [i, list] = resolve(ctx, arg) as [number, unknown[]];
        return list[Number(i)];
      }
      case 'Fn::If': {
        const [cond, a, b] = arg as [string, unknown, unknown];
        return resolve(ctx, truthy(evaluateCondition(ctx, cond)) ? a : b);
      }
      case 'Fn::Equals': {
        const [a, b] = resolve(ctx, arg) as [unknown, unknown];
        return String(a) === String(b);
      }
      case 'Fn::Not':
        return !truthy((resolve(ctx, arg) as unknown[])[0]);
      case 'Fn::And':
        return (resolve(ctx, arg) as unknown[]).every(truthy);
      case 'Fn::Or':
        return (resolve(ctx, arg) as unknown[]).some(truthy);
      case 'Condition':
        return evaluateCondition(ctx, arg as string);
    }
  }
  return Object.fromEntries(Object.entries(o).map(([kk, vv]) => [kk, resolve(ctx, vv)]));
}

function ref(ctx: Ctx, name: string): unknown {
  const pseudo: Record<string, string> = {
    'AWS::StackName': ctx.stackName,
    'AWS::Region': ctx.region,
    'AWS::AccountId': ctx.accountId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  if (name in pseudo) return pseudo[name];
  if (name in ctx.params) return ctx.params[name];
  const p = ctx.template.Parameters?.[name];
  if (p) return p.Default !== undefined ? String(p.Default) : '';
  const res = ctx.physical.get(name);
  if (!res) throw new Error(`cannot resolve Ref ${name}`);
  return res.id;
}

function getAtt(ctx: Ctx, logicalId: string, attr: string): string {
  const res = ctx.physical.get(logicalId);
  if (!res) throw new Error(`cannot resolve GetAtt ${logicalId}.${attr}`);
  const { type, id } = res;
  const arn = (service: string, resource: string) => `arn:aws:${service}:${ctx.region}:${ctx.accountId}:${resource}`;
  if (type === 'AWS::SQS::Queue') {
    const name = id.slice(id.lastIndexOf('/') + 1);
    if (attr === 'Arn') return arn('sqs', name);
    if (attr === 'QueueName') return name;
    if (attr === 'QueueUrl') return id;
  }
  if (type === 'AWS::S3::Bucket' && attr === 'Arn') return `arn:aws:s3:::${id}`;
  if (type === 'AWS::DynamoDB::Table' && attr === 'Arn') return arn('dynamodb', `table/${id}`);
  if (type === 'AWS::Logs::LogGroup' && attr === 'Arn') return arn('logs', `log-group:${id}:*`);
  if (type === 'AWS::IAM::Role' && attr === 'Arn') return `arn:aws:iam::${ctx.accountId}:role/${id}`;
  if (type === 'AWS::SNS::Topic' && attr === 'TopicArn') return id;
  throw new Error(`GetAtt ${logicalId}.${attr} (${type}) is not modelled by this shim`);
}
