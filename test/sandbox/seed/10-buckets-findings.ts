// Sandbox data for the Buckets and Findings views, through the AWS APIs only:
//   buckets of every posture (locked down, public, no TLS-only policy, no lifecycle, unversioned,
//   unencrypted, another region), objects in Hive partitions (gzip JSON Lines, JSON, CSV, one
//   object bigger than the preview limit), daily storage metrics per storage class, and
//   Security Hub findings of every severity, several about these buckets.
// The integration tests import the helpers below, so the sandbox data is itself tested.
import { gzipSync } from 'node:zlib';
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import {
  CreateBucketCommand, PutBucketAclCommand, PutBucketEncryptionCommand, PutBucketLifecycleConfigurationCommand, PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand, PutBucketVersioningCommand, PutObjectCommand, PutPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import { BatchImportFindingsCommand, EnableSecurityHubCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { SeedEnv } from '../types';

type ClientConfig = SeedEnv['clientConfig'];
const GB = 1024 ** 3;
const ALL_ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

export const tlsOnlyStatement = (bucket: string) => ({
  Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*',
  Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});
export const publicReadStatement = (bucket: string) => ({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` });

export interface BucketSpec {
  name: string;
  region?: string;
  pab?: boolean;
  encryption?: 'AES256' | 'aws:kms';
  versioning?: boolean;
  lifecycle?: boolean;
  policy?: 'tls' | 'public' | 'public+tls';
  /** A canned bucket ACL (put after the Block Public Access settings, which moto does not enforce on it). */
  acl?: 'public-read' | 'authenticated-read';
  /** Object Ownership; BucketOwnerEnforced disables ACLs. */
  ownership?: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';
  /** Block Public Access with only these settings on (instead of all four). */
  pabOnly?: (keyof typeof ALL_ON)[];
  /** Bytes by CloudWatch StorageType, and the object count, published as daily metrics. */
  storage?: Record<string, number>;
  objects?: number;
}

/** One bucket per posture. Names are what the tests and the UI test look for. */
export const POSTURE_BUCKETS: BucketSpec[] = [
  { name: 'demo-locked-down', pab: true, encryption: 'aws:kms', versioning: true, lifecycle: true, policy: 'tls', storage: { StandardStorage: 3 * GB, StandardIAStorage: 12 * GB }, objects: 5200 },
  { name: 'demo-public-website', encryption: 'AES256', policy: 'public', storage: { StandardStorage: 0.2 * GB }, objects: 340 },
  { name: 'demo-no-tls-policy', pab: true, encryption: 'AES256', versioning: true, lifecycle: true, storage: { StandardStorage: 0.5 * GB }, objects: 120 },
  { name: 'demo-no-lifecycle-logs', pab: true, encryption: 'AES256', versioning: true, policy: 'tls', storage: { StandardStorage: 850 * GB, GlacierStorage: 40 * GB }, objects: 1_900_000 },
  { name: 'demo-unversioned', pab: true, encryption: 'AES256', lifecycle: true, policy: 'tls' },
  { name: 'demo-unencrypted', pab: true, versioning: true, lifecycle: true, policy: 'tls' },
  { name: 'demo-eu-archive', region: 'eu-west-1', pab: true, encryption: 'aws:kms', versioning: true, lifecycle: true, policy: 'tls', storage: { StandardStorage: 1 * GB, GlacierStorage: 500 * GB, DeepArchiveStorage: 2000 * GB }, objects: 88_000 },
  // No TLS-only policy here: moto enforces its Deny on object requests, and the sandbox talks plain HTTP.
  { name: 'demo-data-lake', pab: true, encryption: 'AES256', versioning: true, lifecycle: true, storage: { StandardStorage: 42 * GB, IntelligentTieringFAStorage: 10 * GB, IntelligentTieringIAStorage: 30 * GB }, objects: 61_000 },
];

export async function createBucket(cfg: ClientConfig, spec: BucketSpec): Promise<void> {
  const region = spec.region ?? cfg.region;
  const s3 = new S3Client({ ...cfg, region });
  const Bucket = spec.name;
  try {
    await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as never } }));
    if (spec.pab) await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: ALL_ON }));
    if (spec.pabOnly) await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: Object.fromEntries(spec.pabOnly.map((k) => [k, true])) }));
    if (spec.acl) await s3.send(new PutBucketAclCommand({ Bucket, ACL: spec.acl }));
    if (spec.ownership) await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: spec.ownership }] } }));
    if (spec.encryption) {
      await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: spec.encryption } }] } }));
    }
    if (spec.versioning) await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    if (spec.lifecycle) {
      await s3.send(new PutBucketLifecycleConfigurationCommand({
        Bucket,
        LifecycleConfiguration: { Rules: [{ ID: 'to-ia-then-glacier', Status: 'Enabled', Filter: { Prefix: '' }, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 180, StorageClass: 'GLACIER' }] }] },
      }));
    }
    if (spec.policy) {
      const Statement = [
        ...(spec.policy.includes('public') ? [publicReadStatement(Bucket)] : []),
        ...(spec.policy.includes('tls') ? [tlsOnlyStatement(Bucket)] : []),
      ];
      await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement }) }));
    }
  } finally {
    s3.destroy();
  }
}

/** S3's daily storage metrics, as CloudWatch would hold them: yesterday's datapoint per storage type. */
export function storageMetrics(specs: readonly BucketSpec[], at = new Date(Date.now() - 86_400_000)): MetricDatum[] {
  const data: MetricDatum[] = [];
  for (const s of specs) {
    for (const [type, bytes] of Object.entries(s.storage ?? {})) {
      data.push({ MetricName: 'BucketSizeBytes', Dimensions: [{ Name: 'BucketName', Value: s.name }, { Name: 'StorageType', Value: type }], Value: Math.round(bytes), Unit: 'Bytes', Timestamp: at });
    }
    if (s.objects !== undefined) {
      data.push({ MetricName: 'NumberOfObjects', Dimensions: [{ Name: 'BucketName', Value: s.name }, { Name: 'StorageType', Value: 'AllStorageTypes' }], Value: s.objects, Unit: 'Count', Timestamp: at });
    }
  }
  return data;
}

export async function putStorageMetrics(cfg: ClientConfig, specs: readonly BucketSpec[]): Promise<void> {
  const byRegion = new Map<string, BucketSpec[]>();
  for (const s of specs) byRegion.set(s.region ?? cfg.region, [...(byRegion.get(s.region ?? cfg.region) ?? []), s]);
  for (const [region, list] of byRegion) {
    // moto 5.2.1 fails (HTTP 500, BadGzipFile) on the SDK's gzip request compression, which
    // PutMetricData uses for bodies over 10 KiB.
    const cw = new CloudWatchClient({ ...cfg, region, disableRequestCompression: true });
    const data = storageMetrics(list);
    // PutMetricData takes up to 1,000 datums per call.
    for (let i = 0; i < data.length; i += 1000) await cw.send(new PutMetricDataCommand({ Namespace: 'AWS/S3', MetricData: data.slice(i, i + 1000) }));
    cw.destroy();
  }
}

/** Hive-partitioned objects: events/year=…/month=…/day=…/part-….json.gz (gzip JSON Lines), and more. */
export async function putDataLakeObjects(cfg: ClientConfig, bucket: string, opts: { days?: number; bigObjectBytes?: number } = {}): Promise<string[]> {
  const s3 = new S3Client(cfg);
  const keys: string[] = [];
  const put = async (Key: string, Body: string | Uint8Array, extra: { ContentType?: string; ContentEncoding?: string } = {}) => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...extra }));
    keys.push(Key);
  };
  try {
    const days = opts.days ?? 12;
    for (let d = 1; d <= days; d++) {
      const day = String(d).padStart(2, '0');
      const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ ts: `2024-03-${day}T${String(i % 24).padStart(2, '0')}:00:00Z`, level: i % 7 === 0 ? 'ERROR' : 'INFO', service: 'checkout', latencyMs: 20 + ((i * 37) % 400), msg: `request ${i}` }));
      await put(`events/year=2024/month=03/day=${day}/part-00000.json.gz`, gzipSync(lines.join('\n') + '\n'), { ContentType: 'application/x-ndjson' });
    }
    await put('events/_SUCCESS', new Uint8Array(0));
    await put('reports/region=eu%2Dwest%2D1/summary.json', JSON.stringify({ region: 'eu-west-1', requests: 12345, errors: 17, p95Ms: 310 }), { ContentType: 'application/json' });
    await put('reports/region=us-east-1/summary.json', JSON.stringify({ region: 'us-east-1', requests: 54321, errors: 3, p95Ms: 120 }), { ContentType: 'application/json' });
    await put('exports/daily.csv', 'date,requests,errors\n2024-03-01,1000,2\n2024-03-02,1100,5\n', { ContentType: 'text/csv' });
    const big = opts.bigObjectBytes ?? 3 * 1024 * 1024;
    const row = JSON.stringify({ id: 0, payload: 'x'.repeat(200) });
    await put('exports/large.jsonl', Array.from({ length: Math.ceil(big / (row.length + 1)) }, (_, i) => JSON.stringify({ id: i, payload: 'x'.repeat(200) })).join('\n'), { ContentType: 'application/x-ndjson' });
    await put('README.txt', 'Sample data lake for the Cloud Monitor sandbox.\n');
  } finally {
    s3.destroy();
  }
  return keys;
}

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;

export function finding(env: { region: string; accountId: string }, f: {
  id: string; title: string; description: string; severity: (typeof SEVERITIES)[number];
  resource: { Type: string; Id: string }; product?: string; compliance?: 'PASSED' | 'FAILED' | 'WARNING' | 'NOT_AVAILABLE';
  remediation?: { Text: string; Url?: string }; workflow?: 'NEW' | 'NOTIFIED'; daysAgo?: number;
}): AwsSecurityFinding {
  const now = Date.now();
  const first = new Date(now - (f.daysAgo ?? 3) * 86_400_000).toISOString();
  const last = new Date(now - 3_600_000).toISOString();
  return {
    SchemaVersion: '2018-10-08',
    Id: f.id,
    ProductArn: `arn:aws:securityhub:${env.region}:${env.accountId}:product/${env.accountId}/default`,
    ProductName: f.product ?? 'Security Hub',
    CompanyName: 'AWS',
    GeneratorId: `sandbox/${f.id.split('/')[0]}`,
    AwsAccountId: env.accountId,
    Region: env.region,
    Types: ['Software and Configuration Checks/AWS Security Best Practices'],
    FirstObservedAt: first,
    LastObservedAt: last,
    CreatedAt: first,
    UpdatedAt: last,
    Severity: { Label: f.severity },
    Title: f.title,
    Description: f.description,
    Remediation: f.remediation ? { Recommendation: f.remediation } : undefined,
    Resources: [{ ...f.resource, Region: env.region, Partition: 'aws' }],
    Compliance: f.compliance ? { Status: f.compliance } : undefined,
    Workflow: { Status: f.workflow ?? 'NEW' },
    RecordState: 'ACTIVE',
  };
}

/** Findings of every severity; several about the posture buckets; one with markup in its text. */
export function sandboxFindings(env: { region: string; accountId: string }): AwsSecurityFinding[] {
  const s3 = (b: string) => ({ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${b}` });
  return [
    finding(env, { id: 's3-2/demo-public-website', severity: 'CRITICAL', title: 'S3 general purpose buckets should block public read access', description: 'The bucket policy of demo-public-website allows s3:GetObject to everyone.', resource: s3('demo-public-website'), compliance: 'FAILED', remediation: { Text: 'Remove the public statement or turn on Block Public Access.', Url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2' } }),
    finding(env, { id: 's3-8/demo-public-website', severity: 'HIGH', title: 'S3 general purpose buckets should block public access', description: 'Block Public Access is not enabled for this bucket.', resource: s3('demo-public-website'), compliance: 'FAILED', remediation: { Text: 'Enable all four Block Public Access settings.', Url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8' } }),
    finding(env, { id: 's3-5/demo-no-tls-policy', severity: 'MEDIUM', title: 'S3 general purpose buckets should require requests to use SSL', description: 'The bucket policy does not deny requests where aws:SecureTransport is false.', resource: s3('demo-no-tls-policy'), compliance: 'FAILED', remediation: { Text: 'Add a Deny statement for aws:SecureTransport = false.', Url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5' } }),
    finding(env, { id: 's3-13/demo-no-lifecycle-logs', severity: 'LOW', title: 'S3 general purpose buckets should have Lifecycle configurations', description: 'No lifecycle rule is configured.', resource: s3('demo-no-lifecycle-logs'), compliance: 'FAILED', remediation: { Text: 'Add a lifecycle rule that transitions or expires objects.', Url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-13' } }),
    finding(env, { id: 's3-14/demo-unversioned', severity: 'LOW', title: 'S3 general purpose buckets should have versioning enabled', description: 'Versioning is not enabled.', resource: s3('demo-unversioned'), compliance: 'FAILED', workflow: 'NOTIFIED' }),
    finding(env, { id: 'ec2-19/sg-0abc', severity: 'CRITICAL', title: 'Security groups should not allow unrestricted access to ports with high risk', description: 'sg-0abc allows 0.0.0.0/0 on port 22.', resource: { Type: 'AwsEc2SecurityGroup', Id: `arn:aws:ec2:${env.region}:${env.accountId}:security-group/sg-0abc` }, compliance: 'FAILED', remediation: { Text: 'Restrict the ingress rule to known addresses.', Url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19' } }),
    finding(env, { id: 'iam-1/admin-policy', severity: 'HIGH', title: 'IAM policies should not allow full "*" administrative privileges', description: 'The customer managed policy AdminEverything allows "*" on "*".', resource: { Type: 'AwsIamPolicy', Id: `arn:aws:iam::${env.accountId}:policy/AdminEverything` }, compliance: 'FAILED' }),
    finding(env, { id: 'guardduty/recon-1', severity: 'MEDIUM', product: 'GuardDuty', title: 'Recon:EC2/PortProbeUnprotectedPort', description: 'An unprotected port on EC2 instance i-0123 is being probed.', resource: { Type: 'AwsEc2Instance', Id: `arn:aws:ec2:${env.region}:${env.accountId}:instance/i-0123` } }),
    finding(env, { id: 'markup/xss-check', severity: 'HIGH', title: '<img src=x onerror=alert(1)><script>alert("title")</script> Bucket <b>policy</b>', description: '<script>document.body.innerHTML="pwned"</script><a href="javascript:alert(2)">click</a> & <i>more</i>', resource: s3('demo-data-lake'), compliance: 'WARNING', remediation: { Text: '<b>Do not render me as HTML</b>', Url: 'javascript:alert(3)' } }),
    finding(env, { id: 'cloudtrail-1/account', severity: 'INFORMATIONAL', title: 'CloudTrail should be enabled and configured with at least one multi-Region trail', description: 'Informational: a multi-Region trail exists.', resource: { Type: 'AwsAccount', Id: `AWS::::Account:${env.accountId}` }, compliance: 'PASSED', workflow: 'NOTIFIED' }),
    finding(env, { id: 'config-1/account', severity: 'INFORMATIONAL', title: 'AWS Config should be enabled', description: 'AWS Config is recording all resources.', resource: { Type: 'AwsAccount', Id: `AWS::::Account:${env.accountId}` }, compliance: 'NOT_AVAILABLE' }),
  ];
}

export async function importFindings(cfg: ClientConfig, findings: AwsSecurityFinding[]): Promise<void> {
  const hub = new SecurityHubClient(cfg);
  try {
    await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  } catch (err) {
    if ((err as Error).name !== 'ResourceConflictException') throw err;
  }
  // BatchImportFindings takes up to 100 findings per call.
  for (let i = 0; i < findings.length; i += 100) {
    const res = await hub.send(new BatchImportFindingsCommand({ Findings: findings.slice(i, i + 100) }));
    if (res.FailedCount) throw new Error(`BatchImportFindings failed for ${res.FailedCount} finding(s): ${JSON.stringify(res.FailedFindings)}`);
  }
  hub.destroy();
}

export async function seed(env: SeedEnv): Promise<void> {
  for (const spec of POSTURE_BUCKETS) await createBucket(env.clientConfig, spec);
  env.log(`${POSTURE_BUCKETS.length} buckets, one per posture`);
  const keys = await putDataLakeObjects(env.clientConfig, 'demo-data-lake');
  env.log(`${keys.length} objects in demo-data-lake (Hive partitions, gzip JSON Lines, a 3 MiB object)`);
  await putStorageMetrics(env.clientConfig, POSTURE_BUCKETS);
  env.log('S3 storage metrics in CloudWatch');
  const findings = sandboxFindings(env);
  await importFindings(env.clientConfig, findings);
  env.log(`${findings.length} Security Hub findings, every severity`);
}
