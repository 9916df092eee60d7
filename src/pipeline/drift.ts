// Stack drift of a pipeline stack: start CloudFormation's drift detection, wait for it (bounded,
// cancellable), read the drifted resources, and write them as text. No vscode import.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/detect-drift-stack.html
import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  type CloudFormationClient,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';

export interface StackDrift {
  /** DRIFTED, IN_SYNC, UNKNOWN or NOT_CHECKED. */
  status: string;
  checkedAt?: Date;
  /** Resources found MODIFIED or DELETED (when known). */
  driftedCount?: number;
}

export interface DriftDetection {
  kind: 'complete' | 'failed' | 'cancelled';
  detectionId: string;
  drift?: StackDrift;
  /** DETECTION_FAILED's reason (some resources could not be checked; the rest still counts). */
  reason?: string;
  /** The drifted resources (MODIFIED and DELETED), when the detection finished. */
  drifts: StackResourceDrift[];
}

export class DriftTimeout extends Error {
  constructor(stackName: string, waitedMs: number) {
    super(`Drift detection of ${stackName} did not finish within ${Math.round(waitedMs / 1000)} s. It goes on in CloudFormation: run Detect Drift again later to see its result.`);
    this.name = 'DriftTimeout';
  }
}

const sleep = (ms: number, isCancelled?: () => boolean) =>
  new Promise<void>((resolve) => {
    // Wakes early on cancellation, checked every 100 ms.
    const started = Date.now();
    const tick = () => (isCancelled?.() || Date.now() - started >= ms ? resolve() : setTimeout(tick, Math.min(100, ms)));
    setTimeout(tick, Math.min(100, ms));
  });

/**
 * DetectStackDrift, then DescribeStackDriftDetectionStatus every `pollMs` until it is no longer in
 * progress (at most `timeoutMs`: DriftTimeout), then the MODIFIED and DELETED resources.
 */
export async function detectStackDrift(
  cf: CloudFormationClient,
  stackName: string,
  opts: { pollMs?: number; timeoutMs?: number; isCancelled?: () => boolean; onStatus?: (message: string) => void } = {},
): Promise<DriftDetection> {
  const pollMs = opts.pollMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const { StackDriftDetectionId: detectionId } = await cf.send(new DetectStackDriftCommand({ StackName: stackName }));
  if (!detectionId) throw new Error(`CloudFormation started no drift detection for ${stackName}.`);
  const started = Date.now();
  for (let polls = 0; ; polls++) {
    if (opts.isCancelled?.()) return { kind: 'cancelled', detectionId, drifts: [] };
    const s = await cf.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: detectionId }));
    if (s.DetectionStatus !== 'DETECTION_IN_PROGRESS') {
      const drift: StackDrift = { status: s.StackDriftStatus ?? 'UNKNOWN', checkedAt: s.Timestamp, driftedCount: s.DriftedStackResourceCount };
      const drifts = await resourceDrifts(cf, stackName);
      return { kind: s.DetectionStatus === 'DETECTION_FAILED' ? 'failed' : 'complete', detectionId, drift, reason: s.DetectionStatusReason, drifts };
    }
    if (Date.now() - started >= timeoutMs) throw new DriftTimeout(stackName, Date.now() - started);
    opts.onStatus?.(`checking resources (${Math.round((Date.now() - started) / 1000)} s)`);
    await sleep(pollMs, opts.isCancelled);
  }
}

/** The stack's resources that drifted (MODIFIED or DELETED) at its last drift detection, in logical-id order. */
export async function resourceDrifts(cf: CloudFormationClient, stackName: string): Promise<StackResourceDrift[]> {
  const out: StackResourceDrift[] = [];
  let token: string | undefined;
  do {
    const page = await cf.send(new DescribeStackResourceDriftsCommand({ StackName: stackName, StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'], NextToken: token, MaxResults: 100 }));
    out.push(...(page.StackResourceDrifts ?? []));
    token = page.NextToken;
  } while (token);
  return out.sort((a, b) => (a.LogicalResourceId ?? '').localeCompare(b.LogicalResourceId ?? ''));
}

/** One line per property difference: `VisibilityTimeout: expected 360, actual 30 (NOT_EQUAL)`. */
export function differenceLines(d: StackResourceDrift): string[] {
  if (d.StackResourceDriftStatus === 'DELETED') return ['The resource no longer exists.'];
  return (d.PropertyDifferences ?? []).map((p) => {
    const path = (p.PropertyPath ?? '?').replace(/^\//, '').replace(/\//g, '.');
    if (p.DifferenceType === 'ADD') return `${path}: added, actual ${p.ActualValue ?? ''} (not in the template)`;
    if (p.DifferenceType === 'REMOVE') return `${path}: removed, expected ${p.ExpectedValue ?? ''}`;
    return `${path}: expected ${p.ExpectedValue ?? ''}, actual ${p.ActualValue ?? ''}`;
  });
}

const pretty = (json: string | undefined) => {
  if (!json) return '(none)';
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
};

/** The read-only document of one drifted resource: what changed, then the expected and actual properties. */
export function formatResourceDrift(stackName: string, d: StackResourceDrift): string {
  return [
    `# ${d.LogicalResourceId ?? '?'} (${d.ResourceType ?? '?'}) of ${stackName}: ${d.StackResourceDriftStatus ?? '?'}`,
    `# Physical id: ${d.PhysicalResourceId ?? '-'}`,
    `# Checked: ${d.Timestamp ? `${d.Timestamp.toISOString().replace('T', ' ').slice(0, 19)} UTC` : '?'}`,
    '',
    'Differences (expected = the template, actual = the resource now):',
    ...differenceLines(d).map((l) => `  ${l}`),
    '',
    'Expected properties:',
    pretty(d.ExpectedProperties),
    '',
    'Actual properties:',
    d.StackResourceDriftStatus === 'DELETED' ? '(the resource was deleted)' : pretty(d.ActualProperties),
    '',
  ].join('\n');
}
