// OCSF findings (Security Hub's 2025 generation) as the Findings view reads them, and the V2 stand-in's
// refusals, in process: the stand-in's answer() is called directly, without HTTP.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFiltersV2, severityOfOcsf, toSummaryV2 } from '../../src/findings/ocsf';
import { bucketOf, keyOf } from '../../src/findings/model';
import { loadAwsModel } from '../helpers/awsModel';
import { ocsfFinding } from '../helpers/securityHubV2Data';
import { securityHubV2StandIn } from '../helpers/securityHubV2StandIn';

const env = { region: 'us-east-1', accountId: '123456789012' };

describe('OCSF findings', () => {
  test('severity_id maps to the view levels; Fatal is Critical; Unknown and Other fall back to the text', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((id) => severityOfOcsf({ severity_id: id })), ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'CRITICAL']);
    assert.equal(severityOfOcsf({ severity_id: 99, severity: 'High' }), 'HIGH');
    assert.equal(severityOfOcsf({ severity_id: 0, severity: 'whatever' }), 'INFORMATIONAL');
    assert.equal(severityOfOcsf({ severity: 'Fatal' }), 'CRITICAL');
  });

  test('a malformed document never throws: missing parts become placeholders, non-strings are dropped', () => {
    for (const doc of [null, 42, 'x', [], {}, { finding_info: 'x', resources: 'y', remediation: { references: [1, 'https://a.example'] }, status_id: 'New', comment: { a: 1 } }]) {
      const s = toSummaryV2(doc);
      assert.equal(s.source, 'v2');
      assert.equal(typeof s.title, 'string');
      assert.equal(s.resourceId, '(no resource)');
      assert.equal(s.workflowStatus, 'NEW');
      assert.equal(s.note, undefined);
    }
    assert.equal(toSummaryV2({ remediation: { references: [1, 'https://a.example'] } }).remediationUrl, 'https://a.example');
  });

  test('a seeded finding maps field by field; an S3 bucket resource is a bucket; keys tell accounts apart', () => {
    const s = toSummaryV2(ocsfFinding(env, { uid: 'S3.2/b', severity: 'Critical', title: 't', resource: { uid: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket' }, statusId: 2, compliance: 'Fail' }));
    assert.equal(s.workflowStatus, 'NOTIFIED');
    assert.equal(s.statusText, 'In Progress');
    assert.equal(bucketOf(s), 'b');
    const other = { ...s, accountId: '210987654321' };
    assert.notEqual(keyOf(s), keyOf(other));
    assert.notEqual(keyOf(s), keyOf({ id: s.id, productArn: s.productArn }), 'a V2 key never equals a CSPM key');
  });

  test('the V2 filter fits the GetFindingsV2 model for every floor and product', () => {
    const model = loadAwsModel('securityhub');
    for (const severityFloor of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL']) {
      for (const productName of ['', 'GuardDuty']) {
        assert.deepEqual(model.problems('GetFindingsV2Request', { Filters: buildFiltersV2({ severityFloor, productName }), MaxResults: 100 }), []);
      }
    }
    assert.equal(buildFiltersV2({ severityFloor: 'INFORMATIONAL', productName: '' }).CompositeFilters?.length, 1, 'all severities: only the status filter');
  });
});

describe('the Security Hub V2 stand-in refuses what AWS refuses (in process)', () => {
  const standIn = securityHubV2StandIn({ findings: [ocsfFinding(env, { uid: 'a', severity: 'Low', title: 'a', resource: { uid: 'r', type: 'Other' } })] });
  const call = (method: string, url: string, input: unknown) => standIn.answer({ method, url, body: JSON.stringify(input) })!;
  const id = { CloudAccountUid: env.accountId, FindingInfoUid: 'a', MetadataProductUid: 'arn:aws:securityhub:us-east-1::productv2/aws/securityhub' };

  test('requests the model or the API reference rule out are a 400 ValidationException naming the rule', () => {
    const refused: [string, string, unknown, RegExp][] = [
      ['POST', '/findingsv2', { MaxResults: 0 }, /MaxResults: 0 is below/],
      ['POST', '/findingsv2', { Filters: { CompositeFilters: [{ StringFilters: [{ FieldName: 'title', Filter: { Value: 'x', Comparison: 'EQUALS' } }] }] } }, /'title' is not one of OcsfStringField's values/],
      ['POST', '/findingsv2', { Filters: { CompositeFilters: Array.from({ length: 11 }, () => ({})) } }, /more than 10/],
      ['POST', '/findingsv2', { Filters: { CompositeFilters: [{ NumberFilters: Array.from({ length: 21 }, () => ({ FieldName: 'severity_id', Filter: { Eq: 1 } })) }] } }, /21 filters, more than 20/],
      ['PATCH', '/findingsv2/batchupdatev2', { MetadataUids: ['u'], FindingIdentifiers: [id], StatusId: 4 }, /cannot be used together/],
      ['PATCH', '/findingsv2/batchupdatev2', { FindingIdentifiers: [id], StatusId: 7 }, /StatusId: 7 is not one of/],
      ['PATCH', '/findingsv2/batchupdatev2', { FindingIdentifiers: [id], Comment: 'x'.repeat(513) }, /Comment: 1 to 512/],
      ['PATCH', '/findingsv2/batchupdatev2', { FindingIdentifiers: Array.from({ length: 101 }, () => id), StatusId: 4 }, /101 items, more than 100/],
      ['PATCH', '/findingsv2/batchupdatev2', { FindingIdentifiers: [{ FindingInfoUid: 'a' }], StatusId: 4 }, /CloudAccountUid: required/],
    ];
    for (const [method, url, input, why] of refused) {
      const a = call(method, url, input);
      assert.equal(a.status, 400, JSON.stringify(input).slice(0, 200));
      assert.equal(a.headers['x-amzn-errortype'], 'ValidationException');
      assert.equal(a.headers['x-cloud-monitor-stand-in'], '1');
      assert.match((JSON.parse(a.body) as { Message: string }).Message, why);
    }
    assert.equal(standIn.rejected.length, refused.length);
    assert.deepEqual(standIn.answerProblems, []);
  });

  test('BatchUpdateFindingsV2 by MetadataUids answers by metadata uid; an unknown one is unprocessed', () => {
    const uid = standIn.findings[0].metadata.uid;
    const a = call('PATCH', '/findingsv2/batchupdatev2', { MetadataUids: [uid, 'nope'], StatusId: 3 });
    assert.equal(a.status, 200);
    const body = JSON.parse(a.body) as { ProcessedFindings: { MetadataUid: string }[]; UnprocessedFindings: { MetadataUid: string; ErrorCode: string }[] };
    assert.deepEqual(body.ProcessedFindings.map((p) => p.MetadataUid), [uid]);
    assert.deepEqual(body.UnprocessedFindings.map((u) => [u.MetadataUid, u.ErrorCode]), [['nope', 'ResourceNotFoundException']]);
    assert.equal(standIn.findings[0].status, 'Suppressed');
    assert.deepEqual(standIn.answerProblems, []);
  });
});
