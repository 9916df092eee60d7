// Names the pipeline depends on. Pure, except for the random tail of a new artifact bucket name.
import { randomBytes } from 'node:crypto';

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

/**
 * The artifact buckets of an account and region start with this. The random tail that follows
 * (newArtifactBucketName) keeps the name from being guessed: a predictable name lets another account
 * create the bucket first and serve its own consumer.zip, or block every deploy.
 */
export function artifactBucketPrefix(accountId: string, region: string): string {
  return `cloud-monitor-artifacts-${accountId}-${region}-`;
}

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const ARTIFACT_SUFFIX_LENGTH = 10;

/** A fresh artifact bucket name with a random tail of 10 characters from [a-z0-9] (about 51 bits). */
export function newArtifactBucketName(accountId: string, region: string, bytes: Uint8Array = randomBytes(ARTIFACT_SUFFIX_LENGTH)): string {
  const tail = Array.from(bytes.slice(0, ARTIFACT_SUFFIX_LENGTH), (b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join('');
  return `${artifactBucketPrefix(accountId, region)}${tail}`;
}

/** A name newArtifactBucketName could have made for this account and region. */
export function isArtifactBucketName(name: string, accountId: string, region: string): boolean {
  const prefix = artifactBucketPrefix(accountId, region);
  return name.startsWith(prefix) && new RegExp(`^[a-z0-9]{${ARTIFACT_SUFFIX_LENGTH}}$`).test(name.slice(prefix.length));
}

/** The key of a consumer.zip version: its content hash, so a code change is a template change. */
export function artifactKey(sha256Hex: string): string {
  return `consumer/${sha256Hex.slice(0, 16)}.zip`;
}
