/**
 * `npm test`: lints every workspace, builds what the browser tests load, runs every test once with vitest, and ends with the
 * plain line CI reads: `N passed, N failed, N skipped`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const resultsFile = join(root, '.asep', 'test-results.json');

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  return result.status ?? 1;
}

function ensureChromium(): void {
  if (existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('Installing Debian chromium for the browser tests (never a downloaded browser)…');
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', 'chromium']);
  }
  if (!existsSync('/usr/bin/chromium')) console.log('Note: /usr/bin/chromium is missing; install Debian chromium to run the browser tests.');
}

ensureChromium();
// The whole run lints every workspace first (type-aware: floating and misused promises); lint errors count as
// one failure. A run narrowed to some test files skips it.
const lintFailed = process.argv.length <= 2 && run(process.execPath, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']) !== 0;
if (run('npm', ['run', 'build', '--workspaces', '--if-present', '--silent']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
mkdirSync(join(root, '.asep'), { recursive: true });
const status = run(process.execPath, [
  join(root, 'node_modules', 'vitest', 'vitest.mjs'),
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${resultsFile}`,
  ...process.argv.slice(2),
]);

let summary = { numPassedTests: 0, numFailedTests: status === 0 ? 0 : 1, numPendingTests: 0, numTodoTests: 0 };
try {
  summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  // vitest did not get as far as writing results: count the run itself as one failure
}
const failed = summary.numFailedTests + (status !== 0 && summary.numFailedTests === 0 ? 1 : 0) + (lintFailed ? 1 : 0);
if (lintFailed) console.log('eslint reported errors (listed above): counted as one failure');
console.log(`${summary.numPassedTests} passed, ${failed} failed, ${summary.numPendingTests + summary.numTodoTests} skipped`);
process.exit(status !== 0 ? status : lintFailed ? 1 : 0);
