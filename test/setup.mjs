// Set-up shared by `npm test` and `npm run demo`, so each does everything a fresh machine needs:
// Debian packages (chromium, ripgrep, libkrb5-dev), node_modules (npm ci), and the code-server builds the
// tests run on (test/vscode/install-code-server.sh: 4.100.3 on the system Node, 4.139.1 on Node 24 from npm).
// `codeServer: false` (npm run test:electron, which runs desktop VS Code) skips the Debian packages and code-server.
// Idempotent and quick when everything is there. No dependencies: it runs before npm ci.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status}`);
}

function missingDebianPackages(pkgs) {
  return pkgs.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
}

export function ensureSetup({ quiet = false, codeServer = true } = {}) {
  const log = (m) => quiet || console.log(`[setup] ${m}`);
  const missing = codeServer ? missingDebianPackages(['chromium', 'ripgrep', 'libkrb5-dev']) : [];
  if (missing.length) {
    log(`installing Debian packages: ${missing.join(' ')}`);
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    const run = (args) => (sudo.length ? sh('sudo', args) : sh(args[0], args.slice(1)));
    run(['apt-get', 'update', '-qq']);
    run(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', ...missing]);
  }
  if (spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status !== 0) {
    log('installing moto_server and cfn-lint with pip');
    sh('pip', ['install', 'moto[server]', 'cfn-lint']);
  }
  if (!existsSync('node_modules/.package-lock.json')) {
    log('npm ci');
    sh('npm', ['ci', '--no-audit', '--no-fund']);
  }
  if (codeServer) sh('bash', ['test/vscode/install-code-server.sh']);
}
