// OCSF findings as Security Hub's 2025 generation returns them from GetFindingsV2 (Detection Finding,
// class_uid 2004), for the V2 stand-in (test/helpers/securityHubV2StandIn.ts). Field names follow
// https://schema.ocsf.io/classes/detection_finding and the fields the botocore model lets GetFindingsV2
// filter on. One set of every severity, several about S3 buckets, one hostile.
import { COMMAND_LINK } from '../fixtures/hostile';

export type OcsfDoc = Record<string, unknown> & {
  severity: string; severity_id: number; status: string; status_id: number;
  finding_info: { uid: string; title: string; desc: string; types: string[]; created_time_dt: string; first_seen_time_dt: string; last_seen_time_dt: string; modified_time_dt: string };
  metadata: { uid: string; product: { uid: string; name: string; vendor_name: string }; version: string };
  cloud: { account: { uid: string }; region: string; provider: string };
  resources: { uid: string; type: string; region: string }[];
  comment?: string;
};

const SEVERITY_IDS = { Informational: 1, Low: 2, Medium: 3, High: 4, Critical: 5, Fatal: 6 } as const;
export type OcsfSeverity = keyof typeof SEVERITY_IDS;

export interface OcsfSpec {
  uid: string;
  title: string;
  desc?: string;
  severity: OcsfSeverity;
  resource: { uid: string; type: string };
  product?: 'Security Hub' | 'GuardDuty' | 'Inspector';
  compliance?: 'Pass' | 'Fail' | 'Warning';
  remediation?: { desc: string; references?: string[] };
  /** 1 New (default), 2 In Progress, 3 Suppressed, 4 Resolved, 5 Archived. */
  statusId?: 1 | 2 | 3 | 4 | 5;
  /** Minutes before `now` the finding last changed; findings sort newest first by it. */
  minutesAgo?: number;
  account?: string;
}

