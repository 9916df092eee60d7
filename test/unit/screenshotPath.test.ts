// UI tests run on two VS Code builds: their screenshots carry the build's version, so the two never overwrite
// each other in test-results/ (test/helpers/codeServer.ts, screenshotPath and session.screenshot).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { basename, dirname } from 'node:path';
import { RESULTS_DIR, screenshotPath, uiBuild, VSCODE_BUILDS } from '../helpers/codeServer';

test('screenshot names carry the VS Code build: <name>.<version>.png in test-results/, the UI build by default', () => {
  assert.equal(basename(screenshotPath('costs-view', VSCODE_BUILDS.min)), `costs-view.${VSCODE_BUILDS.min.vscode}.png`);
  assert.equal(basename(screenshotPath('costs-view', VSCODE_BUILDS.latest)), `costs-view.${VSCODE_BUILDS.latest.vscode}.png`);
  assert.notEqual(VSCODE_BUILDS.min.vscode, VSCODE_BUILDS.latest.vscode);
  assert.equal(basename(screenshotPath('costs-view')), `costs-view.${uiBuild().vscode}.png`);
  assert.equal(dirname(screenshotPath('costs-view')), RESULTS_DIR);
});
