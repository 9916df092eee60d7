// Runs the Sign in with SSO suite in code-server with a stand-in `aws` first on PATH.
import { test } from 'node:test';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLabel, extensionHostBuilds, reportSuiteResults, runExtensionHostSuite } from '../helpers/codeServer';
import { writeSandboxProfile } from '../helpers/sandboxProfile';

for (const build of extensionHostBuilds()) {
  test(`extension host: Sign in with SSO (${buildLabel(build)})`, async (t) => {
    const bin = mkdtempSync(join(tmpdir(), 'fake-aws-'));
    const record = join(bin, 'argv.jsonl');
    // Records its argv as JSON, one line per run, and exits: what the terminal started, exactly.
    writeFileSync(join(bin, 'aws'), `#!${process.execPath}\nrequire('fs').appendFileSync(process.env.FAKE_AWS_RECORD, JSON.stringify(process.argv.slice(2)) + '\\n');\n`);
    chmodSync(join(bin, 'aws'), 0o755);
    // No emulator needed: nothing here calls AWS.
    const profile = writeSandboxProfile(mkdtempSync(join(tmpdir(), 'aws-')), 'http://127.0.0.1:9');
    // VS Code would otherwise take the terminal's environment from a login shell, whose profile may put
    // other folders (pyenv shims, with a real aws) first; VSCODE_CLI=1 makes it keep this PATH.
    const results = await runExtensionHostSuite({
      suite: 'ssoLogin',
      build,
      env: { ...profile.env, VSCODE_CLI: '1', PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_AWS_RECORD: record },
    });
    await reportSuiteResults(t, results);
  });
}
