// moto_server serving several AWS accounts, the way the scope reaches them: each account has IAM roles, and
// credentials from STS AssumeRole into `arn:aws:iam::<account>:role/<name>` land in that account (moto keys
// the account by the assumed role's access key). moto enforces IAM policies for every request after the
// first INITIAL_NO_AUTH_ACTION_COUNT requests, so a role whose policy does not allow s3:ListAllMyBuckets
// really gets AccessDenied. The IAM seeding happens in that unauthenticated window (with moto's
// `x-moto-account-id` header choosing the account); everything after it is signed with real keys.
//
// Checked by probe on moto 5.2.1: AssumeRole from an IAM user's keys into a role of account 111111111111,
// then GetCallerIdentity → 111111111111 and CreateBucket/ListBuckets see only that account's buckets.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { finding, importFindings } from '../sandbox/seed/10-buckets-findings';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startMoto, type Moto } from './moto';
import type { IssuedCredentials } from './ssoPortalStandIn';

export interface SeedAccount {
  id: string;
  /** Buckets the account holds (created through its Seeder role). */
  buckets: string[];
  /** Log groups the account holds (us-east-1). */
  logGroups?: string[];
  /** CloudFormation stacks tagged as the monitoring pipeline (one SQS queue each, us-east-1). */
  pipelineStacks?: string[];
  /** CloudWatch alarms (us-east-1), set to ALARM. */
  alarms?: string[];
  /** Security Hub findings (HIGH, one per title, on the account's first bucket), with Security Hub enabled. */
  findings?: string[];
  /** The role the portal assigns: allowed everything, or only sts:GetCallerIdentity (S3 denied). */
  viewer: 'allowAll' | 'denyS3';
}

export const VIEWER_ROLE = 'ViewOnly';
const SEEDER_ROLE = 'Seeder';

export interface MotoAccounts {
  moto: Moto;
  /** Role credentials in an account, from moto's STS (what GetRoleCredentials hands out). */
  assume(accountId: string, roleName: string): Promise<IssuedCredentials>;
  /** The account an access key from assume() lands in (what moto keys the account by). */
  accountOfKey(accessKeyId: string): string | undefined;
  /** A client config acting in an account with its Seeder role (allowed everything): for checks and stand-ins. */
  clientConfigIn(accountId: string, region?: string): Promise<{ endpoint: string; region: string; forcePathStyle: true; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string } }>;
}

const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] });
const policy = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

/**
 * One IAM call (query protocol) in moto's unauthenticated window. The extension has no IAM client; moto routes
 * by the credential scope of the Authorization header and, in this window, checks no signature.
 */
