// Helpers shared by the protocol tests: find a diagnostic by rule, ask for the code actions of some diagnostics.
import assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import type { LspTestClient } from './lspClient';

/** The first diagnostic of a rule; fails with the codes that were there when there is none. */
export function byRule(diagnostics: Diagnostic[], ruleId: string): Diagnostic {
  const found = diagnostics.find((d) => d.code === ruleId);
  assert.ok(found, `expected a ${ruleId} diagnostic, got ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  return found;
}

/** textDocument/codeAction for these diagnostics (at the first one's range), optionally only some kinds. */
export async function codeActions(client: LspTestClient, uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const result = await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range,
    context: { diagnostics, ...(only ? { only } : {}) },
  });
  return (result ?? []) as CodeAction[];
}
