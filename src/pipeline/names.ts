// Names the pipeline depends on. Pure.

export const DEFAULT_STACK_NAME = 'cloud-monitor-pipeline';
/**
 * CloudFormation allows 128 characters, but the template names its FIFO queues
 * `<stack>-ingest.fifo`, and SQS queue names stop at 80 characters.
 */
export const MAX_STACK_NAME = 64;

/** Why a stack name is refused, or undefined when it is fine. */
export function stackNameProblem(name: string): string | undefined {
  if (!name) return 'Enter a stack name.';
  if (!/^[A-Za-z]/.test(name)) return 'A stack name must start with a letter (A-Z, a-z).';
  const bad = /[^A-Za-z0-9-]/.exec(name);
  if (bad) return `A stack name may contain only letters, digits and hyphens: "${bad[0]}" is not allowed.`;
  if (name.length > MAX_STACK_NAME) return `A stack name may have at most ${MAX_STACK_NAME} characters (the pipeline's queue names derive from it); this one has ${name.length}.`;
  return undefined;
}

/** The per-account, per-region bucket that holds consumer.zip versions. */
export function artifactBucketName(accountId: string, region: string): string {
  return `cloud-monitor-artifacts-${accountId}-${region}`;
}

/** The key of a consumer.zip version: its content hash, so a code change is a template change. */
export function artifactKey(sha256Hex: string): string {
  return `consumer/${sha256Hex.slice(0, 16)}.zip`;
}
