// The contract check's logic (test/zz-contract/contract.test.ts runs it on a test run's records): each recorded
// request against its operation's input shape, each stand-in answer against the output shape, in AWS's
// own API models (test/helpers/awsModel.ts); and which operations the shipped code can call at all.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractRecord } from './contractRecorder';
import { loadAwsModel, type AwsModel } from './awsModel';

/** SDK v3 client name → botocore's model directory. */
export const MODEL_OF_CLIENT: Record<string, string> = {
  AthenaClient: 'athena',
  CloudFormationClient: 'cloudformation',
  CloudWatchClient: 'cloudwatch',
  CloudWatchLogsClient: 'logs',
  CostExplorerClient: 'ce',
  DynamoDBClient: 'dynamodb',
  DynamoDBDocumentClient: 'dynamodb',
  GlueClient: 'glue',
  LambdaClient: 'lambda',
  S3Client: 's3',
  S3ControlClient: 's3control',
  SecurityHubClient: 'securityhub',
  SNSClient: 'sns',
  SQSClient: 'sqs',
  STSClient: 'sts',
  SSOClient: 'sso',
  SSOOIDCClient: 'sso-oidc',
  OrganizationsClient: 'organizations',
};

/** @aws-sdk package → botocore's model directory, for scanning the shipped code. */
const MODEL_OF_PACKAGE: Record<string, string> = {
  'client-athena': 'athena', 'client-cloudformation': 'cloudformation', 'client-cloudwatch': 'cloudwatch',
  'client-cloudwatch-logs': 'logs', 'client-cost-explorer': 'ce', 'client-dynamodb': 'dynamodb', 'client-glue': 'glue',
  'client-lambda': 'lambda', 'client-s3': 's3', 'client-s3-control': 's3control', 'client-securityhub': 'securityhub',
  'client-sns': 'sns', 'client-sqs': 'sqs', 'client-sts': 'sts', 'client-sso': 'sso', 'client-sso-oidc': 'sso-oidc',
  'lib-dynamodb': 'dynamodb', 'client-organizations': 'organizations',
};

/** lib-dynamodb's document commands send these DynamoDB operations. */
const DOCUMENT_OPS: Record<string, string> = {
  Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', Query: 'Query', Scan: 'Scan',
  BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem', TransactGet: 'TransactGetItems', TransactWrite: 'TransactWriteItems',
  ExecuteStatement: 'ExecuteStatement', BatchExecuteStatement: 'BatchExecuteStatement', ExecuteTransaction: 'ExecuteTransaction',
};

/** A record with the process that wrote it: 'extension' (the extension's own bundle in code-server) or 'node'. */
export type ProcRecord = ContractRecord & { proc?: string };

export function readRecords(dir: string): ProcRecord[] {
  const out: ProcRecord[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    const proc = f.split('-')[0];
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line.trim()) out.push({ ...(JSON.parse(line) as ContractRecord), proc });
  }
  return out;
}

/**
 * The billing ledger's side of the check. In the extension host (records written by the extension's own
 * bundle) every call is the shipped extension's, so every one must carry the ledger's mark: a call that
 * reached AWS (or its stand-in) without a ledger entry is a gap. In node processes a call carries the mark
 * when it went through a ClientFactory client (tests also hand src/ functions clients of their own, which
 * the ledger never sees). Every operation the shipped code can call, and every ledgered call, needs a price.
 */
export function ledgerGaps(records: readonly ProcRecord[], shipped: ReadonlyMap<string, string[]>, prices: Readonly<Record<string, unknown>>): { unledgered: string[]; unpriced: string[]; ledgered: number; extensionCalls: number } {
  const unledgered = new Map<string, number>();
  const unpriced = new Set<string>();
  let ledgered = 0;
  let extensionCalls = 0;
  for (const r of records) {
    const key = `${MODEL_OF_CLIENT[r.client] ?? r.client}:${r.op}`;
    if (r.ledger) {
      ledgered++;
      if (!(key in prices)) unpriced.add(`${key} (recorded under ${r.ledger})`);
    }
    if (r.proc !== 'extension') continue;
    extensionCalls++;
    if (!r.ledger) unledgered.set(key, (unledgered.get(key) ?? 0) + 1);
  }
  for (const op of shipped.keys()) if (!(op in prices)) unpriced.add(`${op} (the shipped code can call it)`);
  return { unledgered: [...unledgered].map(([k, n]) => `${k} ×${n}`).sort(), unpriced: [...unpriced].sort(), ledgered, extensionCalls };
}

export interface Finding { op: string; path: string; rule: string; detail: string; side: 'request' | 'answer'; by: string }

