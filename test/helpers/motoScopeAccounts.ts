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
  /** Log groups, stacks, alarms and findings in other regions than us-east-1 (moto keeps each region apart). */
  regions?: Record<string, RegionSeed>;
}

export type RegionSeed = Pick<SeedAccount, 'logGroups' | 'pipelineStacks' | 'alarms' | 'findings'>;

export const VIEWER_ROLE = 'ViewOnly';
const SEEDER_ROLE = 'Seeder';

/**
 * An AWS Organization in moto: created by the management account (one of the seeded accounts), with
 * `members` accounts made by CreateAccount (moto picks their ids). moto's DescribeOrganization then answers
 * the organization (MasterAccountId) to the management account and to each member account; an account
 * outside it gets AWSOrganizationsNotInUseException. Each member gets the same roles as a seeded account
 * (ViewOnly allowed everything, no buckets).
 */
export interface OrganizationSeed { management: string; members: number }

export interface MotoAccounts {
  moto: Moto;
  /** The member accounts CreateAccount made (moto's ids), when an organization was seeded. */
  organizationMembers: string[];
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

/** One Organizations call (JSON protocol) in moto's unauthenticated window, as `accountId`. */
async function organizationsCall(moto: Moto, operation: string, input: Record<string, unknown>, accountId: string): Promise<Record<string, unknown>> {
  const res = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSOrganizationsV20161128.${operation}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=00',
      'x-moto-account-id': accountId,
    },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Organizations ${operation} in moto: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** One region's log groups, stacks, alarms and findings of an account (`cfg` signs as its Seeder role in that region). */
async function seedRegion(cfg: ReturnType<Moto['clientConfig']> & { credentials: IssuedCredentialsConfig }, a: SeedAccount, data: RegionSeed, idPart: string): Promise<void> {
  if (data.logGroups?.length) {
    const logs = new CloudWatchLogsClient(cfg);
    for (const g of data.logGroups) await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
    logs.destroy();
  }
  if (data.pipelineStacks?.length) {
    const cf = new CloudFormationClient(cfg);
    const TemplateBody = JSON.stringify({ Resources: { IngestQueue: { Type: 'AWS::SQS::Queue' } } });
    for (const StackName of data.pipelineStacks) await cf.send(new CreateStackCommand({ StackName, TemplateBody, Tags: [{ Key: 'cloud-monitor:pipeline', Value: 'true' }] }));
    cf.destroy();
  }
  if (data.alarms?.length) {
    const cw = new CloudWatchClient(cfg);
    for (const AlarmName of data.alarms) {
      await cw.send(new PutMetricAlarmCommand({ AlarmName, Namespace: 'App', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
      await cw.send(new SetAlarmStateCommand({ AlarmName, StateValue: 'ALARM', StateReason: `${AlarmName} seeded in ALARM` }));
    }
    cw.destroy();
  }
  if (data.findings?.length) {
    const env = { region: cfg.region, accountId: a.id };
    await importFindings(cfg, data.findings.map((title, i) => finding(env, { id: `scope/${a.id}/${idPart}${i}`, title, description: title, severity: 'HIGH', resource: { Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${a.buckets[0] ?? a.id}` } })));
  }
}

type IssuedCredentialsConfig = { accessKeyId: string; secretAccessKey: string; sessionToken: string };

/** Starts moto with IAM enforcement and seeds the accounts (roles, then buckets through each Seeder role). */
export async function startMotoAccounts(seeded: SeedAccount[], opts: { organization?: OrganizationSeed } = {}): Promise<MotoAccounts> {
  const org = opts.organization;
  // The unauthenticated window: 3 calls for the portal's IAM user, 4 per account (two roles, two policies);
  // with an organization, CreateOrganization and one CreateAccount per member.
  const window = 3 + 4 * (seeded.length + (org?.members ?? 0)) + (org ? 1 + org.members : 0);
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
  const organizationMembers: string[] = [];
  if (org) {
    await organizationsCall(moto, 'CreateOrganization', { FeatureSet: 'ALL' }, org.management);
    for (let i = 0; i < org.members; i++) {
      const status = (await organizationsCall(moto, 'CreateAccount', { AccountName: `member-${i + 1}`, Email: `member-${i + 1}@example.com` }, org.management)).CreateAccountStatus as { AccountId?: string } | undefined;
      if (!status?.AccountId) throw new Error('moto CreateAccount answered without an account id');
      organizationMembers.push(status.AccountId);
    }
  }
  const accounts: SeedAccount[] = [...seeded, ...organizationMembers.map((id): SeedAccount => ({ id, buckets: [], viewer: 'allowAll' }))];
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
    await seedRegion(cfg, a, a, '');
    for (const [region, data] of Object.entries(a.regions ?? {})) await seedRegion({ ...cfg, region }, a, data, `${region}/`);
  }
  const seeders = new Map<string, Promise<IssuedCredentials>>();
  const clientConfigIn = async (accountId: string, region = 'us-east-1') => {
    let c = seeders.get(accountId);
    if (!c) seeders.set(accountId, (c = assume(accountId, SEEDER_ROLE)));
    const { accessKeyId, secretAccessKey, sessionToken } = await c;
    return { ...moto.clientConfig(region), credentials: { accessKeyId, secretAccessKey, sessionToken } };
  };
  return { moto, assume, organizationMembers, accountOfKey: (k) => keys.get(k), clientConfigIn };
}
