// Reads a Jupyter notebook (.ipynb, nbformat 4) with the offsets of every cell's source, and rewrites changed sources in place.
import { parseTree, printParseErrorCode, findNodeAtLocation, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex } from '../engine/lineIndex';
import type { NotebookCellInput } from '../engine/notebook';

/** A file that is not a notebook the CLI can read: the message says why. */
export class NotebookError extends Error {}

/** One JSON string of a cell's `source`: where its raw text (quotes included) sits in the file, and its value. */
interface SourcePiece {
  offset: number;
  length: number;
  value: string;
  /** Offset of the piece's first character in the cell's text. */
  textStart: number;
}

/** Where a cell's `source` value is in the file and how it is written. */
export interface SourceValue {
  /** Offset and length of the whole value (the string, or the list with its brackets). */
  offset: number;
  length: number;
  form: 'string' | 'list';
  pieces: SourcePiece[];
}

/** One cell of the notebook (every kind), with the text the engine reads and where its source is written. */
export interface NotebookCell extends NotebookCellInput {
  /** Index in the notebook's `cells` array (markdown and raw cells counted). */
  index: number;
  cellType: string;
  source: SourceValue;
}

/** A notebook read from its file text. */
export interface NotebookFile {
  cells: NotebookCell[];
  /** The notebook's language (`metadata.kernelspec.language`, else `metadata.language_info.name`, else python). */
  language: string;
}

/** Whether a path names a notebook, by extension. */
export function isNotebookPath(path: string): boolean {
  return /\.ipynb$/i.test(path);
}

function stringProperty(root: Node, path: (string | number)[]): string | undefined {
  const node = findNodeAtLocation(root, path);
  return node?.type === 'string' ? (node.value as string) : undefined;
}

function lineColumn(text: string, offset: number): string {
  const { line, column } = new LineIndex(text).positionAt(offset);
  return `line ${line}, column ${column}`;
}

function readSource(node: Node | undefined, index: number): SourceValue {
  if (node?.type === 'string') {
    return {
      offset: node.offset,
      length: node.length,
      form: 'string',
      pieces: [{ offset: node.offset, length: node.length, value: node.value as string, textStart: 0 }],
    };
  }
  if (node?.type === 'array') {
    const pieces: SourcePiece[] = [];
    let textStart = 0;
    for (const element of node.children ?? []) {
      if (element.type !== 'string') throw new NotebookError(`cell ${index + 1}: an element of "source" is not a string`);
      pieces.push({ offset: element.offset, length: element.length, value: element.value as string, textStart });
      textStart += (element.value as string).length;
    }
    return { offset: node.offset, length: node.length, form: 'list', pieces };
  }
  throw new NotebookError(
    `cell ${index + 1}: "source" is ${node === undefined ? 'missing' : `a ${node.type}`}, not a string or a list of strings`,
  );
}

/**
 * Reads an nbformat 4 notebook. A code cell is Python when the notebook's language is Python (or not given) and the
 * cell does not name another language in `metadata.vscode.languageId`. Throws NotebookError when the text is not JSON,
 * has no `cells` array, or a cell's `source` is not a string or a list of strings.
 */
export function parseNotebook(text: string): NotebookFile {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || root === undefined) {
    const first = errors[0];
    throw new NotebookError(
      first ? `not valid JSON: ${printParseErrorCode(first.error)} at ${lineColumn(text, first.offset)}` : 'empty file, not JSON',
    );
  }
  if (root.type !== 'object') throw new NotebookError('not a notebook: the JSON is not an object');
  const cellsNode = findNodeAtLocation(root, ['cells']);
  if (cellsNode?.type !== 'array') {
    const hint = findNodeAtLocation(root, ['worksheets'])
      ? ' (nbformat 3 notebooks are not read; save it again with Jupyter to convert it)'
      : '';
    throw new NotebookError(`not a notebook: no "cells" array${hint}`);
  }
  const language = (
    stringProperty(root, ['metadata', 'kernelspec', 'language']) ??
    stringProperty(root, ['metadata', 'language_info', 'name']) ??
    'python'
  ).toLowerCase();
  const cells = (cellsNode.children ?? []).map((cellNode, index): NotebookCell => {
    if (cellNode.type !== 'object') throw new NotebookError(`cell ${index + 1} is not an object`);
    const cellType = stringProperty(cellNode, ['cell_type']) ?? 'unknown';
    const source = readSource(findNodeAtLocation(cellNode, ['source']), index);
    const languageId = stringProperty(cellNode, ['metadata', 'vscode', 'languageId']);
    const isPythonCode = cellType === 'code' && (languageId === undefined ? language === 'python' : languageId.toLowerCase() === 'python');
    return { index, cellType, source, text: source.pieces.map((piece) => piece.value).join(''), isPythonCode };
  });
  return { cells, language };
}

