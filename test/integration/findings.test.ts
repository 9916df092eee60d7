// Findings against moto_server (EnableSecurityHub, BatchImportFindings, GetFindings). moto has no
// BatchUpdateFindings (HTTP 404), so triage is covered with aws-sdk-client-mock for the batching
// logic and with a recorded-response endpoint for what the SDK puts on the wire; both say so in
// their names. The "not enabled" answer also comes from a recorded-response endpoint, because moto
// serves GetFindings whether or not Security Hub was enabled.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockClient } from 'aws-sdk-client-mock';
import { BatchUpdateFindingsCommand, SecurityHubClient, type BatchUpdateFindingsCommandInput } from '@aws-sdk/client-securityhub';
import { classifyAwsError } from '../../src/aws/errors';
import { fetchFinding, fetchFindings, MAX_FINDINGS_PER_UPDATE, updateWorkflowStatus } from '../../src/findings/api';
import { countsByBucket, groupFindings, type FindingKey } from '../../src/findings/model';
import { motoPerFile } from '../helpers/motoPerFile';
import { finding, importFindings, sandboxFindings } from '../sandbox/seed/10-buckets-findings';
import { STAND_IN_HEADER } from '../helpers/contractRecorder';

const env = { region: 'us-east-1', accountId: '123456789012' };
const ALL = { severityFloor: 'INFORMATIONAL', productName: '' };

const moto = motoPerFile();

