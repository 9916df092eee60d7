// The Lambda code upload cannot be taken over (issue 12.3), against moto_server with a second account
// (x-moto-account-id, see test/helpers/motoAccounts.ts): a bucket sniped under the old predictable
// name, a zip pre-placed under the expected key, a remembered bucket name now held by another account.
// Each test checks what the deployed stack's Lambda code points to: bucket, key and version hold
// exactly consumer.zip, and the function's CodeSha256 is the zip's.
import { after, before, describe, test } from 'node:test';
import { mockClient } from 'aws-sdk-client-mock';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { ArtifactRefused, ensureArtifactBucket, ownedArtifactBuckets, transientBucketMemory, TLS_ONLY_SID, uploadArtifact } from '../../src/pipeline/artifacts';
import { describeStack, deployPipeline, DeployRefused, type DeployClients, type DeployRequest, type DeployUi } from '../../src/pipeline/deploy';
import { listResources } from '../../src/pipeline/inspect';
import { artifactKey, isArtifactBucketName, newArtifactBucketName } from '../../src/pipeline/names';
import { paramSpecs, resolveParams } from '../../src/pipeline/params';
import { parseTemplate } from '../../src/pipeline/template';
import { startMoto, type Moto } from '../helpers/moto';
import { liftTlsOnlyPolicyForMoto, s3AsAccount } from '../helpers/motoAccounts';

const templateBody = readFileSync('templates/pipeline.yaml', 'utf8');
const zip = readFileSync('dist/pipeline/consumer.zip');
const zipSha = createHash('sha256').update(zip).digest();
const KEY = artifactKey(zipSha.toString('hex'));
const defaults = resolveParams(paramSpecs(parseTemplate(templateBody)));
const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
// Not a valid zip, and not ours: what a hijacker would want the function to run.
const EVIL = Buffer.from('PK\u0003\u0004 someone else\'s consumer');

let moto: Moto;
let clients: DeployClients;
let other: S3Client;
const memory = transientBucketMemory();

before(async () => {
  moto = await startMoto();
  clients = { cf: new CloudFormationClient(moto.clientConfig(REGION)), s3: new S3Client(moto.clientConfig(REGION)), ddb: new DynamoDBClient(moto.clientConfig(REGION)) };
  other = s3AsAccount(moto.clientConfig(REGION));
});
after(async () => moto?.stop());

const ui: DeployUi = { step: () => undefined, isCancelled: () => false, confirmRecreate: async () => true, confirmChanges: async () => true, pollMs: 20 };
const request = (stackName: string, over: Partial<DeployRequest> = {}): DeployRequest => ({ stackName, region: REGION, accountId: ACCOUNT, templateBody, zip, parameters: { ...defaults }, bucketMemory: memory, ...over });

/** Where the stack's Lambda code comes from (its parameters), and what the function runs. */
async function deployedCode(stackName: string) {
  const stack = (await clients.cf.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0];
  const param = (k: string) => stack.Parameters?.find((p) => p.ParameterKey === k)?.ParameterValue ?? '';
  const fn = (await listResources(clients.cf, stackName)).find((r) => r.LogicalResourceId === 'ConsumerFunction')!.PhysicalResourceId!;
  const config = await new LambdaClient(moto.clientConfig(REGION)).send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
  return { bucket: param('ConsumerCodeBucket'), key: param('ConsumerCodeKey'), version: param('ConsumerCodeVersion'), codeSha256: config.CodeSha256 };
}

async function bytesOf(bucket: string, key: string, version: string): Promise<Buffer> {
  const res = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: version }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

