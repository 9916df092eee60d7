/**
 * A stand-in for S3 that answers the eight posture calls (and S3 Control's account-level Block Public Access)
 * after a fixed delay, with no capacity limit: what a benchmark of concurrency needs, where moto_server's one
 * core (about 450 calls/s under a global lock) caps every design. Every bucket looks the same: no Block
 * Public Access, policy or lifecycle (S3's "not configured" errors), SSE-S3, versioning never enabled,
 * BucketOwnerEnforced, the owner's own grant. Bodies follow S3's REST XML; answers carry the stand-in header.
 * Anything else is refused with 400, so an unexpected call shows up as an error.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { STAND_IN_HEADER } from './contractRecorder';

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
const OWNER = '<Owner><ID>standin0owner0id</ID><DisplayName>standin</DisplayName></Owner>';
const notFound = (code: string) => ({ status: 404, body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${code}</Message><RequestId>FIXEDLATENCY01</RequestId><HostId>standin</HostId></Error>` });
const ok = (body: string) => ({ status: 200, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` });

const ANSWERS: Record<string, () => { status: number; body: string }> = {
  publicAccessBlock: () => notFound('NoSuchPublicAccessBlockConfiguration'),
  policyStatus: () => ok(`<PolicyStatus ${NS}><IsPublic>false</IsPublic></PolicyStatus>`),
  policy: () => notFound('NoSuchBucketPolicy'),
  encryption: () => ok(`<ServerSideEncryptionConfiguration ${NS}><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>false</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`),
  versioning: () => ok(`<VersioningConfiguration ${NS}/>`),
  lifecycle: () => notFound('NoSuchLifecycleConfiguration'),
  ownershipControls: () => ok(`<OwnershipControls ${NS}><Rule><ObjectOwnership>BucketOwnerEnforced</ObjectOwnership></Rule></OwnershipControls>`),
  acl: () => ok(`<AccessControlPolicy ${NS}>${OWNER}<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser"><ID>standin0owner0id</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>`),
};

export interface FixedLatencyS3 {
  endpoint: string;
  /** Posture calls answered, and the most in flight at once. */
  answered: number;
  peakInFlight: number;
  close(): Promise<void>;
}

export async function startFixedLatencyS3(delayMs: number): Promise<FixedLatencyS3> {
  let inFlight = 0;
  const state = { answered: 0, peakInFlight: 0 };
  const server: Server = createServer((req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://stand-in');
    // S3 Control's GetPublicAccessBlock (account level): not configured.
    const answer = url.pathname.endsWith('/configuration/publicAccessBlock')
      ? notFound('NoSuchPublicAccessBlockConfiguration')
      : ANSWERS[[...url.searchParams.keys()].find((k) => k in ANSWERS) ?? '']?.() ?? { status: 400, body: `<Error><Code>InvalidRequest</Code><Message>not served by the stand-in: ${req.method} ${url.pathname}</Message></Error>` };
    inFlight++;
    state.peakInFlight = Math.max(state.peakInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      state.answered++;
      res.writeHead(answer.status, { 'content-type': 'application/xml', 'x-amz-request-id': 'FIXEDLATENCY01', [STAND_IN_HEADER]: '1' });
      res.end(answer.body);
    }, delayMs);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get answered() { return state.answered; },
    get peakInFlight() { return state.peakInFlight; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