/** The offset in a raw JSON string (quotes included) of its value's character at `valueOffset`. */
function rawOffset(raw: string, valueOffset: number): number {
  let position = 1;
  for (let unit = 0; unit < valueOffset && position < raw.length - 1; unit++) {
    position += raw.charCodeAt(position) !== 92 ? 1 : raw[position + 1] === 'u' ? 6 : 2; // 92 is a backslash
  }
  return position;
}

/**
 * The offset in the file text of a cell's text offset: inside the JSON string that holds that character. An offset
 * between two list elements counts as the start of the later one for a span's start and the end of the earlier one
 * for its end.
 */
export function fileOffset(fileText: string, cell: NotebookCell, offset: number, side: 'start' | 'end'): number {
  const pieces = cell.source.pieces;
  if (pieces.length === 0) return cell.source.offset + 1;
  let chosen = pieces[0]!;
  for (const piece of pieces) {
    const inside = side === 'start' ? piece.textStart <= offset : piece.textStart < offset;
    if (inside) chosen = piece;
  }
  const raw = fileText.slice(chosen.offset, chosen.offset + chosen.length);
  return chosen.offset + rawOffset(raw, Math.min(offset - chosen.textStart, chosen.value.length));
}

/** How a list-form `source` is laid out, taken from the file: the text after `[`, between elements and before `]`. */
function listLayout(fileText: string, source: SourceValue): { open: string; separator: string; close: string } {
  const pieces = source.pieces;
  const closing = source.offset + source.length - 1;
  if (pieces.length > 0) {
    const first = pieces[0]!;
    const last = pieces[pieces.length - 1]!;
    const open = fileText.slice(source.offset + 1, first.offset);
    const close = fileText.slice(last.offset + last.length, closing);
    const separator = pieces.length > 1 ? fileText.slice(first.offset + first.length, pieces[1]!.offset) : `,${open === '' ? ' ' : open}`;
    return { open, separator, close };
  }
  // An empty list: one indentation step deeper than the "source" key, in the file's own unit and line break.
  if (!fileText.includes('\n')) return { open: '', separator: ', ', close: '' };
  const lineBreak = /\r\n/.test(fileText.slice(0, 10_000)) ? '\r\n' : '\n';
  const key = fileText.lastIndexOf('"source"', source.offset);
  const lineStart = fileText.lastIndexOf('\n', key) + 1;
  const keyIndent = /^[ \t]*/.exec(fileText.slice(lineStart, key))![0];
  const unit = /\n([ \t]+)\S/.exec(fileText)?.[1] ?? ' ';
  return { open: lineBreak + keyIndent + unit, separator: ',' + lineBreak + keyIndent + unit, close: lineBreak + keyIndent };
}

/** A cell text as JSON in the form its `source` had: one string, or one string per line, each but the last ending in a line break. */
export function encodeSource(fileText: string, source: SourceValue, text: string): string {
  if (source.form === 'string') return JSON.stringify(text);
  if (text === '') return '[]';
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const layout = listLayout(fileText, source);
  return `[${layout.open}${lines.map((line) => JSON.stringify(line)).join(layout.separator)}${layout.close}]`;
}

/** The file text with the `source` of each given cell (by index) replaced; everything else is kept byte for byte. */
export function rewriteSources(fileText: string, notebook: NotebookFile, texts: ReadonlyMap<number, string>): string {
  const changed = notebook.cells.filter((cell) => texts.has(cell.index) && texts.get(cell.index) !== cell.text);
  let result = fileText;
  for (const cell of changed.reverse()) {
    const { offset, length } = cell.source;
    result = result.slice(0, offset) + encodeSource(fileText, cell.source, texts.get(cell.index)!) + result.slice(offset + length);
  }
  return result;
}
