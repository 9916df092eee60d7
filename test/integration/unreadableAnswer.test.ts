// An answer the SDK cannot parse: moto_server 5.2.1 answers some AccessDenied errors of JSON-protocol services
// (Security Hub, CloudWatch Logs) as XML, where AWS answers in the service's own protocol, and the SDK's JSON
// parser fails ("Unexpected token '<' …"). A loopback server answers exactly as moto does (403, its XML body), so
// the test sees the real SDK's error through the extension's client factory and its ledger middleware.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { ClientFactory } from '../../src/aws/clientFactory';
import { classifyAwsError } from '../../src/aws/errors';
import { BillingLedger } from '../../src/billing/ledger';

const MOTO_XML_DENIAL = '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:sts::222222222222:assumed-role/ViewOnly/x is not authorized to perform: securityhub:GetFindings</Message></Error></Errors><RequestId>r</RequestId></ErrorResponse>';

let server: Server;
let factory: ClientFactory;
before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(403, { 'content-type': 'text/xml' }).end(MOTO_XML_DENIAL));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  factory = new ClientFactory(() => ({ files: { configFile: {}, credentialsFile: {} }, profiles: [], env: { AWS_ENDPOINT_URL: endpoint } }));
  factory.billing = { sink: { ledger: new BillingLedger(join(mkdtempSync(join(tmpdir(), 'cm-unreadable-')), 'ledger.jsonl')) }, account: (key) => (key === 'sso:corp/222222222222/ViewOnly' ? '222222222222' : '') };
  factory.provide('sso:corp/222222222222/ViewOnly', async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }));
});
after(async () => {
  factory?.clear();
  await new Promise((r) => server?.close(r));
});

test('moto\'s XML AccessDenied to a JSON-protocol service (a loopback server answering as moto does): the error leads with Access denied (HTTP 403 from Security Hub …, the service by its proper name) and says the endpoint\'s answer could not be read, with the account, never the parser\'s text', async () => {
  const hub = factory.get(SecurityHubClient, 'sso:corp/222222222222/ViewOnly', 'eu-west-1', 'findings');
  const err = await hub.send(new GetFindingsCommand({ MaxResults: 1 })).then(() => undefined, (e: unknown) => e);
  assert.ok(err, 'the call failed');
  assert.match(String((err as Error).message), /Unexpected token|not valid JSON/, 'the SDK could not parse the XML (the quirk this covers)');
  const c = classifyAwsError(err);
  // The denial first, and the service by its proper name (not the ledger's short name \`securityhub\`).
  assert.equal(c.message, 'Access denied (HTTP 403 from Security Hub GetFindings in account 222222222222): the endpoint\'s answer could not be read (it was not in the service\'s format), but its status says access was denied.');
  assert.equal(c.kind, 'accessDenied');
  assert.doesNotMatch(c.message, /Unexpected|token|JSON|\$response/);
});
