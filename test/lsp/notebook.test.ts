// Protocol tests of Jupyter notebooks over stdio (LSP 3.17 notebook sync): diagnostics per cell URI after open, a cell
// edit, a cell added, removed and moved; a fix across cells, a hover and lenses in cells; pull mode.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, Diagnostic, Hover, MarkupContent, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { codeActions } from './assertions';
import { LspTestClient } from './lspClient';
import { TestNotebook, type TestCell } from './notebookClient';

/** A deep ReLU MLP built in cell 2, initialized with Glorot in cell 3 and wrapped in cell 4; magics and shell lines in cell 1. */
const CELLS: TestCell[] = [
  { kind: 'markdown', text: '# A deep MLP\nGlorot before ReLU, on purpose.' },
  { kind: 'code', text: '%matplotlib inline\n!pip install torch\nimport torch\nfrom torch import nn\n' },
  { kind: 'code', text: 'layers = []\nfor _ in range(10):\n    layers += [nn.Linear(256, 256), nn.ReLU()]\n' },
  {
    kind: 'code',
    text: 'body = nn.Sequential(*layers)\nfor m in body:\n    if isinstance(m, nn.Linear):\n        nn.init.xavier_uniform_(m.weight)\n',
  },
  { kind: 'code', text: 'model = nn.Sequential(body, nn.Linear(256, 1))\n' },
];

const codes = (diagnostics: Diagnostic[] | undefined): string[] => (diagnostics ?? []).map((d) => String(d.code));

