// The import directions of .dependency-cruiser.cjs: the real tree keeps them, and each rule fails a tree that breaks it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/runCli';

const DEPCRUISE = join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = join(REPO_ROOT, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
}

/** The directories `npm run depcheck` cruises. */
const CRUISED = ['server/src', 'client/src', 'common/src', 'test'];

/** Runs dependency-cruiser with the project's config in `cwd` as `npm run depcheck` does: its exit status and report. */
function depcheck(cwd: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'err', ...CRUISED], {
    cwd,
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** The violations dependency-cruiser finds in `cwd` (its JSON report, which always exits 0). */
function violations(cwd: string): Violation[] {
  const result = spawnSync(process.execPath, [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', ...CRUISED], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

/** A small tree shaped like the project's, each file named for the import it makes. */
const FORBIDDEN_TREE: Record<string, string> = {
  'server/src/engine/ir.ts': 'export interface Model { name: string }\n',
  // common/ reaches into the server.
  'common/src/shared.ts': "import type { Model } from '../../server/src/engine/ir';\nexport type Named = Model['name'];\n",
  // The client reaches into the engine.
  'client/src/gate.ts':
    "import type { Model } from '../../server/src/engine/ir';\nexport const gate = (model: Model): boolean => model.name !== '';\n",
  // The engine imports a face (and so makes a cycle with it), the file system and an LSP package.
  'server/src/engine/analyze.ts': [
    "import { readFileSync } from 'node:fs';",
    "import { createConnection } from 'vscode-languageserver/node';",
    "import { serve } from '../lsp/server';",
    'export const analyze = (path: string): string => readFileSync(path, "utf8") + String(createConnection) + String(serve);',
    '',
  ].join('\n'),
  'server/src/lsp/server.ts': "import { analyze } from '../engine/analyze';\nexport const serve = (): string => analyze('x');\n",
  // The server imports the client; product code imports a test helper.
  'server/src/cli/main.ts':
    "import { gate } from '../../../client/src/gate';\nimport { helper } from '../../../test/helpers/helper';\nexport const main = (): boolean => gate({ name: helper });\n",
  'test/helpers/helper.ts': "export const helper = 'x';\n",
  // The browser bundle imports a Node built-in.
  'client/src/webview/main.ts': "import { join } from 'node:path';\nexport const page = join('a', 'b');\n",
  // Allowed: the client uses common/, a Node built-in and vscode; common/ uses common/; a test imports anything.
  'common/src/rules.ts': "export const DOCS = 'docs/';\n",
  'client/src/allowed.ts':
    "import { join } from 'node:path';\nimport { DOCS } from '../../common/src/rules';\nexport const page = join(DOCS, 'x');\n",
  'test/any.test.ts':
    "import { analyze } from '../server/src/engine/analyze';\nimport { gate } from '../client/src/gate';\nexport const all = [analyze, gate];\n",
};

describe('dependency directions (.dependency-cruiser.cjs)', () => {
  it('the real tree keeps them (what npm run depcheck checks)', () => {
    const { status, output } = depcheck(REPO_ROOT);
    assert.equal(status, 0, output);
    assert.match(output, /no dependency violations found/);
  });

  it('a forbidden import fails the check, with the rule it breaks', () => {
    const root = mkdtempSync(join(tmpdir(), 'model-lint-depcruise-'));
    try {
      for (const [path, text] of Object.entries(FORBIDDEN_TREE)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
      const { status, output } = depcheck(root);
      assert.notEqual(status, 0, output);
      assert.match(output, /error common-imports-no-side: common\/src\/shared\.ts → server\/src\/engine\/ir\.ts/);
      const found = violations(root)
        .map((v) => `${v.rule.name}: ${v.from} -> ${v.to.replace(/^node_modules\/([^/]+)\/.*$/, '$1')}`)
        .sort();
      assert.deepEqual(found, [
        'client-imports-only-common: client/src/gate.ts -> server/src/engine/ir.ts',
        'common-imports-no-side: common/src/shared.ts -> server/src/engine/ir.ts',
        'engine-knows-no-face: server/src/engine/analyze.ts -> server/src/lsp/server.ts',
        'engine-knows-no-face: server/src/engine/analyze.ts -> vscode-languageserver',
        'engine-reads-no-files: server/src/engine/analyze.ts -> fs',
        'no-circular: server/src/engine/analyze.ts -> server/src/lsp/server.ts',
        'product-imports-no-test: server/src/cli/main.ts -> test/helpers/helper.ts',
        'server-imports-no-client: server/src/cli/main.ts -> client/src/gate.ts',
        'webview-runs-in-a-browser: client/src/webview/main.ts -> path',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
