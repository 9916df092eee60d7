// Modules that also run outside VS Code (costs math, the Athena stats, finding models) translate through
// src/util/l10n.ts: English before activation hands over vscode.l10n, the host's translation after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { l10n, useHostL10n } from '../../src/util/l10n';
import { english, fill } from '../../src/webview/strings';
import { formatAge, formatChange } from '../../src/costs/math';
import { toSummary } from '../../src/findings/model';
import { executionDetails } from '../../src/athena/athenaClient';

const pseudo = { t: (message: string, ...args: Array<string | number | boolean>) => `⟪${fill(message, ...args.map(String))}⟫` };

test('pure modules: English with {n} filled until the host hands over vscode.l10n, then the host translation', () => {
  useHostL10n(english);
  assert.equal(formatAge(0), 'just now');
  assert.equal(formatAge(12 * 60_000), '12 min ago');
  assert.equal(formatChange({ delta: 0, ratio: 0 } as never), 'no change');
  try {
    useHostL10n(pseudo);
    assert.equal(l10n.t('Other ({0})', 3), '⟪Other (3)⟫');
    assert.equal(formatAge(0), '⟪just now⟫');
    assert.equal(formatAge(3 * 3_600_000), '⟪3 h ago⟫');
    assert.equal(formatChange({ delta: 0, ratio: 0 } as never), '⟪no change⟫');
    assert.deepEqual(executionDetails({ QueryExecutionId: 'q', Status: { State: 'SUCCEEDED' }, Statistics: {} } as never).slice(0, 2).map((d) => d.label), ['⟪State⟫', '⟪Data scanned⟫']);
    assert.equal(toSummary({ Id: 'x' } as never).title, '⟪(untitled finding)⟫');
  } finally {
    useHostL10n(english);
  }
});