async function iamCall(moto: Moto, params: Record<string, string>, accountId?: string): Promise<string> {
  const res = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00',
      ...(accountId ? { 'x-moto-account-id': accountId } : {}),
    },
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`IAM ${params.Action} in moto: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text;
}

/** Starts moto with IAM enforcement and seeds the accounts (roles, then buckets through each Seeder role). */
export async function startMotoAccounts(accounts: SeedAccount[]): Promise<MotoAccounts> {
  // The unauthenticated window: 3 calls for the portal's IAM user, 4 per account (two roles, two policies).
  const window = 3 + 4 * accounts.length;
  const before = process.env.INITIAL_NO_AUTH_ACTION_COUNT;
  process.env.INITIAL_NO_AUTH_ACTION_COUNT = String(window);
  let moto: Moto;
  try {
    moto = await startMoto();
  } finally {
    if (before === undefined) delete process.env.INITIAL_NO_AUTH_ACTION_COUNT;
    else process.env.INITIAL_NO_AUTH_ACTION_COUNT = before;
  }
  await iamCall(moto, { Action: 'CreateUser', UserName: 'sso-portal' });
  await iamCall(moto, { Action: 'PutUserPolicy', UserName: 'sso-portal', PolicyName: 'assume', PolicyDocument: policy('sts:AssumeRole') });
  const keyXml = await iamCall(moto, { Action: 'CreateAccessKey', UserName: 'sso-portal' });
  const accessKeyId = /<AccessKeyId>([^<]+)</.exec(keyXml)?.[1];
  const secretAccessKey = /<SecretAccessKey>([^<]+)</.exec(keyXml)?.[1];
  if (!accessKeyId || !secretAccessKey) throw new Error('moto CreateAccessKey answered without a key');
  for (const a of accounts) {
    await iamCall(moto, { Action: 'CreateRole', RoleName: VIEWER_ROLE, AssumeRolePolicyDocument: trust }, a.id);
    await iamCall(moto, { Action: 'PutRolePolicy', RoleName: VIEWER_ROLE, PolicyName: 'view', PolicyDocument: policy(a.viewer === 'allowAll' ? '*' : 'sts:GetCallerIdentity') }, a.id);
    await iamCall(moto, { Action: 'CreateRole', RoleName: SEEDER_ROLE, AssumeRolePolicyDocument: trust }, a.id);
    await iamCall(moto, { Action: 'PutRolePolicy', RoleName: SEEDER_ROLE, PolicyName: 'all', PolicyDocument: policy('*') }, a.id);
  }
  const sts = new STSClient({ ...moto.clientConfig(), credentials: { accessKeyId, secretAccessKey } });
  const keys = new Map<string, string>();
  const assume = async (accountId: string, roleName: string): Promise<IssuedCredentials> => {
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${roleName}`, RoleSessionName: 'cloud-monitor-test' }))).Credentials!;
    keys.set(c.AccessKeyId!, accountId);
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration!.getTime() };
  };
  for (const a of accounts) {
    const c = await assume(a.id, SEEDER_ROLE);
    const s3 = new S3Client({ ...moto.clientConfig(), credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } });
    for (const b of a.buckets) await s3.send(new CreateBucketCommand({ Bucket: b }));
    s3.destroy();
    const cfg = { ...moto.clientConfig(), credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken } };
    if (a.logGroups?.length) {
      const logs = new CloudWatchLogsClient(cfg);
      for (const g of a.logGroups) await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
      logs.destroy();
    }
    if (a.pipelineStacks?.length) {
      const cf = new CloudFormationClient(cfg);
      const TemplateBody = JSON.stringify({ Resources: { IngestQueue: { Type: 'AWS::SQS::Queue' } } });
      for (const StackName of a.pipelineStacks) await cf.send(new CreateStackCommand({ StackName, TemplateBody, Tags: [{ Key: 'cloud-monitor:pipeline', Value: 'true' }] }));
      cf.destroy();
    }
    if (a.alarms?.length) {
      const cw = new CloudWatchClient(cfg);
      for (const AlarmName of a.alarms) {
        await cw.send(new PutMetricAlarmCommand({ AlarmName, Namespace: 'App', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
        await cw.send(new SetAlarmStateCommand({ AlarmName, StateValue: 'ALARM', StateReason: `${AlarmName} seeded in ALARM` }));
      }
      cw.destroy();
    }
    if (a.findings?.length) {
      const env = { region: cfg.region, accountId: a.id };
      await importFindings(cfg, a.findings.map((title, i) => finding(env, { id: `scope/${a.id}/${i}`, title, description: title, severity: 'HIGH', resource: { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${a.buckets[0] ?? a.id}` } })));
    }
  }
  const seeders = new Map<string, Promise<IssuedCredentials>>();
  const clientConfigIn = async (accountId: string, region = 'us-east-1') => {
    let c = seeders.get(accountId);
    if (!c) seeders.set(accountId, (c = assume(accountId, SEEDER_ROLE)));
    const { accessKeyId, secretAccessKey, sessionToken } = await c;
    return { ...moto.clientConfig(region), credentials: { accessKeyId, secretAccessKey, sessionToken } };
  };
  return { moto, assume, accountOfKey: (k) => keys.get(k), clientConfigIn };
}
