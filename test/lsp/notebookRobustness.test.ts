// Bad input for notebooks over stdio: 500 cells, syntax errors between good cells, cells removed or moved while the
// notebook is analysed, malformed notebook notifications. The server answers, and publishes only to cells that exist.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, Hover, MarkupContent, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lspClient';
import { TestNotebook, type TestCell } from './notebookClient';

const codes = (diagnostics: Diagnostic[] | undefined): string[] => (diagnostics ?? []).map((d) => String(d.code));

/** No publish with diagnostics reached a cell after it left the notebook: at most one empty publish, then nothing. */
function assertClearedOnly(publishes: readonly PublishDiagnosticsParams[], what: string): void {
  assert.ok(
    publishes.every((p) => p.diagnostics.length === 0),
    `${what}: ${JSON.stringify(publishes.map((p) => codes(p.diagnostics)))}`,
  );
  assert.ok(publishes.length <= 1, `${what}: ${publishes.length} publishes after the removal`);
}

/** 500 cells: imports, a model built over many cells, syntax errors and magics between them, markdown, a zeros init at the end. */
function bigNotebook(): TestCell[] {
  const cells: TestCell[] = [{ kind: 'code', text: '%load_ext autoreload\nimport torch\nfrom torch import nn\nblocks = []\n' }];
  for (let i = 1; i < 500; i++) {
    if (i === 480) cells.push({ kind: 'code', text: 'net = nn.Sequential(*blocks)\nnn.init.zeros_(net[0].weight)\n' });
    else if (i % 10 === 3) cells.push({ kind: 'code', text: `def broken_${i}(:\n    return (\n` });
    else if (i % 10 === 7) cells.push({ kind: 'markdown', text: `## Section ${i}\n` });
    else if (i % 10 === 9) cells.push({ kind: 'code', text: `!echo cell ${i}\n%time x = ${i}\n` });
    else if (i < 40) cells.push({ kind: 'code', text: 'blocks += [nn.Linear(128, 128), nn.ReLU()]\n' });
    else cells.push({ kind: 'code', text: `value_${i} = ${i} * 2\n` });
  }
  return cells;
}

describe('notebooks with bad input over stdio', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('a 500-cell notebook with syntax errors between good cells: every code cell published, the problem in its cell', async () => {
    const cells = bigNotebook();
    const notebook = await TestNotebook.open(client, 'file:///workspace/nb/big.ipynb', cells);
    await notebook.settled(30_000);
    cells.forEach((cell, index) => {
      if (cell.kind === 'code') assert.ok(client.publishCount(notebook.cellUri(index)) > 0, `cell ${index} published`);
    });
    assert.ok(codes(notebook.latest(480)).includes('symmetric-init'), JSON.stringify(codes(notebook.latest(480))));
    const elsewhere = cells.flatMap((_, index) => (index !== 480 && codes(notebook.latest(index)).length > 0 ? [index] : []));
    assert.deepEqual(elsewhere, [], 'syntax errors are no rule problems');
    // An edit of one cell in the middle is answered, and the server still hovers.
    await notebook.replaceInCell(20, '128, 128', '128, 64');
    await notebook.settled(30_000);
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: notebook.cellUri(481) },
      position: { line: 0, character: 0 },
    })) as Hover | null;
    assert.equal(hover, null);
    const inLayer = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: notebook.cellUri(1) },
      position: { line: 0, character: 15 },
    })) as Hover | null;
    assert.match((inLayer?.contents as MarkupContent | undefined)?.value ?? '', /fan_in 128/);
    await notebook.close();
  });

  it('cells removed or moved while the notebook is analysed: diagnostics land in existing cells only', async () => {
    for (let round = 0; round < 5; round++) {
      // Opened and edited at once: the first analysis waits for the notebook's settings from the client meanwhile.
      const notebook = await TestNotebook.open(client, `file:///workspace/nb/race${round}.ipynb`, [
        {
          kind: 'code',
          text: 'import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1))\n',
        },
        { kind: 'code', text: 'nn.init.zeros_(net[0].weight)\n' },
        { kind: 'code', text: 'nn.init.xavier_normal_(net[0].weight)\nnn.init.zeros_(net[2].weight)\n' },
        { kind: 'code', text: 'print(net)\n' },
      ]);
      const doomed = [notebook.cellUri(1), notebook.cellUri(2)];
      const counts = doomed.map((uri) => client.publishCount(uri));
      if (round % 2 === 0)
        await notebook.changeCell(1, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
      await notebook.moveCell(3, 0);
      await notebook.removeCells(2, 2);
      await notebook.settled();
      doomed.forEach((uri, index) => {
        // What was published before the server read the removal is fine; the last word on a removed cell is empty.
        const list = client.published.get(uri) ?? [];
        if (list.length > 0)
          assert.deepEqual(list[list.length - 1]!.diagnostics, [], `round ${round}: the removed cell ${uri} ends cleared`);
        const clearedAt = list.findIndex((p, i) => i >= counts[index]! && p.diagnostics.length === 0);
        if (clearedAt >= 0) assertClearedOnly(list.slice(clearedAt), `round ${round}, ${uri}`);
      });
      assert.deepEqual(
        notebook.cells.map((cell) => cell.uri).filter((uri) => doomed.includes(uri)),
        [],
      );
      await notebook.close();
    }
  });

  it('malformed notebook notifications change nothing they do not name, and the server goes on answering', async () => {
    const notebook = await TestNotebook.open(client, 'file:///workspace/nb/odd.ipynb', [
      {
        kind: 'code',
        text: 'import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))\n',
      },
      { kind: 'code', text: 'nn.init.zeros_(net[0].weight)\n' },
    ]);
    await notebook.settled();
    // A change for a notebook that is not open, a splice past the end, data and text for cells that do not exist, no change at all.
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: 'file:///nowhere.ipynb', version: 3 },
      change: { cells: { textContent: [] } },
    });
    await notebook.send({ cells: { structure: { array: { start: 99, deleteCount: 5 } } } });
    await notebook.send({
      cells: {
        data: [{ kind: 2, document: 'vscode-notebook-cell:/nowhere#x' }],
        textContent: [{ document: { uri: 'vscode-notebook-cell:/nowhere#y', version: 2 }, changes: [{ text: 'x' }] }],
      },
    });
    await notebook.send({});
    await notebook.send(null);
    await client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri: 'file:///workspace/nb/empty.ipynb',
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: [],
      },
      cellTextDocuments: [],
    });
    await client.connection.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri: 'file:///never-opened.ipynb' },
      cellTextDocuments: [],
    });
    await notebook.settled();
    assert.deepEqual(codes(notebook.latest(1)), ['symmetric-init']);
    await notebook.replaceInCell(1, 'zeros_', 'kaiming_normal_');
    await notebook.settled();
    assert.deepEqual(codes(notebook.latest(1)), []);
    assert.equal(client.child.exitCode, null, 'the server is alive');
    const lenses = await client.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri: notebook.cellUri(0) },
    });
    assert.ok(Array.isArray(lenses) && lenses.length === 2);
  });
});
