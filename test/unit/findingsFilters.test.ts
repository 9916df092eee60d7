// The Findings view's workspace filters (each generation's own filter shape, checked against the
// botocore model), what workspaceState may hold, and the Open in Console URL with hostile finding ids.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findingConsoleUrl, consolePartition, securityHubConsoleUrl } from '../../src/findings/consoleUrl';
import { addSeen, choicesToStore, describeFilters, emptySeen, readFilters, seenFromStore } from '../../src/findings/filters';
import { buildFilters, matchesFilters, type FilterSettings, type FindingSummary } from '../../src/findings/model';
import { buildFiltersV2 } from '../../src/findings/ocsf';
import { hasNotificationLink } from '../../src/util/inert';
import { COMMAND_LINK, HOSTILE_FINDING_IDS, ICON_SPOOF } from '../fixtures/hostile';
import { loadAwsModel } from '../helpers/awsModel';

const model = loadAwsModel('securityhub');
const BASE = { severityFloor: 'INFORMATIONAL', productName: '' };
const ALL_FIVE: FilterSettings = { ...BASE, severities: ['CRITICAL', 'HIGH'], workflow: ['NEW', 'RESOLVED'], products: ['GuardDuty', 'Inspector'], resourceTypes: ['AwsS3Bucket'], accounts: ['111122223333'] };

