import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasNotificationLink, inert, VSCODE_NOTIFICATION_LINK } from '../../src/util/inert';
import { BIDI, COMMAND_LINK, HTTPS_LINK, ICON_SPOOF, LINK_TEXTS } from '../fixtures/hostile';

test('VS Code\'s link pattern finds the hostile links before inert() (the fixtures are live)', () => {
  for (const t of [COMMAND_LINK, HTTPS_LINK]) assert.ok(hasNotificationLink(t), t);
  assert.equal([...COMMAND_LINK.matchAll(VSCODE_NOTIFICATION_LINK)][0]?.[2]?.startsWith('command:'), true);
});

test('inert() leaves no link that VS Code would render, for every hostile fixture', () => {
  for (const t of LINK_TEXTS) {
    const out = inert(t, 10_000);
    assert.equal(hasNotificationLink(out), false, `${JSON.stringify(t)} -> ${JSON.stringify(out)}`);
    assert.ok(out.includes('Open runbook') || out.includes('Reset') || out.includes('Details') || out.includes('here'), 'the words stay readable');
  }
});

test('inert() is idempotent, folds lines, drops control and bidi characters, and disables icons', () => {
  for (const t of [...LINK_TEXTS, ICON_SPOOF, BIDI]) assert.equal(inert(inert(t, 10_000), 10_000), inert(t, 10_000));
  assert.equal(inert('a\nb\r\nc\td'), 'a b c d');
  assert.equal(inert(BIDI), 'invoicefdp.exe');
  assert.ok(!inert(ICON_SPOOF).includes('$('));
  assert.equal(inert('x'.repeat(20), 10), `${'x'.repeat(9)}…`);
  assert.equal(inert(new Error('boom [a](command:x)')), 'boom [a] (command:x)');
  assert.equal(inert(undefined), '');
});