const STATUS = { 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved', 5: 'Archived' } as const;

export function ocsfFinding(env: { region: string; accountId: string }, s: OcsfSpec, now = Date.now()): OcsfDoc {
  const account = s.account ?? env.accountId;
  const product = s.product ?? 'Security Hub';
  const productUid = `arn:aws:securityhub:${env.region}::productv2/aws/${product.toLowerCase().replace(/\s+/g, '')}`;
  const modified = new Date(now - (s.minutesAgo ?? 60) * 60_000).toISOString();
  const first = new Date(now - 3 * 86_400_000).toISOString();
  const statusId = s.statusId ?? 1;
  return {
    class_uid: 2004,
    class_name: 'Detection Finding',
    category_uid: 2,
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200401,
    severity: s.severity,
    severity_id: SEVERITY_IDS[s.severity],
    status: STATUS[statusId],
    status_id: statusId,
    time: Date.parse(modified),
    time_dt: modified,
    cloud: { account: { uid: account }, region: env.region, provider: 'AWS' },
    finding_info: {
      uid: s.uid,
      title: s.title,
      desc: s.desc ?? '',
      types: ['Software and Configuration Checks/AWS Security Best Practices'],
      created_time_dt: first,
      first_seen_time_dt: first,
      last_seen_time_dt: modified,
      modified_time_dt: modified,
    },
    metadata: { uid: `${account}/${productUid}/${s.uid}`, version: '1.6.0', product: { uid: productUid, name: product, vendor_name: 'AWS' } },
    resources: [{ ...s.resource, region: env.region }],
    ...(s.compliance ? { compliance: { status: s.compliance, control: s.uid.split('/')[0] } } : {}),
    ...(s.remediation ? { remediation: s.remediation } : {}),
  };
}

/** Title of the hostile finding: markup and a command link, which must show as the characters they are. */
export const V2_HOSTILE_TITLE = `<img src=x onerror=alert(1)> OCSF ${COMMAND_LINK}`;

/** A V2 account's findings: 2 Critical, 3 High, 2 Medium, 2 Low, 1 Informational open; 1 resolved, 1 archived. */
export function sandboxOcsfFindings(env: { region: string; accountId: string }, now = Date.now()): OcsfDoc[] {
  const s3 = (b: string) => ({ uid: `arn:aws:s3:::${b}`, type: 'AWS::S3::Bucket' });
  const f = (s: OcsfSpec) => ocsfFinding(env, s, now);
  return [
    f({ uid: 'S3.2/v2-public-bucket', severity: 'Critical', title: 'V2: S3 general purpose buckets should block public read access', desc: 'The bucket policy of v2-public-bucket allows s3:GetObject to everyone.', resource: s3('v2-public-bucket'), compliance: 'Fail', remediation: { desc: 'Remove the public statement or turn on Block Public Access.', references: ['https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2'] }, minutesAgo: 5 }),
    f({ uid: 'guardduty/exfil-1', severity: 'Fatal', product: 'GuardDuty', title: 'V2: Exfiltration:S3/AnomalousBehavior', desc: 'An IAM entity invoked an S3 API in a suspicious way.', resource: s3('v2-public-bucket'), minutesAgo: 10 }),
    f({ uid: 'S3.8/v2-public-bucket', severity: 'High', title: 'V2: S3 general purpose buckets should block public access', desc: 'Block Public Access is not enabled for this bucket.', resource: s3('v2-public-bucket'), compliance: 'Fail', minutesAgo: 15 }),
    f({ uid: 'inspector/CVE-2024-0001', severity: 'High', product: 'Inspector', title: 'V2: CVE-2024-0001 - openssl', desc: 'A vulnerable openssl package is installed.', resource: { uid: `arn:aws:ec2:${env.region}:${env.accountId}:instance/i-0v2`, type: 'AWS::EC2::Instance' }, minutesAgo: 20 }),
    f({ uid: 'markup/ocsf-xss', severity: 'High', title: V2_HOSTILE_TITLE, desc: '<script>document.body.innerHTML="pwned"</script> $(pass-filled) all clear', resource: s3('v2-data-lake'), compliance: 'Warning', remediation: { desc: '<b>Do not render me as HTML</b>', references: ['javascript:alert(3)'] }, minutesAgo: 25 }),
    f({ uid: 'EC2.19/sg-0v2', severity: 'Medium', title: 'V2: Security groups should not allow unrestricted access to ports with high risk', desc: 'sg-0v2 allows 0.0.0.0/0 on port 22.', resource: { uid: `arn:aws:ec2:${env.region}:${env.accountId}:security-group/sg-0v2`, type: 'AWS::EC2::SecurityGroup' }, compliance: 'Fail', minutesAgo: 30 }),
    f({ uid: 'IAM.1/admin', severity: 'Medium', title: 'V2: IAM policies should not allow full "*" administrative privileges', resource: { uid: `arn:aws:iam::${env.accountId}:policy/AdminEverything`, type: 'AWS::IAM::Policy' }, compliance: 'Fail', statusId: 2, minutesAgo: 35 }),
    f({ uid: 'S3.13/v2-logs', severity: 'Low', title: 'V2: S3 general purpose buckets should have Lifecycle configurations', resource: s3('v2-logs'), compliance: 'Fail', minutesAgo: 40 }),
    f({ uid: 'S3.14/v2-logs', severity: 'Low', title: 'V2: S3 general purpose buckets should have versioning enabled', resource: s3('v2-logs'), compliance: 'Fail', minutesAgo: 45 }),
    f({ uid: 'Config.1/account', severity: 'Informational', title: 'V2: AWS Config should be enabled', resource: { uid: `AWS::::Account:${env.accountId}`, type: 'AWS::::Account' }, compliance: 'Pass', minutesAgo: 50 }),
    f({ uid: 'closed/resolved', severity: 'Critical', title: 'V2: resolved earlier', resource: s3('v2-logs'), statusId: 4, minutesAgo: 55 }),
    f({ uid: 'closed/archived', severity: 'Critical', title: 'V2: archived', resource: s3('v2-logs'), statusId: 5, minutesAgo: 60 }),
  ];
}
