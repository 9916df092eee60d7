// The Buckets view's AWS access for one member of a multi-account scope (src/aws/scope). No vscode import:
// the integration tests build the same thing against moto and the SSO portal stand-in.
import { S3Client } from '@aws-sdk/client-s3';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { ScopeMember } from '../aws/scope/scope';
import { EmulatorFriendlyS3Control } from './listing';
import type { BucketsApi } from './model';

/** Makes (or returns the cached) client of a service for the member, in a region. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each SDK client takes its own config type
export type MemberClient = <T extends { destroy(): void; config: { serviceId?: string } }>(ctor: new (config: any) => T, opts?: { region?: string }) => T;

/** The member's account id: the portal told us an SSO member's; a profile member's comes from STS, once. */
export function memberAccountId(member: ScopeMember, client: MemberClient, defaultRegion: string): () => Promise<string> {
  let account: Promise<string> | undefined;
  return () => {
    if (member.accountId) return Promise.resolve(member.accountId);
    account ??= client(STSClient, { region: defaultRegion }).send(new GetCallerIdentityCommand({})).then((r) => r.Account ?? '');
    account.catch(() => (account = undefined));
    return account;
  };
}

export function memberBucketsApi(member: ScopeMember, client: MemberClient, defaultRegion: string): BucketsApi {
  return {
    s3: (region) => client(S3Client, { region }),
    cloudWatch: (region) => client(CloudWatchClient, { region }),
    s3Control: () => client(EmulatorFriendlyS3Control, { region: defaultRegion }),
    accountId: memberAccountId(member, client, defaultRegion),
    defaultRegion,
  };
}