/** The console reads `search=<field>=<encoded filter>` from the fragment: decode it back to the id. */
function idOfConsoleUrl(url: string): string | undefined {
  const search = new URLSearchParams(new URL(url).hash.replace(/^#\/findings\?/, '')).get('search') ?? '';
  const m = /^(Id|finding_info\.uid)=(.*)$/s.exec(search);
  const filter = m ? decodeURIComponent(m[2]) : '';
  return filter.startsWith('\\operator\\:EQUALS\\:') ? filter.slice('\\operator\\:EQUALS\\:'.length) : undefined;
}

describe('findings filters', () => {
  test('GetFindings: every dimension is its own ASFF field of EQUALS values, and fits the model', () => {
    const f = buildFilters(ALL_FIVE);
    const eq = (...v: string[]) => v.map((Value) => ({ Value, Comparison: 'EQUALS' }));
    assert.deepEqual(f, {
      RecordState: eq('ACTIVE'),
      SeverityLabel: eq('CRITICAL', 'HIGH'),
      WorkflowStatus: eq('NEW', 'RESOLVED'),
      ProductName: eq('GuardDuty', 'Inspector'),
      ResourceType: eq('AwsS3Bucket'),
      AwsAccountId: eq('111122223333'),
    });
    assert.deepEqual(model.problems('GetFindingsRequest', { Filters: f, MaxResults: 100 }), []);
    // No workspace filter: the settings' default (open findings, the floor, the product setting).
    assert.deepEqual(buildFilters({ severityFloor: 'HIGH', productName: 'GuardDuty' }), { RecordState: eq('ACTIVE'), SeverityLabel: eq('CRITICAL', 'HIGH'), WorkflowStatus: eq('NEW', 'NOTIFIED'), ProductName: eq('GuardDuty') });
  });

  test('GetFindingsV2: one composite per dimension with OCSF field names, values ORed, and fits the model', () => {
    const f = buildFiltersV2(ALL_FIVE);
    assert.equal(f.CompositeOperator, 'AND');
    assert.deepEqual(f.CompositeFilters, [
      { Operator: 'OR', NumberFilters: [{ FieldName: 'status_id', Filter: { Eq: 1 } }, { FieldName: 'status_id', Filter: { Eq: 4 } }] },
      { Operator: 'OR', NumberFilters: [5, 6, 4].map((Eq) => ({ FieldName: 'severity_id', Filter: { Eq } })) },
      { Operator: 'OR', StringFilters: ['GuardDuty', 'Inspector'].map((Value) => ({ FieldName: 'metadata.product.name', Filter: { Value, Comparison: 'EQUALS' } })) },
      { Operator: 'OR', StringFilters: [{ FieldName: 'resources.type', Filter: { Value: 'AwsS3Bucket', Comparison: 'EQUALS' } }] },
      { Operator: 'OR', StringFilters: [{ FieldName: 'cloud.account.uid', Filter: { Value: '111122223333', Comparison: 'EQUALS' } }] },
    ]);
    assert.deepEqual(model.problems('GetFindingsV2Request', { Filters: f, MaxResults: 100 }), []);
  });

  test('more than 20 values in a dimension are not sent (the V2 limit per composite) but still filter locally', () => {
    const accounts = Array.from({ length: 21 }, (_, i) => String(100000000000 + i));
    const s = { ...BASE, accounts };
    assert.equal(buildFilters(s).AwsAccountId, undefined);
    assert.equal(JSON.stringify(buildFiltersV2(s)).includes('cloud.account.uid'), false);
    const f = { accountId: '999999999999', workflowStatus: 'NEW', severity: 'LOW', resourceType: 'Other', recordState: 'ACTIVE' } as FindingSummary;
    assert.equal(matchesFilters(f, s), false);
    assert.equal(matchesFilters({ ...f, accountId: accounts[20] }, s), true);
  });

  test('the local filter matches any of a finding\'s resource types, as the server-side ResourceType filter does', () => {
    const f = { workflowStatus: 'NEW', severity: 'LOW', resourceType: 'AwsAccount', resourceTypes: ['AwsAccount', 'AwsS3Bucket'], recordState: 'ACTIVE' } as FindingSummary;
    assert.equal(matchesFilters(f, { ...BASE, resourceTypes: ['AwsS3Bucket'] }), true);
    assert.equal(matchesFilters(f, { ...BASE, resourceTypes: ['AwsIamPolicy'] }), false);
    assert.equal(matchesFilters({ ...f, workflowStatus: 'RESOLVED' }, BASE), false, 'default: open findings only');
    assert.equal(matchesFilters({ ...f, workflowStatus: 'RESOLVED' }, { ...BASE, workflow: ['RESOLVED'] }), true);
  });

  test('workspaceState is read back strictly: unknown enums, bad accounts, non-strings and overlong values are dropped', () => {
    const read = readFilters({ severities: ['HIGH', 'SEVERE', 3], workflow: ['NEW', 'DELETED'], products: ['GuardDuty', '', 'x'.repeat(600), { a: 1 }], resourceTypes: 'AwsS3Bucket', accounts: ['111122223333', '1234', `${COMMAND_LINK}`] });
    assert.deepEqual(read, { severities: ['HIGH'], workflow: ['NEW'], products: ['GuardDuty'], resourceTypes: [], accounts: ['111122223333'] });
    assert.deepEqual(readFilters(undefined), { severities: [], workflow: [], products: [], resourceTypes: [], accounts: [] });
    assert.deepEqual(readFilters('nonsense'), readFilters(undefined));
  });

  test('the values offered when filters are set are kept for the same profile and region, bounded and strictly read back', () => {
    const seen = emptySeen();
    addSeen(seen, [{ productName: 'GuardDuty', resourceType: 'AwsEc2SecurityGroup', accountId: '123456789012' }, { productName: 'Security Hub', resourceType: 'AwsS3Bucket', accountId: '210987654321' }] as FindingSummary[]);
    const filters = { ...readFilters({}), resourceTypes: ['AwsS3Bucket', 'AwsIamPolicy'] };
    const stored = JSON.parse(JSON.stringify(choicesToStore('findings|p|us-east-1', seen, filters)));
    const back = seenFromStore(stored, 'findings|p|us-east-1');
    assert.deepEqual([...back.products].sort(), ['GuardDuty', 'Security Hub']);
    assert.deepEqual([...back.resourceTypes].sort(), ['AwsEc2SecurityGroup', 'AwsIamPolicy', 'AwsS3Bucket']);
    assert.deepEqual([...back.accounts].sort(), ['123456789012', '210987654321']);
    assert.equal(seenFromStore(stored, 'findings|p|eu-west-1').resourceTypes.size, 0, 'another region starts empty');
    const edited = seenFromStore({ scope: 's', products: ['x'.repeat(600), 7, 'ok'], accounts: ['not-an-account'] }, 's');
    assert.deepEqual([...edited.products], ['ok']);
    assert.equal(edited.accounts.size, 0);
    assert.equal(seenFromStore(undefined, 's').products.size, 0);
  });

  test('the filter description is inert: a product name with a command link or an icon renders neither', () => {
    const text = describeFilters({ severities: ['HIGH'], workflow: [], products: [COMMAND_LINK, ICON_SPOOF], resourceTypes: [], accounts: [] });
    assert.match(text, /^Severity: HIGH · Product: /);
    assert.equal(hasNotificationLink(text), false, text);
    assert.doesNotMatch(text, /\$\([a-z-]+\)/);
  });
});

describe('Open in Console URL', () => {
  test('the console host is fixed by the partition; the region is a query parameter', () => {
    const u = (region: string, source?: 'v2') => findingConsoleUrl({ id: 'f-1', source }, region);
    assert.equal(new URL(u('us-east-1')!).host, 'console.aws.amazon.com');
    assert.equal(new URL(u('eu-west-3')!).host, 'console.aws.amazon.com');
    assert.equal(new URL(u('cn-north-1')!).host, 'console.amazonaws.cn');
    assert.equal(new URL(u('cn-northwest-1')!).host, 'console.amazonaws.cn');
    assert.equal(new URL(u('us-gov-west-1')!).host, 'console.amazonaws-us-gov.com');
    assert.equal(u('us-east-1'), 'https://console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id=%255Coperator%255C%253AEQUALS%255C%253Af-1');
    assert.equal(u('us-gov-west-1', 'v2'), 'https://console.amazonaws-us-gov.com/securityhub/v2/home?region=us-gov-west-1#/findings?search=finding_info.uid=%255Coperator%255C%253AEQUALS%255C%253Af-1');
    // The European Sovereign Cloud has a console of its own: no link, as for the ISO partitions.
    assert.equal(consolePartition('eusc-de-east-1'), undefined);
    // Air-gapped partitions have no public console; a region that is not a region name gets no URL.
    assert.equal(consolePartition('us-iso-east-1'), undefined);
    assert.equal(consolePartition('us-isob-east-1'), undefined);
    for (const bad of ['', 'us-east-1.evil.example', 'evil.example/', 'us-east-1#x', 'US-EAST-1', 'us-east-1 ']) assert.equal(u(bad), undefined, bad);
  });

  test('a real-shaped CSPM finding ARN gives the console\'s own double-encoded search', () => {
    const id = 'arn:aws:securityhub:us-east-1:123456789012:subscription/aws-foundational-security-best-practices/v/1.0.0/S3.2/finding/0b1c2d3e';
    const url = findingConsoleUrl({ id }, 'us-east-1')!;
    assert.ok(url.endsWith('#/findings?search=Id=%255Coperator%255C%253AEQUALS%255C%253Aarn%253Aaws%253Asecurityhub%253Aus-east-1%253A123456789012%253Asubscription%252Faws-foundational-security-best-practices%252Fv%252F1.0.0%252FS3.2%252Ffinding%252F0b1c2d3e'), url);
    assert.equal(idOfConsoleUrl(url), id);
  });

  test('Enable Security Hub opens the landing page of the partition\'s console; none for ISO and EUSC regions', () => {
    assert.equal(securityHubConsoleUrl('us-east-1'), 'https://console.aws.amazon.com/securityhub/home?region=us-east-1#/landing');
    assert.equal(securityHubConsoleUrl('cn-north-1'), 'https://console.amazonaws.cn/securityhub/home?region=cn-north-1#/landing');
    assert.equal(securityHubConsoleUrl('us-gov-east-1'), 'https://console.amazonaws-us-gov.com/securityhub/home?region=us-gov-east-1#/landing');
    for (const none of ['us-iso-east-1', 'us-isob-east-1', 'eu-isoe-west-1', 'us-isof-south-1', 'eusc-de-east-1', 'evil.example/']) assert.equal(securityHubConsoleUrl(none), undefined, none);
  });

  test('the URL is the same after VS Code\'s round trip for a Uri (each component decoded once, then encodeURI(toString(true))): every escape is %25xx', () => {
    for (const source of [undefined, 'v2'] as const) {
      for (const id of [...HOSTILE_FINDING_IDS, 'plain-id']) {
        const url = findingConsoleUrl({ id, source }, 'us-gov-west-1')!;
        assert.doesNotMatch(url, /%(?!25)/, url);
        assert.equal(encodeURI(url.replace(/%25/g, '%')), url, id);
      }
    }
  });

  test('hostile finding ids stay inside the search value: same host, path and region, and the id round-trips exactly', () => {
    for (const source of [undefined, 'v2'] as const) {
      for (const id of HOSTILE_FINDING_IDS) {
        const url = findingConsoleUrl({ id, source }, 'eu-west-1')!;
        const u = new URL(url);
        assert.equal(u.protocol, 'https:', id);
        assert.equal(u.host, 'console.aws.amazon.com', id);
        assert.equal(u.username + u.password, '', id);
        assert.equal(u.pathname, source === 'v2' ? '/securityhub/v2/home' : '/securityhub/home', id);
        assert.equal(u.search, '?region=eu-west-1', id);
        assert.equal(idOfConsoleUrl(url), id, id);
        // Nothing in the URL a terminal, a markdown renderer or a shell would act on.
        assert.doesNotMatch(url, /[\s"'<>`\\[\]()$;|&]/, url);
      }
    }
  });
});