describe('Jupyter notebooks over stdio (push diagnostics)', () => {
  let client: LspTestClient;
  let notebook: TestNotebook;
  /** The code lenses the server gives each cell, in cell order. */
  const lensesOfEveryCell = (): Promise<CodeLens[][]> =>
    Promise.all(
      notebook.cells.map(
        async (cell) => (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: cell.uri } })) as CodeLens[],
      ),
    );
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('advertises notebook sync for jupyter-notebook Python cells', () => {
    assert.deepEqual(client.initializeResult?.capabilities.notebookDocumentSync, {
      notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' }, cells: [{ language: 'python' }] }],
    });
  });

  it('didOpen: every code cell gets a publish, each problem in its own cell at the right place; magics parse', async () => {
    notebook = await TestNotebook.open(client, 'file:///workspace/nb/deep.ipynb', CELLS);
    await notebook.settled();
    assert.equal(client.publishCount(notebook.cellUri(0)), 0, 'a markdown cell gets nothing');
    for (const index of [1, 2, 4]) assert.deepEqual(codes(await notebook.diagnostics(index)), [], `cell ${index} is clean`);
    const cell3 = await notebook.diagnostics(3);
    assert.ok(cell3.length > 0 && cell3.every((d) => d.code === 'glorot-with-relu'), JSON.stringify(codes(cell3)));
    assert.equal(cell3[0]!.range.start.line, 3);
    assert.equal(client.documents.get(notebook.cellUri(3))!.getText(cell3[0]!.range), 'nn.init.xavier_uniform_(m.weight)');
    assert.ok(!client.logs.some((line) => /error/i.test(line)), client.logs.join('\n'));
  });

  it('didChange of one cell updates the cells that depend on it (ReLU → tanh in cell 2 clears cell 3)', async () => {
    const before3 = client.publishCount(notebook.cellUri(3));
    await notebook.replaceInCell(2, 'nn.ReLU()', 'nn.Tanh()');
    await notebook.settled();
    assert.deepEqual(codes(await notebook.diagnostics(2)), []);
    assert.ok(client.publishCount(notebook.cellUri(3)) > before3, 'cell 3 was republished');
    assert.deepEqual(codes(notebook.latest(3)), []);
    await notebook.replaceInCell(2, 'nn.Tanh()', 'nn.ReLU()');
    await notebook.settled();
    assert.ok(codes(notebook.latest(3)).includes('glorot-with-relu'));
  });

  it('a cell added holds its own problem; removing it clears its URI and nothing is published there again', async () => {
    await notebook.addCells(4, [{ kind: 'code', text: 'nn.init.zeros_(body[2].weight)\n' }]);
    await notebook.settled();
    const added = await notebook.diagnostics(4);
    assert.deepEqual(codes(added), ['symmetric-init']);
    assert.equal(added[0]!.range.start.line, 0);
    const removedUri = notebook.cellUri(4);
    const countBeforeRemoval = client.publishCount(removedUri);
    const [gone] = await notebook.removeCells(4);
    assert.equal(gone, removedUri);
    await notebook.settled();
    const afterRemoval = client.published.get(removedUri)!.slice(countBeforeRemoval);
    assert.deepEqual(
      afterRemoval.map((p) => p.diagnostics.length),
      [0],
      'one empty publish clears the removed cell, then nothing',
    );
    assert.ok(codes(notebook.latest(3)).includes('glorot-with-relu'));
    assert.deepEqual(codes(notebook.latest(4)), []);
  });

  it('a moved cell keeps its diagnostics where the code now runs (the init moved before the model is built)', async () => {
    // Cell 3 (the Glorot loop over `body`) moved before cell 2 (which builds `layers`): body does not exist yet there.
    await notebook.moveCell(3, 1);
    await notebook.settled();
    assert.equal(notebook.text(1), CELLS[3]!.text);
    assert.ok(
      !codes(notebook.latest(1)).includes('glorot-with-relu'),
      JSON.stringify(notebook.cells.map((_, i) => codes(notebook.latest(i)))),
    );
    await notebook.moveCell(1, 3);
    await notebook.settled();
    assert.equal(notebook.text(3), CELLS[3]!.text);
    assert.ok(codes(notebook.latest(3)).includes('glorot-with-relu'));
  });

  it('a quick fix in a cell is a WorkspaceEdit on that cell URI; applied, the problem goes', async () => {
    const cell3 = notebook.latest(3)!;
    const actions = await codeActions(client, notebook.cellUri(3), [cell3[0]!]);
    const fix = actions.find((a) => a.isPreferred);
    assert.ok(fix?.edit?.documentChanges, JSON.stringify(actions.map((a) => a.title)));
    assert.deepEqual(
      fix.edit.documentChanges.map((c) => ('textDocument' in c ? c.textDocument.uri : '')),
      [notebook.cellUri(3)],
    );
    const disable = actions.find((a) => a.title === 'Disable glorot-with-relu for this line');
    assert.match(JSON.stringify(disable?.edit), /# model-lint: disable-next-line glorot-with-relu/);
    await notebook.applyEdit(fix.edit);
    await notebook.settled();
    assert.deepEqual(codes(await notebook.diagnostics(3)), []);
    assert.match(notebook.text(3), /kaiming/);
  });

  it('hovers a layer in the cell that builds it, with the fans; the lenses sit in the cell where the model starts', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: notebook.cellUri(2) },
      position: { line: 2, character: 18 },
    })) as Hover | null;
    assert.ok(hover, 'a hover on nn.Linear in cell 2');
    assert.match((hover.contents as MarkupContent).value, /fan_in 256 · fan_out 256/);
    assert.equal(hover.range?.start.line, 2);
    const lensesPerCell = await lensesOfEveryCell();
    const withLenses = lensesPerCell.flatMap((lenses, index) => (lenses.length > 0 ? [index] : []));
    assert.equal(withLenses.length, 1, JSON.stringify(lensesPerCell));
    const probe = lensesPerCell[withLenses[0]!]!.find((lens) => lens.command?.title === 'Probe gradients');
    assert.equal((probe?.command?.arguments?.[0] as { uri: string }).uri, notebook.cellUri(withLenses[0]!));
  });

  it('the lens in a cell probes the model of the notebook (the module of all its cells)', async () => {
    const lensesPerCell = await lensesOfEveryCell();
    const probe = lensesPerCell.flat().find((lens) => lens.command?.title === 'Probe gradients')!;
    const report = (await client.connection.sendRequest('workspace/executeCommand', {
      command: probe.command!.command,
      arguments: [...probe.command!.arguments!, { steps: 2 }],
    })) as { models: { name: string; error?: string; layers: unknown[] }[] };
    assert.equal(report.models.length, 1, JSON.stringify(report).slice(0, 500));
    assert.equal(report.models[0]!.error, undefined, report.models[0]!.error);
    assert.ok(report.models[0]!.layers.length >= 10, `${report.models[0]!.layers.length} layers probed`);
  });

  it('source.fixAll on a cell (fix on save) edits only that cell; the quick-fix fix-all and modelLint/fixAll edit the whole notebook', async () => {
    const other = await TestNotebook.open(client, 'file:///workspace/nb/fixall.ipynb', [
      {
        kind: 'code',
        text: 'import torch\nfrom torch import nn\nnet = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))\n',
      },
      { kind: 'code', text: 'nn.init.xavier_normal_(net[0].weight)\n' },
      { kind: 'code', text: 'print(net)\n' },
      { kind: 'code', text: 'nn.init.zeros_(net[2].weight)\n' },
    ]);
    await other.settled();
    assert.ok(codes(other.latest(1)).includes('glorot-with-relu') && codes(other.latest(3)).includes('symmetric-init'));
    const touched = (edit: WorkspaceEdit | undefined): string[] =>
      [
        ...(edit?.documentChanges ?? []).map((change) => ('textDocument' in change ? change.textDocument.uri : '')),
        ...Object.keys(edit?.changes ?? {}),
      ].sort();
    const sourceFixAll = async (cell: number) => codeActions(client, other.cellUri(cell), [], ['source.fixAll.modelLint']);

    // VS Code applies a fix-all on save only when its edit changes the saved cell alone.
    assert.deepEqual(await sourceFixAll(2), [], 'nothing to fix in the cell itself');
    const [inCell1] = await sourceFixAll(1);
    assert.deepEqual(touched(inCell1?.edit), [other.cellUri(1)]);
    // The quick-fix "fix all" and the palette's request may change every cell, as one edit per changed cell.
    const quickFixes = await codeActions(
      client,
      other.cellUri(1),
      other.latest(1)!.filter((d) => d.code === 'glorot-with-relu'),
    );
    const quickFixAll = quickFixes.find((action) => action.title.startsWith('Fix all') && action.kind === 'quickfix');
    assert.deepEqual(touched(quickFixAll?.edit), [other.cellUri(1), other.cellUri(3)].sort());
    const palette = (await client.connection.sendRequest('modelLint/fixAll', { uri: other.cellUri(2) })) as WorkspaceEdit | null;
    assert.deepEqual(touched(palette ?? undefined), [other.cellUri(1), other.cellUri(3)].sort());

    await other.applyEdit(inCell1!.edit!);
    await other.settled();
    assert.deepEqual(codes(other.latest(1)), []);
    assert.ok(codes(other.latest(3)).includes('symmetric-init'), 'the other cell is left for its own save');
    const [inCell3] = await sourceFixAll(3);
    assert.deepEqual(touched(inCell3?.edit), [other.cellUri(3)]);
    await other.applyEdit(inCell3!.edit!);
    await other.settled();
    for (const index of [0, 1, 2, 3])
      assert.deepEqual(
        codes(other.latest(index)).filter((c) => c !== 'input-signal-lost'),
        [],
        `cell ${index}`,
      );
    await other.close();
  });

  it('didClose clears every cell that had diagnostics', async () => {
    const cellUris = notebook.cells.map((cell) => cell.uri);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: 'file:///workspace/nb/after.py', languageId: 'python', version: 1, text: 'import torch\n' },
    });
    const counts = cellUris.map((uri) => client.publishCount(uri));
    await notebook.close();
    await client.waitForPublished('file:///workspace/nb/after.py', 1);
    cellUris.forEach((uri, index) => {
      if (counts[index] === 0) return;
      const list = client.published.get(uri)!;
      assert.deepEqual(list[list.length - 1]!.diagnostics, [], `cell ${index} cleared`);
    });
  });
});

