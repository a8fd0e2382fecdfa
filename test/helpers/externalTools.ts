// Tests that need a tool outside npm (Neovim, Chromium, real PyTorch, real Keras): skipped with the reason and the
// install line on a newcomer's machine, a failure under CI (where .ci/run installs every one of them).
import { spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/** True when running under CI (CI=true or CI=1): a missing tool is then a failure, never a skip. */
export function underCi(): boolean {
  const value = (process.env.CI ?? '').toLowerCase();
  return value === 'true' || value === '1';
}

/** What a test needs: a human name and the command that installs it. */
export interface ExternalTool {
  name: string;
  install: string;
}

/**
 * Skips the test when `available` is false and we are not under CI; throws (fails the test) under CI.
 * Returns true when the test may go on. The skip message names the tool and how to install it.
 */
export function requireTool(t: TestContext, tool: ExternalTool, available: boolean): boolean {
  if (available) return true;
  const reason = `${tool.name} is not installed (${tool.install})`;
  if (underCi()) throw new Error(`${reason}: CI installs it in .ci/run, so its absence is a failure here`);
  t.skip(reason);
  return false;
}

/** True when `command args` runs and exits 0. */
export function commandWorks(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const run = spawnSync(command, args, { encoding: 'utf8', env, timeout: 120_000 });
  return run.status === 0;
}
