// A malformed .modellintrc.json is an error diagnostic on that file (with where it breaks), never a silent fallback,
// and the server keeps analysing the models it governs with the settings it could read.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from '../lsp/lspClient';
import { TS_MODEL } from '../lsp/fixtures';

const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : (d.message as { value: string }).value);

const MALFORMED: [string, string, RegExp][] = [
  ['truncated', '{ "rules": { "symmetric-init": "off" ', /Invalid JSON/],
  ['not JSON at all', 'rules: symmetric-init=off\n', /Invalid JSON|must be a JSON object/],
  ['a JSON array', '[ "symmetric-init" ]\n', /must be a JSON object/],
  ['binary', '\u0000\u0001\u0002{', /Invalid JSON/],
  [
    'prototype keys',
    '{ "__proto__": { "rules": {} }, "constructor": 1, "rules": { "toString": "off" } }\n',
    /Unknown key '__proto__'|Unknown key 'constructor'|toString/,
  ],
];

describe('a malformed .modellintrc.json', () => {
  let client: LspTestClient;
  let folder: string;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'model-lint-rc-'));
    client = await LspTestClient.start({ rootUri: pathToFileURL(folder).toString() });
  });
  after(async () => {
    await client.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  MALFORMED.forEach(([label, text, expected], position) => {
    it(`${label}: a diagnostic on the config file, the models still analysed`, async () => {
      const sub = mkdtempSync(join(folder, `case-${position}-`));
      const configUri = pathToFileURL(join(sub, '.modellintrc.json')).toString();
      writeFileSync(join(sub, '.modellintrc.json'), text);
      const modelUri = pathToFileURL(join(sub, 'mlp.ts')).toString();
      await client.open(modelUri, 'typescript', TS_MODEL);
      const modelDiagnostics = await client.waitForPublished(modelUri, 1);
      assert.ok(
        modelDiagnostics.some((d) => d.code === 'glorot-with-relu'),
        `${label}: the model is still analysed`,
      );
      const problems = await client.waitFor(
        () => {
          const last = client.published.get(configUri)?.at(-1)?.diagnostics;
          return last && last.length > 0 ? last : undefined;
        },
        5000,
        `diagnostics of the ${label} config`,
      );
      assert.match(problems.map(messageOf).join('\n'), expected);
      assert.ok(problems.every((d) => d.source === 'model-lint' && d.code === 'invalid-config'));
      if (label !== 'prototype keys')
        assert.ok(
          problems.some((d) => d.severity === 1),
          `${label}: an error, not a warning`,
        );
      await client.close(modelUri);
    });
  });
});
