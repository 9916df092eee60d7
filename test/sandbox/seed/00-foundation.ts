// The foundation's part of the sandbox: a few buckets and log groups with events, so the account is not
// empty before the feature seeders run. Everything goes through the AWS APIs.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import type { SeedEnv } from '../types';

export async function seed(env: SeedEnv): Promise<void> {
  const s3 = new S3Client(env.clientConfig);
  for (const bucket of ['sandbox-web-assets', 'sandbox-app-backups']) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'README.txt', Body: `Sandbox bucket ${bucket}\n` }));
  }
  s3.destroy();

  const logs = new CloudWatchLogsClient(env.clientConfig);
  const now = Date.now();
  for (const [group, app] of [['/aws/lambda/checkout-api', 'checkout'], ['/ecs/orders-worker', 'orders']] as const) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 14 }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'main' }));
    const logEvents = Array.from({ length: 30 }, (_, i) => ({
      timestamp: now - (30 - i) * 60_000,
      message: JSON.stringify({ level: i % 10 === 7 ? 'ERROR' : 'INFO', app, message: i % 10 === 7 ? 'payment provider timeout' : `handled request ${i}` }),
    }));
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'main', logEvents }));
  }
  logs.destroy();
  env.log('2 buckets, 2 log groups with 30 events each');
}
