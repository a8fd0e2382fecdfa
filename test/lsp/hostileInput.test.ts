// Protocol tests of hostile documents: 10 MB TS and Python, binary content named .ts and .py, lone surrogates, U+FFFD
// and NUL characters. The server answers each (one skip message where it skips) and keeps serving models afterwards.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lspClient';
import { PY_MODEL, TS_MODEL } from './fixtures';

const TEN_MB = 10_000_000;

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}

/** Bytes as a weights file holds them, each read as one character (what a Latin-1 decoder makes of them), NULs included. */
function binaryText(length: number, seed: number): string {
  let state = seed;
  const chars: string[] = [];
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    chars.push(String.fromCharCode(i % 64 === 0 ? 0 : state % 256));
  }
  return chars.join('');
}

/** Repeats a model block until the text is at least `size` characters (a real model, just far too much of it). */
function repeatTo(block: string, size: number): string {
  return block.repeat(Math.ceil(size / block.length));
}

/** Inserts garbage after the first line: a comment holding lone surrogates and U+FFFD, as broken UTF-8 decodes to. */
function withBadCharacters(model: string, comment: string): string {
  const newline = model.indexOf('\n');
  return `${model.slice(0, newline + 1)}${comment} bad: \uD800 \uDFFF \uFFFD\uFFFD x\uDC00y \uD83D\n${model.slice(newline + 1)}`;
}

describe('hostile documents', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  async function openAndWait(uri: string, languageId: string, text: string, timeoutMs = 20_000): Promise<Diagnostic[]> {
    await client.open(uri, languageId, text);
    const diagnostics = await client.waitForPublished(uri, 1, timeoutMs);
    assert.equal(client.child.exitCode, null, `the server is alive after ${uri}`);
    return diagnostics;
  }

  function assertSkipped(diagnostics: Diagnostic[], reason: RegExp): void {
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]!.severity, 3);
    assert.match(messageOf(diagnostics[0]!), /skipped/);
    assert.match(messageOf(diagnostics[0]!), reason);
  }

  it('skips 10 MB of TS and of Python with one size message each', async () => {
    const ts = repeatTo(TS_MODEL.replace('export const model', 'const model'), TEN_MB);
    const py = repeatTo(PY_MODEL, TEN_MB);
    assert.ok(ts.length >= TEN_MB && py.length >= TEN_MB);
    assertSkipped(await openAndWait('file:///workspace/hostile/huge.ts', 'typescript', ts), /size limit/);
    assertSkipped(await openAndWait('file:///workspace/hostile/huge.py', 'python', py), /size limit/);
    await client.close('file:///workspace/hostile/huge.ts');
    await client.close('file:///workspace/hostile/huge.py');
  });

  it('skips binary content named .ts and .py with one message each, and answers hover and lenses on it', async () => {
    for (const [uri, languageId, seed] of [
      ['file:///workspace/hostile/weights.ts', 'typescript', 7],
      ['file:///workspace/hostile/weights.py', 'python', 11],
    ] as const) {
      assertSkipped(await openAndWait(uri, languageId, binaryText(65_536, seed)), /binary/);
      assert.equal(
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } }),
        null,
      );
      assert.deepEqual(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }), []);
    }
  });

  it('answers binary bytes without NULs (read as text) with no problems and no crash', async () => {
    const highBytes = binaryText(65_536, 13).replaceAll('\u0000', '\u00ff');
    assert.deepEqual(await openAndWait('file:///workspace/hostile/latin1.ts', 'typescript', highBytes), []);
    assert.deepEqual(await openAndWait('file:///workspace/hostile/latin1.py', 'python', highBytes), []);
  });

  it('still analyses TS and Python models whose comments hold lone surrogates and U+FFFD', async () => {
    const ts = await openAndWait('file:///workspace/hostile/surrogates.ts', 'typescript', withBadCharacters(TS_MODEL, '//'));
    assert.ok(codes(ts).includes('symmetric-init'), JSON.stringify(codes(ts)));
    const py = await openAndWait('file:///workspace/hostile/surrogates.py', 'python', withBadCharacters(PY_MODEL, '#'));
    assert.ok(codes(py).includes('symmetric-init') && codes(py).includes('he-with-saturating'), JSON.stringify(codes(py)));
    // The Python layer lines moved down by one: the ranges still point at the layers.
    const zeros = py.find((d) => d.code === 'symmetric-init')!;
    assert.equal(zeros.range.start.line, 7);
  });

  it('answers unpaired surrogates and U+FFFD inside strings and names, and edits that add and remove them', async () => {
    const uri = 'file:///workspace/hostile/mangled.py';
    const mangled = PY_MODEL.replace("activation='relu'", "activation='re\uD800lu'").replace('model =', 'mo\uFFFDdel =');
    assert.ok(Array.isArray(await openAndWait(uri, 'python', mangled)));
    const document = client.documents.get(uri)!;
    const at = document.positionAt(mangled.indexOf('\uD800'));
    const version = await client.change(uri, [{ range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' }]);
    const fixed = await client.waitForPublished(uri, version);
    assert.ok(
      codes(fixed).includes('symmetric-init'),
      `the relu layer is read again once the surrogate is gone: ${JSON.stringify(codes(fixed))}`,
    );
  });

  it('skips a model with NUL characters in it with the binary message', async () => {
    assertSkipped(
      await openAndWait('file:///workspace/hostile/nul.ts', 'typescript', TS_MODEL.replace('tf.sequential', 'tf.seq\u0000uential')),
      /binary/,
    );
    assertSkipped(await openAndWait('file:///workspace/hostile/nul.py', 'python', `${PY_MODEL}\u0000\u0000\u0000`), /binary/);
  });

  it('still serves a fresh model after all of the above', async () => {
    const uri = 'file:///workspace/hostile/after.ts';
    const diagnostics = await openAndWait(uri, 'typescript', TS_MODEL);
    assert.ok(
      codes(diagnostics).includes('symmetric-init') && codes(diagnostics).includes('glorot-with-relu'),
      JSON.stringify(codes(diagnostics)),
    );
    assert.ok(Array.isArray(await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })));
  });
});