export interface CheckResult {
  /** 'service:Operation' → calls validated, of them sent by shipped code, and stand-in answers validated. */
  counts: Map<string, { calls: number; shipped: number; answers: number }>;
  findings: Finding[];
  /** Requests a test sent against the model on purpose, which a stand-in refused as AWS would. */
  refused: Finding[];
  /** Shapes with a pattern JavaScript cannot compile, per service. */
  skippedPatterns: Map<string, Set<string>>;
}

/** Array indices out of a path, so the same mistake on 500 list items reads as one. */
const general = (path: string) => path.replace(/\[\d+\]/g, '[]');

export function checkRecords(records: ContractRecord[], model: (service: string) => AwsModel = loadAwsModel): CheckResult {
  const counts: CheckResult['counts'] = new Map();
  const findings: Finding[] = [];
  const refused: Finding[] = [];
  const skippedPatterns: CheckResult['skippedPatterns'] = new Map();
  for (const r of records) {
    const service = MODEL_OF_CLIENT[r.client];
    const key = `${service ?? r.client}:${r.op}`;
    const base = { op: key, by: r.by };
    if (!service) {
      findings.push({ ...base, path: r.client, rule: 'model', detail: `no API model is mapped for ${r.client} (test/helpers/contract.ts MODEL_OF_CLIENT)`, side: 'request' });
      continue;
    }
    const m = model(service);
    const op = m.operations[r.op];
    if (!op) {
      findings.push({ ...base, path: r.op, rule: 'operation', detail: `${service} has no operation ${r.op}`, side: 'request' });
      continue;
    }
    const c = counts.get(key) ?? { calls: 0, shipped: 0, answers: 0 };
    counts.set(key, c);
    c.calls++;
    if (r.by !== 'test') c.shipped++;
    const bad = op.input ? m.violations(op.input.shape, r.input ?? {}) : [];
    // A test may send what AWS refuses on purpose, to see a stand-in refuse it too: not a violation when a
    // stand-in did refuse it. Shipped code never gets that pass.
    if (bad.length && r.by === 'test' && r.standIn && r.error) refused.push(...bad.map((v) => ({ ...base, ...v, side: 'request' as const })));
    else findings.push(...bad.map((v) => ({ ...base, ...v, side: 'request' as const })));
    if (r.standIn && r.output !== undefined && !r.error && op.output) {
      c.answers++;
      for (const v of m.violations(op.output.shape, r.output, { wire: r.wire })) findings.push({ ...base, ...v, side: 'answer' });
    }
    if (m.skippedPatterns.size) skippedPatterns.set(service, m.skippedPatterns);
  }
  return { counts, findings, refused, skippedPatterns };
}

/** One line per distinct violation: `operation · member path · rule: detail (request|answer, by, ×n)`. */
export function describeFindings(findings: Finding[]): string[] {
  const seen = new Map<string, { f: Finding; n: number }>();
  for (const f of findings) {
    const k = `${f.op}|${general(f.path)}|${f.rule}|${f.side}|${f.by}`;
    const e = seen.get(k);
    if (e) e.n++;
    else seen.set(k, { f, n: 1 });
  }
  return [...seen.values()].map(({ f, n }) => `${f.op} · ${general(f.path)} · ${f.rule}: ${f.detail} (${f.side}, sent by ${f.by}${n > 1 ? `, ×${n}` : ''})`);
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/**
 * 'service:Operation' for every command and paginator the shipped code imports (or re-exports) from an @aws-sdk client
 * package, with the files that import it.
 */
export function shippedOperations(root: string, dirs = ['src', 'pipeline']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const file of dirs.flatMap((d) => tsFiles(join(root, d)))) {
    const text = readFileSync(file, 'utf8');
    // Imports, and re-exports (a module that a feature loads when first needed, e.g. src/costs/ceSdk.ts).
    for (const m of text.matchAll(/(?:import|export)\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/([a-z0-9-]+)'/g)) {
      const service = MODEL_OF_PACKAGE[m[3]];
      if (!service || m[1]) continue;
      for (const raw of m[2].split(',')) {
        const name = raw.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0];
        if (!name || raw.trim().startsWith('type ')) continue;
        let op: string | undefined;
        if (name.startsWith('paginate')) op = name.slice('paginate'.length);
        else if (name.endsWith('Command') && !name.endsWith('CommandInput') && !name.endsWith('CommandOutput')) op = name.slice(0, -'Command'.length);
        if (!op) continue;
        if (m[3] === 'lib-dynamodb') op = DOCUMENT_OPS[op] ?? op;
        const key = `${service}:${op}`;
        out.set(key, [...(out.get(key) ?? []), file.slice(root.length + 1)]);
      }
    }
  }
  return out;
}
