import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { bucketOf, buildFilters, countsByBucket, findingPickItem, groupFindings, matchesFilters, resourceLabel, safeLink, severityOf, toSummary, type FindingSummary } from '../../src/findings/model';
import { hasNotificationLink } from '../../src/util/inert';
import { BIDI, COMMAND_LINK, ICON_SPOOF, LINK_TEXTS } from '../fixtures/hostile';

function f(id: string, severity: string, resource: [string, string], extra: Partial<AwsSecurityFinding> = {}): FindingSummary {
  return toSummary({
    Id: id, ProductArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub', Title: `title ${id}`, Description: 'd',
    Severity: { Label: severity as never }, Resources: [{ Type: resource[0], Id: resource[1] }], Workflow: { Status: 'NEW' }, RecordState: 'ACTIVE',
    ProductName: 'Security Hub', LastObservedAt: `2024-01-0${id.length % 9}T00:00:00Z`, ...extra,
  } as AwsSecurityFinding);
}

describe('findings model', () => {
  test('severity from the label, or from the normalized score', () => {
    assert.equal(severityOf({ Severity: { Label: 'HIGH' } }), 'HIGH');
    assert.equal(severityOf({ Severity: { Normalized: 95 } }), 'CRITICAL');
    assert.equal(severityOf({ Severity: { Normalized: 70 } }), 'HIGH');
    assert.equal(severityOf({ Severity: { Normalized: 40 } }), 'MEDIUM');
    assert.equal(severityOf({ Severity: { Normalized: 1 } }), 'LOW');
    assert.equal(severityOf({}), 'INFORMATIONAL');
  });

  test('default filters: ACTIVE, NEW or NOTIFIED; severity floor and product when set', () => {
    const all = buildFilters({ severityFloor: 'INFORMATIONAL', productName: '' });
    assert.deepEqual(all.RecordState, [{ Value: 'ACTIVE', Comparison: 'EQUALS' }]);
    assert.deepEqual(all.WorkflowStatus?.map((w) => w.Value), ['NEW', 'NOTIFIED']);
    assert.equal(all.SeverityLabel, undefined, 'no severity filter needed for all levels');
    const high = buildFilters({ severityFloor: 'HIGH', productName: 'GuardDuty' });
    assert.deepEqual(high.SeverityLabel?.map((s) => s.Value), ['CRITICAL', 'HIGH']);
    assert.deepEqual(high.ProductName, [{ Value: 'GuardDuty', Comparison: 'EQUALS' }]);
  });

  test('the same filters apply locally', () => {
    const s = { severityFloor: 'MEDIUM', productName: '' };
    assert.ok(matchesFilters(f('a', 'HIGH', ['Other', 'x']), s));
    assert.equal(matchesFilters(f('a', 'LOW', ['Other', 'x']), s), false);
    assert.equal(matchesFilters(f('a', 'HIGH', ['Other', 'x'], { Workflow: { Status: 'RESOLVED' } }), s), false);
    assert.equal(matchesFilters(f('a', 'HIGH', ['Other', 'x'], { RecordState: 'ARCHIVED' }), s), false);
    assert.equal(matchesFilters(f('a', 'HIGH', ['Other', 'x']), { severityFloor: 'LOW', productName: 'GuardDuty' }), false);
  });

  test('grouping: severity from CRITICAL down, then resources by count, counts add up', () => {
    const list = [
      f('1', 'LOW', ['AwsS3Bucket', 'arn:aws:s3:::b1']),
      f('22', 'CRITICAL', ['AwsS3Bucket', 'arn:aws:s3:::b1']),
      f('333', 'CRITICAL', ['AwsEc2Instance', 'arn:aws:ec2:us-east-1:1:instance/i-1']),
      f('4444', 'CRITICAL', ['AwsEc2Instance', 'arn:aws:ec2:us-east-1:1:instance/i-1']),
      f('55555', 'INFORMATIONAL', ['AwsAccount', 'AWS::::Account:1']),
    ];
    const groups = groupFindings(list);
    assert.deepEqual(groups.map((g) => [g.severity, g.count]), [['CRITICAL', 3], ['LOW', 1], ['INFORMATIONAL', 1]]);
    assert.deepEqual(groups[0].resources.map((r) => [resourceLabel(r.id), r.findings.length]), [['i-1', 2], ['b1', 1]]);
    assert.deepEqual(groups[0].resources[0].findings.map((x) => x.id), ['4444', '333'], 'newest first');
    assert.deepEqual(countsByBucket(list), { b1: 2 });
  });

  test('bucket links, resource labels and safe links', () => {
    assert.equal(bucketOf({ resourceType: 'AwsS3Bucket', resourceId: 'arn:aws:s3:::my-bucket' }), 'my-bucket');
    assert.equal(bucketOf({ resourceType: 'AwsS3Bucket', resourceId: 'my-bucket' }), 'my-bucket');
    assert.equal(bucketOf({ resourceType: 'AwsS3Object', resourceId: 'arn:aws:s3:::b/key' }), undefined);
    assert.equal(resourceLabel('arn:aws:iam::1:policy/Admin'), 'Admin');
    assert.equal(resourceLabel('arn:aws:sns:us-east-1:1:topic'), 'topic');
    assert.equal(resourceLabel('AWS::::Account:1'), 'AWS::::Account:1');
    assert.equal(safeLink('https://docs.aws.amazon.com/x'), 'https://docs.aws.amazon.com/x');
    assert.equal(safeLink('javascript:alert(1)'), undefined);
    assert.equal(safeLink('file:///etc/passwd'), undefined);
    assert.equal(safeLink('not a url'), undefined);
  });

  test('remediation links open only for https:', () => {
    assert.equal(safeLink('https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2'), 'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2');
    for (const bad of ['http://docs.aws.amazon.com/x', 'HTTP://evil.example/', 'command:workbench.action.terminal.sendSequence?%7B%7D', 'vscode://ms-vscode.remote/x', 'vscode-insiders://x',
      'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'ftp://x', 'https:', '//evil.example/x', COMMAND_LINK]) {
      assert.equal(safeLink(bad), undefined, bad);
    }
    assert.equal(safeLink('HTTPS://Docs.AWS.amazon.com/x'), 'https://docs.aws.amazon.com/x', 'the scheme is case-insensitive');
  });

  test('quick pick items from hostile findings render no icon and no link', () => {
    for (const text of [...LINK_TEXTS, ICON_SPOOF, BIDI]) {
      const item = findingPickItem(f('x', 'HIGH', ['AwsS3Bucket', `arn:aws:s3:::${text}`], { Title: text }));
      for (const part of [item.label, item.description]) {
        assert.equal(hasNotificationLink(part), false, part);
        assert.doesNotMatch(part, /\$\([a-z-]+\)/, part);
        assert.doesNotMatch(part, /[\u202A-\u202E\u2066-\u2069\n]/, part);
      }
    }
    // Ordinary titles are unchanged (the triage tests pick findings by label).
    assert.equal(findingPickItem(f('y', 'LOW', ['AwsS3Bucket', 'b1'], { Title: 'IAM policies should not allow full "*" administrative privileges' })).label, 'IAM policies should not allow full "*" administrative privileges');
  });
});
