// Runs the same real-editor suites with @vscode/test-electron, for machines that can download VS Code.
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = join(__dirname, '../../..');
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: root,
      extensionTestsPath: join(__dirname, 'suite/index.js'),
      launchArgs: [join(root, 'test/e2e/workspace'), '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (error) {
    console.error('real-editor suites failed:', error);
    process.exit(1);
  }
}

void main();
