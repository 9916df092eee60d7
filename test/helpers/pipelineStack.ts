// Deploys templates/pipeline.yaml into moto_server through a CloudFormation change set, the way the
// extension does, and returns the stack's outputs. For tests and the sandbox:
//
//   const moto = await startMoto();
//   const { outputs } = await deployPipelineStack(moto.clientConfig(), { stackName: 'demo' });
//   const handle = createHandler({ clients: consumerClients(moto.clientConfig()), config: consumerConfig(outputs) });
//
// Needs dist/pipeline/consumer.zip (node esbuild.mjs builds it; `npm test` and `npm run demo` do).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, HeadBucketCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createClients, type Clients } from '../../pipeline/consumer/aws';
import type { ConsumerConfig } from '../../pipeline/consumer/config';
import { PIPELINE_TAG, readOutputs, type PipelineOutputs } from '../../src/pipeline/stack';
import { parseTemplate } from '../../src/pipeline/template';
import { fillMotoGaps, type ClientConfig } from './motoCfnGaps';

export type { ClientConfig };

export interface DeployedPipeline {
  stackName: string;
  stackId: string;
  outputs: PipelineOutputs;
  /** Every parameter as deployed (defaults included). */
  parameters: Record<string, string>;
  codeBucket: string;
  codeKey: string;
}

export interface DeployOptions {
  /** Default `cm-pipeline`. */
  stackName?: string;
  /** Template parameters to override; ConsumerCodeBucket/Key/Version are filled in. */
  parameters?: Record<string, string>;
  /** Repository root (templates/, dist/). Default: the current directory. */
  root?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function deployPipelineStack(cfg: ClientConfig, opts: DeployOptions = {}): Promise<DeployedPipeline> {
  const root = opts.root ?? process.cwd();
  const stackName = opts.stackName ?? 'cm-pipeline';
  const templateBody = readFileSync(join(root, 'templates/pipeline.yaml'), 'utf8');
  const template = parseTemplate(templateBody);
  const zip = readFileSync(join(root, 'dist/pipeline/consumer.zip'));
  const accountId = (await new STSClient(cfg).send(new GetCallerIdentityCommand({}))).Account ?? '123456789012';

  const s3 = new S3Client(cfg);
  const codeBucket = `cloud-monitor-artifacts-${accountId}-${cfg.region}`;
  const codeKey = `consumer/${createHash('sha256').update(zip).digest('hex').slice(0, 16)}.zip`;
  try {
    await s3.send(new HeadBucketCommand({ Bucket: codeBucket }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: codeBucket }));
  }
  // The template pins the code's S3 version (ConsumerCodeVersion).
  await s3.send(new PutBucketVersioningCommand({ Bucket: codeBucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const { VersionId: codeVersion = '' } = await s3.send(new PutObjectCommand({ Bucket: codeBucket, Key: codeKey, Body: zip }));

  const params: Record<string, string> = { ...opts.parameters, ConsumerCodeBucket: codeBucket, ConsumerCodeKey: codeKey, ConsumerCodeVersion: codeVersion };
  const cf = new CloudFormationClient(cfg);
  const cs = await cf.send(
    new CreateChangeSetCommand({
      StackName: stackName,
      ChangeSetName: `deploy-${Date.now()}`,
      ChangeSetType: 'CREATE',
      TemplateBody: templateBody,
      Capabilities: ['CAPABILITY_IAM'],
      Parameters: Object.entries(params).map(([ParameterKey, ParameterValue]): Parameter => ({ ParameterKey, ParameterValue })),
      Tags: [{ ...PIPELINE_TAG }],
    }),
  );
  for (let i = 0; ; i++) {
    const d = await cf.send(new DescribeChangeSetCommand({ ChangeSetName: cs.Id }));
    if (d.Status === 'CREATE_COMPLETE') break;
    if (d.Status === 'FAILED' || i > 300) throw new Error(`change set ${d.Status}: ${d.StatusReason}`);
    await sleep(100);
  }
  await cf.send(new ExecuteChangeSetCommand({ ChangeSetName: cs.Id }));
  for (let i = 0; ; i++) {
    const s = (await cf.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    if (s?.StackStatus === 'CREATE_COMPLETE') break;
    if (!s?.StackStatus?.endsWith('IN_PROGRESS') || i > 600) throw new Error(`stack ${stackName} is ${s?.StackStatus}: ${s?.StackStatusReason ?? ''}`);
    await sleep(100);
  }

  await fillMotoGaps(cfg, stackName, template, params, accountId);

  const stack = (await cf.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  const { outputs, missing } = readOutputs(stack?.Outputs);
  if (missing.length) throw new Error(`stack ${stackName} lacks outputs ${missing.join(', ')}`);
  return {
    stackName,
    stackId: stack?.StackId ?? '',
    outputs: outputs as PipelineOutputs,
    parameters: Object.fromEntries((stack?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? ''])),
    codeBucket,
    codeKey,
  };
}

/** The consumer's settings for a deployed stack (what the template puts in the function's environment). */
export function consumerConfig(outputs: PipelineOutputs, overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    dataBucket: outputs.DataBucketName,
    statusTable: outputs.StatusTableName,
    alertTable: outputs.AlertStateTableName,
    topicArn: outputs.AlertTopicArn,
    dlqUrl: outputs.DeadLetterQueueUrl,
    errorAlerts: true,
    errorRateThreshold: 50,
    errorWindowMs: 5 * 60_000,
    debounceMs: 15 * 60_000,
    statusTtlDays: 30,
    ...overrides,
  };
}

/** The consumer's four clients pointed at moto (no SDK retries, so injected failures surface at once). */
export function consumerClients(cfg: ClientConfig, maxAttempts = 1): Clients {
  return createClients({ region: cfg.region, endpoint: cfg.endpoint, credentials: cfg.credentials, maxAttempts });
}
