// Desktop VS Code for the extension-host suites: `npm run test:electron` runs the same *.exthost.test files
// as `npm test`, with the same set-up (moto, stand-ins, seeds), but runExtensionHostSuite hands each suite
// to @vscode/test-electron instead of code-server. It downloads VS Code from Microsoft's update server, so it
// needs internet (and, on Linux without a desktop, a display: `xvfb-run -a npm run test:electron`).
import { runTests } from '@vscode/test-electron';

export async function runSuiteInDesktopVsCode(opts: { version: string; extensionPath: string; suitePath: string; workspace: string; userDataDir: string; env: Record<string, string>; timeoutMs: number }): Promise<number> {
  const run = runTests({
    version: opts.version,
    extensionDevelopmentPath: opts.extensionPath,
    extensionTestsPath: opts.suitePath,
    launchArgs: [opts.workspace, '--user-data-dir', opts.userDataDir, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: opts.env,
  }).then(
    () => 0,
    // A failing suite makes VS Code exit with 1; its results file says which tests failed.
    (err: unknown) => (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : Promise.reject(err)),
  );
  return Promise.race([run, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`desktop VS Code did not finish within ${opts.timeoutMs} ms`)), opts.timeoutMs).unref())]);
}