describe('Jupyter notebooks over stdio (pull diagnostics)', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ pull: true });
  });
  after(async () => {
    await client.stop();
  });

  it('answers textDocument/diagnostic per cell, and asks for a refresh when an edit changes another cell', async () => {
    const notebook = await TestNotebook.open(client, 'file:///workspace/nb/pulled.ipynb', CELLS);
    await notebook.settled();
    const pull = async (index: number): Promise<string[]> =>
      codes(
        (
          (await client.connection.sendRequest('textDocument/diagnostic', {
            textDocument: { uri: notebook.cellUri(index) },
          })) as { items: Diagnostic[] }
        ).items,
      );
    assert.deepEqual(await pull(2), []);
    assert.ok((await pull(3)).includes('glorot-with-relu'));
    const refreshes = client.refreshRequests;
    await notebook.replaceInCell(2, 'nn.ReLU()', 'nn.Tanh()');
    await notebook.settled();
    await client.waitFor(() => (client.refreshRequests > refreshes ? true : undefined), 5000, 'a diagnostics refresh');
    assert.deepEqual(await pull(3), []);
    // An edit that changes no pulled cell's diagnostics asks for nothing.
    const settledRefreshes = client.refreshRequests;
    await notebook.changeCell(4, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# the head\n' }]);
    await notebook.settled();
    assert.equal(client.refreshRequests, settledRefreshes);
    assert.equal(client.publishCount(notebook.cellUri(3)), 0, 'nothing is pushed in pull mode');
  });
});
