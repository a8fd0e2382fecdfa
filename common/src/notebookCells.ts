// Jupyter notebook cells as one Python module: IPython-only lines neutralized with offsets kept, cells joined in order.
// Shared by the engine (which analyses the module) and the VS Code client (which probes it).

/** One cell as the editor or the .ipynb file has it; only code cells of language Python are analysed. */
export interface NotebookCellInput {
  text: string;
  /** False for markdown and raw cells and for code cells of another language: they are skipped. */
  isPythonCode: boolean;
}

/** Where one analysed cell sits in the module text. */
export interface ModuleCell {
  /** Index of the cell in the input list (markdown cells counted). */
  index: number;
  /** Offset of the cell's first character in the module text. */
  start: number;
  /** Offset just past the cell's text in the module text (a newline is put between cells). */
  end: number;
  /** Whether the cell's own text ends with a line break. */
  endsWithNewline: boolean;
}

/** The module the engine reads: the cells' texts with IPython-only lines made neutral, same lengths. */
export interface NotebookModule {
  text: string;
  cells: ModuleCell[];
}

/** Cell magics whose body is still Python (`%%time` then code); any other cell magic makes the cell non-Python. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'profile', 'memit', 'autoreload']);

/** A line that only IPython understands: `%magic`, `!shell`, `x = !cmd`, `x = %magic`, `name?`, `?name`. */
const IPYTHON_LINE = /^([ \t]*)(?:[%!]|\?{1,2}[\w.]+[ \t]*$|[\w.]+\?{1,2}[ \t]*$)/;
const IPYTHON_ASSIGNMENT = /^([ \t]*[\w.]+[ \t]*=[ \t]*)[%!]/;

/** Python that stands for an IPython-only line: `...` (a statement, so an indented block stays valid) padded to the same length. */
function neutral(line: string, keep: number): string {
  const rest = line.length - keep;
  if (rest >= 3) return line.slice(0, keep) + '...' + ' '.repeat(rest - 3);
  return line.slice(0, keep) + ' '.repeat(rest);
}

/**
 * The cell's text as Python the front end can read, with every offset kept: IPython magics, shell escapes and help
 * lines become `...` or blanks of the same length; a cell magic with a non-Python body blanks the whole cell.
 */
export function neutralizeIPython(text: string): string {
  if (!/[%!?]/.test(text)) return text;
  const lines = text.split(/(\r\n|\r|\n)/); // even entries are lines, odd ones their line breaks
  const firstCode = lines.findIndex((line, i) => i % 2 === 0 && line.trim() !== '');
  if (firstCode >= 0) {
    const cellMagic = /^[ \t]*%%(\w+)/.exec(lines[firstCode]!);
    if (cellMagic) {
      if (!PYTHON_BODY_CELL_MAGICS.has(cellMagic[1]!))
        return lines.map((line, i) => (i % 2 === 0 ? ' '.repeat(line.length) : line)).join('');
      lines[firstCode] = ' '.repeat(lines[firstCode]!.length);
    }
  }
  let continued = false;
  for (let i = 0; i < lines.length; i += 2) {
    const line = lines[i]!;
    if (continued) {
      lines[i] = ' '.repeat(line.length);
    } else {
      const assignment = IPYTHON_ASSIGNMENT.exec(line);
      const magic = assignment ?? IPYTHON_LINE.exec(line);
      if (magic === null) continue;
      lines[i] = neutral(line, magic[1]!.length);
    }
    continued = line.endsWith('\\'); // a magic continued on the next line
  }
  return lines.join('');
}

/** Joins the Python code cells into one module, in order, one line break between cells. */
export function notebookModule(cells: readonly NotebookCellInput[]): NotebookModule {
  const parts: string[] = [];
  const moduleCells: ModuleCell[] = [];
  let length = 0;
  cells.forEach((cell, index) => {
    if (!cell.isPythonCode) return;
    const text = neutralizeIPython(cell.text);
    moduleCells.push({ index, start: length, end: length + text.length, endsWithNewline: /[\r\n]$/.test(text) });
    parts.push(text, '\n');
    length += text.length + 1;
  });
  return { text: parts.join(''), cells: moduleCells };
}
