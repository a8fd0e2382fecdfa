// Runs the built model-lint command line (bin/model-lint.js) in a child process for the CLI tests.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The checkout root (tests run from out/test/...). */
export const REPO_ROOT = join(__dirname, '../../..');

/** The command users run. */
export const CLI_BIN = join(REPO_ROOT, 'bin/model-lint.js');

/** What one CLI run produced. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `model-lint <args>` in `cwd` and waits for it; `asUser` runs it under another user id (needs root). */
export function runCli(args: readonly string[], cwd: string = REPO_ROOT, asUser?: { uid: number; gid: number }): CliRun {
  const result = spawnSync(process.execPath, [CLI_BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
    ...asUser,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary folder (under the OS temp folder). */
export function temporaryFolder(prefix = 'model-lint-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A temporary copy of the bundled examples, to fix or to add files to. */
export function copyOfExamples(): string {
  const folder = temporaryFolder();
  mkdirSync(join(folder, 'examples'));
  cpSync(join(REPO_ROOT, 'examples'), join(folder, 'examples'), { recursive: true });
  return folder;
}