describe('artifact upload against moto_server (a second account via x-moto-account-id)', () => {
  test('bucket sniping: another account holds the old predictable bucket name with its own zip under the expected key; the deploy uses a new random-named bucket of its own and the Lambda runs exactly consumer.zip', async () => {
    const sniped = `cloud-monitor-artifacts-${ACCOUNT}-${REGION}`;
    await other.send(new CreateBucketCommand({ Bucket: sniped, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    await other.send(new PutObjectCommand({ Bucket: sniped, Key: KEY, Body: EVIL }));

    const outcome = await deployPipeline(clients, request('art-pipe'), ui);
    assert.equal(outcome.kind, 'deployed');
    const bucket = memory.get(ACCOUNT, REGION)!;
    assert.ok(isArtifactBucketName(bucket, ACCOUNT, REGION), `remembered ${bucket}`);
    assert.deepEqual(await ownedArtifactBuckets(clients.s3, ACCOUNT, REGION), [bucket], 'the account\'s own ListBuckets lists it');

    const code = await deployedCode('art-pipe');
    assert.equal(code.bucket, bucket);
    assert.equal(code.key, KEY);
    assert.ok(code.version && code.version !== 'null', 'a pinned S3 version');
    assert.equal(code.codeSha256, zipSha.toString('base64'), 'the function runs consumer.zip');
    await liftTlsOnlyPolicyForMoto(clients.s3, bucket);
    assert.ok((await bytesOf(code.bucket, code.key, code.version)).equals(zip), 'bucket, key and version hold consumer.zip');
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: KEY, VersionId: code.version, ChecksumMode: 'ENABLED' }));
    assert.equal(head.ChecksumSHA256, zipSha.toString('base64'), 'stored with its SHA-256 checksum');
    const theirs = await other.send(new ListObjectVersionsCommand({ Bucket: sniped }));
    assert.equal(theirs.Versions?.length, 1, 'nothing written to the foreign bucket');
  });

  test('a redeploy of the same zip changes nothing; the artifact bucket has the template buckets\' guard rails, and its TLS-only policy (moto ignores the condition: it then refuses a plain-HTTP object request)', async () => {
    // The previous test lifted the policy to read the object back: the next deploy puts it back. The
    // same zip reuses its verified version, so CloudFormation finds nothing to change.
    const bucket = memory.get(ACCOUNT, REGION)!;
    assert.deepEqual(await deployPipeline(clients, request('art-pipe'), ui), { kind: 'noChanges' });
    const s3 = clients.s3;
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status, 'Enabled');
    assert.deepEqual((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules, [{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    assert.deepEqual((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    assert.equal((await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0].ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
    const zips = rules.find((r) => r.Filter?.Prefix === 'consumer/');
    assert.equal(zips?.Status, 'Enabled');
    assert.equal(zips?.NoncurrentVersionExpiration?.NoncurrentDays, 30, 'replaced zips expire');

    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy!);
    const tls = policy.Statement.find((st: { Sid?: string }) => st.Sid === TLS_ONLY_SID);
    assert.deepEqual(tls, {
      Sid: TLS_ONLY_SID,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const denied = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: KEY })).then(() => undefined, (e: { $metadata?: { httpStatusCode?: number } }) => e);
    assert.equal(denied?.$metadata?.httpStatusCode, 403, 'moto refuses the plain-HTTP GetObject under the policy');
    await liftTlsOnlyPolicyForMoto(s3, bucket);
  });

  test('a zip someone with s3:PutObject in the account placed under the expected key, with other bytes, is never deployed: a new version is uploaded and pinned (and a fresh memory finds the same owned bucket)', async () => {
    const bucket = memory.get(ACCOUNT, REGION)!;
    const planted = await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: KEY, Body: EVIL, ChecksumAlgorithm: 'SHA256' }));
    assert.ok(planted.VersionId);

    // Another machine: nothing remembered. The owned bucket is found by ListBuckets, no second one made.
    const fresh = transientBucketMemory();
    const outcome = await deployPipeline(clients, request('art-pipe-2', { bucketMemory: fresh }), ui);
    assert.equal(outcome.kind, 'deployed');
    assert.equal(fresh.get(ACCOUNT, REGION), bucket);
    assert.deepEqual(await ownedArtifactBuckets(clients.s3, ACCOUNT, REGION), [bucket]);

    const code = await deployedCode('art-pipe-2');
    assert.equal(code.bucket, bucket);
    assert.equal(code.key, KEY);
    assert.notEqual(code.version, planted.VersionId, 'the planted version is not the one pinned');
    assert.equal(code.codeSha256, zipSha.toString('base64'), 'the function runs consumer.zip');
    await liftTlsOnlyPolicyForMoto(clients.s3, bucket);
    assert.ok((await bytesOf(code.bucket, code.key, code.version)).equals(zip), 'bucket, key and version hold consumer.zip');
    assert.ok((await bytesOf(bucket, KEY, planted.VersionId!)).equals(EVIL), 'the planted version is still there, unused');
  });

  test('a remembered artifact bucket that another account now holds: refused with a message naming the bucket and the account, nothing uploaded, no change set, the name forgotten', async () => {
    const taken = newArtifactBucketName(ACCOUNT, REGION);
    await other.send(new CreateBucketCommand({ Bucket: taken, CreateBucketConfiguration: { LocationConstraint: REGION } }));
    const remembered = transientBucketMemory();
    await remembered.set(ACCOUNT, REGION, taken);

    const err = await deployPipeline(clients, request('sniped-pipe', { bucketMemory: remembered }), ui).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof DeployRefused, String(err));
    assert.equal(err.reason, 'artifactBucket');
    assert.ok(err.message.includes(`The artifact bucket ${taken} belongs to another AWS account, not to ${ACCOUNT}.`), err.message);
    assert.match(err.message, /Nothing was uploaded or deployed/);
    assert.equal((await other.send(new ListObjectVersionsCommand({ Bucket: taken }))).Versions, undefined, 'nothing uploaded to it');
    assert.equal(await describeStack(clients.cf, 'sniped-pipe'), undefined, 'no change set, no stack');
    assert.equal(remembered.get(ACCOUNT, REGION), undefined, 'the name is forgotten');

    // The next deploy goes to a bucket the account owns.
    const next = await ensureArtifactBucket(clients.s3, { accountId: ACCOUNT, region: REGION, bucketMemory: remembered });
    assert.notEqual(next, taken);
    assert.ok((await ownedArtifactBuckets(clients.s3, ACCOUNT, REGION)).includes(next));
  });

  test('every request to the artifact bucket names the account as ExpectedBucketOwner (recorded on the way to moto)', async () => {
    // A region without an artifact bucket yet, so the whole set-up is recorded.
    const s3 = new S3Client(moto.clientConfig('eu-west-3'));
    const seen: { command: string; input: Record<string, unknown> }[] = [];
    s3.middlewareStack.add((next, context) => async (args) => (seen.push({ command: context.commandName ?? '?', input: args.input as Record<string, unknown> }), next(args)), { step: 'initialize', name: 'record' });
    const fresh = transientBucketMemory();
    await uploadArtifact(s3, { accountId: ACCOUNT, region: 'eu-west-3', zip, bucketMemory: fresh });
    const sent = [...seen];
    await liftTlsOnlyPolicyForMoto(s3, fresh.get(ACCOUNT, 'eu-west-3'));
    const commands = sent.map((x) => x.command);
    for (const c of ['CreateBucketCommand', 'PutBucketOwnershipControlsCommand', 'PutPublicAccessBlockCommand', 'PutBucketEncryptionCommand', 'PutBucketLifecycleConfigurationCommand', 'PutBucketVersioningCommand', 'HeadObjectCommand', 'PutObjectCommand', 'GetBucketPolicyCommand', 'PutBucketPolicyCommand']) assert.ok(commands.includes(c), `${c} in ${commands.join(', ')}`);
    // ListBuckets names no bucket; CreateBucket has no such parameter (S3 makes the bucket the caller's).
    const perBucket = sent.filter((x) => !['ListBucketsCommand', 'CreateBucketCommand'].includes(x.command));
    assert.deepEqual(perBucket.filter((x) => x.input.ExpectedBucketOwner !== ACCOUNT).map((x) => x.command), []);
  });

  test('a remembered bucket that S3 answers with 403 for the expected owner is refused before any upload (aws-sdk-client-mock: moto ignores ExpectedBucketOwner)', async () => {
    const s3 = new S3Client(moto.clientConfig(REGION));
    const m = mockClient(s3);
    m.on(ListBucketsCommand).resolves({ Buckets: [] });
    m.on(HeadBucketCommand).rejects(Object.assign(new Error('Forbidden'), { name: '403', $metadata: { httpStatusCode: 403 } }));
    const remembered = transientBucketMemory();
    const name = newArtifactBucketName(ACCOUNT, REGION);
    await remembered.set(ACCOUNT, REGION, name);
    await assert.rejects(uploadArtifact(s3, { accountId: ACCOUNT, region: REGION, zip, bucketMemory: remembered }), (e: unknown) => e instanceof ArtifactRefused && e.message.includes(`${name} belongs to another AWS account`));
    assert.deepEqual(m.commandCalls(HeadBucketCommand)[0].args[0].input, { Bucket: name, ExpectedBucketOwner: ACCOUNT });
    assert.equal(m.commandCalls(PutObjectCommand).length, 0);
    assert.equal(remembered.get(ACCOUNT, REGION), undefined);
  });
});
