// Builds .ipynb texts the way Jupyter saves them (one-space indentation, sources as lists of lines) for the notebook tests.

/** A cell text as Jupyter's `source` list: one string per line, each but the last ending in a line break. */
export function sourceLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A code cell; `extra` overrides any field (outputs, metadata, a string source). */
export function codeCell(text: string, extra: object = {}): object {
  return { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: sourceLines(text), ...extra };
}

/** A markdown cell. */
export function markdownCell(text: string): object {
  return { cell_type: 'markdown', metadata: {}, source: sourceLines(text) };
}

/** The notebook's file text, as Jupyter writes it (json.dumps with indent=1 and a final line break). */
export function jupyterNotebook(
  cells: object[],
  metadata: object = { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
): string {
  return JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 }, null, 1) + '\n';
}