/** A one-route HTTP server that records requests and answers with a canned response. */
async function recordedEndpoint(answer: (req: IncomingMessage, body: string) => { status: number; headers?: Record<string, string>; body: string }) {
  const requests: { method: string; url: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      const a = answer(req, body);
      res.writeHead(a.status, { 'content-type': 'application/json', [STAND_IN_HEADER]: '1', ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('findings (moto_server)', () => {
  test('imported findings load with the default filters, grouped by severity then resource', async () => {
    const seeded = sandboxFindings(env);
    const closed = [
      finding(env, { id: 'closed/resolved', severity: 'CRITICAL', title: 'resolved', description: 'Resolved by its owner.', resource: { Type: 'Other', Id: 'x' } }),
      finding(env, { id: 'closed/archived', severity: 'CRITICAL', title: 'archived', description: 'Archived by its provider.', resource: { Type: 'Other', Id: 'x' } }),
    ];
    closed[0].Workflow = { Status: 'RESOLVED' };
    closed[1].RecordState = 'ARCHIVED';
    await importFindings(moto.clientConfig(), [...seeded, ...closed]);
    const hub = new SecurityHubClient(moto.clientConfig());

    const { findings, nextToken } = await fetchFindings(hub, ALL, { max: 1000 });
    assert.equal(nextToken, undefined);
    assert.equal(findings.length, seeded.length, 'RESOLVED and ARCHIVED are left out');
    const groups = groupFindings(findings);
    assert.deepEqual(groups.map((g) => g.severity), ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']);
    assert.equal(groups.reduce((n, g) => n + g.count, 0), seeded.length);
    const high = groups.find((g) => g.severity === 'HIGH')!;
    assert.ok(high.resources.some((r) => r.id === 'arn:aws:s3:::demo-public-website'));
    assert.deepEqual(countsByBucket(findings), { 'demo-public-website': 2, 'demo-no-tls-policy': 1, 'demo-no-lifecycle-logs': 1, 'demo-unversioned': 1, 'demo-data-lake': 1 });

    // Markup in a title or description arrives unchanged: rendering must treat it as text.
    const xss = findings.find((f) => f.id === 'markup/xss-check')!;
    assert.equal(xss.title, '<img src=x onerror=alert(1)><script>alert("title")</script> Bucket <b>policy</b>');
    assert.match(xss.description, /^<script>document\.body\.innerHTML="pwned"<\/script>/);

    const floor = await fetchFindings(hub, { severityFloor: 'HIGH', productName: '' }, { max: 1000 });
    assert.ok(floor.findings.length > 0 && floor.findings.every((f) => f.severity === 'CRITICAL' || f.severity === 'HIGH'));
    const gd = await fetchFindings(hub, { severityFloor: 'INFORMATIONAL', productName: 'GuardDuty' }, { max: 1000 });
    assert.deepEqual(gd.findings.map((f) => f.id), ['guardduty/recon-1']);

    const one = await fetchFinding(hub, { id: 'config-1/account', productArn: seeded[0].ProductArn! });
    assert.equal(one?.title, 'AWS Config should be enabled');
    hub.destroy();
  });

  test('GetFindings pages of 100; the view stops at maxResults and continues with the token', async () => {
    const many = Array.from({ length: 250 }, (_, i) => finding(env, { id: `bulk/${i}`, severity: 'MEDIUM', title: `bulk ${i}`, description: `Bulk finding ${i}.`, resource: { Type: 'Other', Id: `r${i % 7}` } }));
    await importFindings(moto.clientConfig(), many);
    const hub = new SecurityHubClient(moto.clientConfig());
    const calls: number[] = [];
    hub.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'GetFindingsCommand') calls.push((args.input as { MaxResults: number }).MaxResults);
      return next(args);
    }, { step: 'initialize' });
    const all = await fetchFindings(hub, ALL, { max: 1000 });
    assert.equal(all.findings.length, 250);
    assert.deepEqual(calls, [100, 100, 100]);
    const first = await fetchFindings(hub, ALL, { max: 200 });
    assert.equal(first.findings.length, 200);
    assert.ok(first.nextToken);
    const rest = await fetchFindings(hub, ALL, { max: 200, nextToken: first.nextToken });
    assert.equal(rest.findings.length, 50);
    assert.equal(new Set([...first.findings, ...rest.findings].map((f) => f.id)).size, 250);
    hub.destroy();
  });

  test('Security Hub not enabled is a state, not an error (recorded-response endpoint: moto serves GetFindings without EnableSecurityHub)', async () => {
    const rec = await recordedEndpoint(() => ({
      status: 401,
      headers: { 'x-amzn-errortype': 'InvalidAccessException:http://internal.amazon.com/coral/com.amazonaws.securityhub/' },
      body: JSON.stringify({ Code: 'InvalidAccessException', Message: 'Account 123456789012 is not subscribed to AWS Security Hub' }),
    }));
    const hub = new SecurityHubClient({ ...moto.clientConfig(), endpoint: rec.endpoint });
    const err = await fetchFindings(hub, ALL, { max: 100 }).then(() => undefined, (e: unknown) => e);
    const c = classifyAwsError(err);
    assert.equal(c.code, 'InvalidAccessException');
    assert.equal(c.kind, 'notEnabled');
    assert.match(c.message, /not subscribed to AWS Security Hub/);
    hub.destroy();
    await rec.close();
  });
});

describe('triage with BatchUpdateFindings', () => {
  const keys: FindingKey[] = Array.from({ length: 250 }, (_, i) => ({ id: `f-${i}`, productArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default' }));

  test('250 findings go out in calls of 100, 100 and 50; unprocessed and failed calls are reported per finding (aws-sdk-client-mock: moto lacks BatchUpdateFindings)', async () => {
    const hub = new SecurityHubClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const mock = mockClient(hub);
    let call = 0;
    mock.on(BatchUpdateFindingsCommand).callsFake((input: BatchUpdateFindingsCommandInput) => {
      call++;
      if (call === 2) throw Object.assign(new Error('User is not authorized to perform: securityhub:BatchUpdateFindings'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
      const ids = input.FindingIdentifiers ?? [];
      const bad = ids.filter((x) => x.Id === 'f-7' || x.Id === 'f-249');
      return {
        ProcessedFindings: ids.filter((x) => !bad.includes(x)),
        UnprocessedFindings: bad.map((x) => ({ FindingIdentifier: x, ErrorCode: 'FindingNotFound', ErrorMessage: 'Finding not found' })),
      };
    });
    const progress: number[] = [];
    const r = await updateWorkflowStatus(hub, keys, 'SUPPRESSED', { text: 'accepted risk', updatedBy: 'arn:aws:iam::123456789012:user/me' }, { onProgress: (d) => progress.push(d) });

    const sizes = mock.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input.FindingIdentifiers?.length);
    assert.deepEqual(sizes, [100, 100, 50]);
    assert.ok(sizes.every((n) => (n ?? 0) <= MAX_FINDINGS_PER_UPDATE));
    assert.deepEqual(progress, [100, 200, 250]);
    assert.equal(r.calls, 3);
    assert.equal(r.failed.length, 102, '100 in the denied call, f-7 and f-249 unprocessed');
    assert.equal(r.processed.length, 148);
    assert.deepEqual(r.failed.filter((f) => f.code === 'FindingNotFound').map((f) => f.key.id), ['f-7', 'f-249']);
    // The whole second call (f-100…f-199) was denied; each of its findings carries the AWS message.
    const denied = r.failed.filter((f) => f.code === 'AccessDeniedException');
    assert.deepEqual(denied.map((f) => f.key.id), keys.slice(100, 200).map((k) => k.id));
    assert.ok(denied.every((f) => /securityhub:BatchUpdateFindings/.test(f.message)));
    const input = mock.commandCalls(BatchUpdateFindingsCommand)[0].args[0].input;
    assert.deepEqual(input.Workflow, { Status: 'SUPPRESSED' });
    assert.deepEqual(input.Note, { Text: 'accepted risk', UpdatedBy: 'arn:aws:iam::123456789012:user/me' });
    mock.restore();
    hub.destroy();
  });

  test('the SDK request on the wire: PATCH /findings/batchupdate with identifiers, workflow and note (recorded-response endpoint: moto answers 404)', async () => {
    const rec = await recordedEndpoint((_req, body) => {
      const ids = (JSON.parse(body) as { FindingIdentifiers: { Id: string; ProductArn: string }[] }).FindingIdentifiers;
      return { status: 200, body: JSON.stringify({ ProcessedFindings: ids.slice(1), UnprocessedFindings: [{ FindingIdentifier: ids[0], ErrorCode: 'ConcurrentUpdateError', ErrorMessage: 'Finding was updated by another request' }] }) };
    });
    const hub = new SecurityHubClient({ region: 'us-east-1', endpoint: rec.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const r = await updateWorkflowStatus(hub, keys.slice(0, 3), 'NOTIFIED', undefined);
    assert.equal(rec.requests.length, 1);
    assert.equal(rec.requests[0].method, 'PATCH');
    assert.equal(rec.requests[0].url, '/findings/batchupdate');
    const sent = JSON.parse(rec.requests[0].body);
    assert.deepEqual(sent.FindingIdentifiers, keys.slice(0, 3).map((k) => ({ Id: k.id, ProductArn: k.productArn })));
    assert.deepEqual(sent.Workflow, { Status: 'NOTIFIED' });
    assert.equal(sent.Note, undefined);
    assert.deepEqual(r.failed.map((f) => [f.key.id, f.code]), [['f-0', 'ConcurrentUpdateError']]);
    assert.deepEqual(r.processed.map((k) => k.id), ['f-1', 'f-2']);
    hub.destroy();
    await rec.close();
  });
});

