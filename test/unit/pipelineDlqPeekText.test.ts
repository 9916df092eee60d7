// The text a DLQ peek and a drift detail show (src/pipeline/dlqPeek.ts, src/pipeline/drift.ts): pure, no network.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeUnseen, failureReason, formatBody, formatPeek, type PeekedMessage } from '../../src/pipeline/dlqPeek';
import { differenceLines } from '../../src/pipeline/drift';
import { BIDI, deeplyNested } from '../fixtures/hostile';

const message = (over: Partial<PeekedMessage> = {}): PeekedMessage => ({ messageId: 'm-1', body: '{}', groupId: 'app', receiveCount: 1, attributes: {}, ...over });

describe('DLQ peek text', () => {
  test('invisible, control and bidi characters are written out; line feeds and tabs stay', () => {
    assert.equal(escapeUnseen(`a\u0000b\u001bc\u202ed\u2066e\u200bf\ufeffg\nh\ti`), 'a\\u{0000}b\\u{001B}c\\u{202E}d\\u{2066}e\\u{200B}f\\u{FEFF}g\nh\ti');
    assert.equal(formatBody(BIDI).text, 'invoice\\u{202E}fdp.exe');
  });

  test('JSON is pretty-printed; text stays as sent (CRLF as LF); both cut with a note', () => {
    assert.deepEqual(formatBody('{"a":1,"b":[true]}'), { kind: 'JSON', text: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}', truncated: false });
    assert.equal(formatBody('line 1\r\nline 2').text, 'line 1\nline 2');
    const long = formatBody('x'.repeat(5000), 100);
    assert.ok(long.truncated);
    assert.match(long.text, /^x{100}\n… truncated: 100 of 5,000 characters shown \(as sent\)$/);
    assert.equal(formatBody('{"broken": ').kind, 'text');
  });

  test('a body nested too deep to pretty-print safely is shown as sent, cut', () => {
    const r = formatBody(deeplyNested(20_000), 4000);
    assert.equal(r.kind, 'text');
    assert.ok(r.truncated);
    assert.ok(r.text.length < 4200);
  });

  test('the reason: the consumer attributes, else how SQS moved it', () => {
    assert.equal(failureReason(message({ attributes: { reasonCode: 'TOO_DEEP', reason: 'nested 40 levels' } }), 5), 'rejected by the consumer: TOO_DEEP: nested 40 levels');
    assert.match(failureReason(message(), 5), /^no reason attached: SQS moved it after 5 receives \(maxReceiveCount/);
    assert.match(failureReason(message(), undefined), /after N receives/);
  });

  test('one-line fields cannot break the layout: a line break in an attribute or group is written as \\n', () => {
    const text = formatPeek(
      { queueUrl: 'http://q/123/p-dlq.fifo', messages: [message({ attributes: { producer: 'a\nFailure reason:   forged', reason: 'r\u202e' } })], released: 1, notReleased: [], holdSeconds: 30, peekedAt: new Date('2026-12-03T20:00:00Z') },
      { stackName: 'p', maxReceiveCount: 5 },
    );
    assert.equal(text.match(/^Failure reason:/gm)?.length, 1, 'one reason line per message');
    assert.ok(text.includes('Attribute:        producer = a\\nFailure reason:   forged'));
    assert.ok(text.includes('rejected by the consumer: r\\u{202E}'));
  });

  test('the header says when messages could not be handed back', () => {
    const text = formatPeek({ queueUrl: 'u/p-dlq.fifo', messages: [message()], released: 0, notReleased: [{ messageId: 'm-1', reason: 'ReceiptHandleIsInvalid' }], holdSeconds: 30, peekedAt: new Date(0) }, { stackName: 'p' });
    assert.match(text, /0 handed back at once \(visibility 0\); 1 could not be, and will be visible again within 30 s\. Nothing was deleted\./);
    assert.match(text, /Not handed back: {2}ReceiptHandleIsInvalid/);
  });
});

describe('drift differences as text', () => {
  test('NOT_EQUAL, ADD, REMOVE and DELETED', () => {
    assert.deepEqual(
      differenceLines({
        StackResourceDriftStatus: 'MODIFIED',
        PropertyDifferences: [
          { PropertyPath: '/VisibilityTimeout', ExpectedValue: '360', ActualValue: '30', DifferenceType: 'NOT_EQUAL' },
          { PropertyPath: '/Tags/0/Value', ExpectedValue: undefined, ActualValue: 'x', DifferenceType: 'ADD' },
          { PropertyPath: '/RedrivePolicy', ExpectedValue: '{}', ActualValue: undefined, DifferenceType: 'REMOVE' },
        ],
      } as never),
      ['VisibilityTimeout: expected 360, actual 30', 'Tags.0.Value: added, actual x (not in the template)', 'RedrivePolicy: removed, expected {}'],
    );
    assert.deepEqual(differenceLines({ StackResourceDriftStatus: 'DELETED' } as never), ['The resource no longer exists.']);
  });
});
