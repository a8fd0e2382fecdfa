// The Python front end: PyTorch and Keras model code (.py) read with @lezer/python into the model IR. Nothing of the
// user's code is executed or imported; see interpreter.ts for what is followed and what stays unknown.
import type { SyntaxNode } from '@lezer/common';
import type { Model, ParseResult } from '../../ir';
import { scanSuppressions } from '../suppressions';
import { assembleModel, dialectOf, identityOf, isModelValue, nestedObjects, type ModelRoot } from './assemble';
import { BudgetExceeded, Interpreter } from './interpreter';
import { libraryHooks } from './library';
import { childNamed, readPythonSyntax, spanOf, statementsOf, type PySource, type PythonSyntax } from './syntax';
import type { Value } from './values';

const MAX_SYNTAX_NOTES = 20;

function syntaxNotes(source: PySource): ParseResult['notes'] {
  const notes: ParseResult['notes'] = [];
  source.tree.iterate({
    enter: (node) => {
      if (notes.length >= MAX_SYNTAX_NOTES) return false;
      if (!node.type.isError) return undefined;
      // lezer marks a missing token with an empty error node: then the rest of the line is what could not be read.
      const end = node.to > node.from ? node.to : source.text.length;
      const excerpt = source.text
        .slice(node.from, Math.min(end, node.from + 30))
        .split(/\r\n|\r|\n/)[0]
        .trim();
      notes.push({
        message: `Syntax error: Python could not read ${excerpt ? `'${excerpt}'` : 'this point'}`,
        span: { start: node.from, end: Math.max(node.to, node.from) },
      });
      return false;
    },
  });
  return notes;
}

/** How often each identifier-like word occurs in a text (one pass, so a file of many definitions stays linear). */
function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  return counts;
}

/** True when a name is used anywhere in the text other than inside its own definition (a cheap reference count). */
function isReferenced(text: string, counts: Map<string, number>, name: string, definition: SyntaxNode): boolean {
  const inside = wordCounts(text.slice(definition.from, definition.to)).get(name) ?? 0;
  return (counts.get(name) ?? 0) > inside;
}

/** Runs the module, then functions and classes nothing in the file calls (a model may be built only there). */
function readModule(it: Interpreter): void {
  const statements = statementsOf(it.source.tree.topNode);
  it.execBlock(statements, it.globals, {}, true);
  let counts: Map<string, number> | null = null;
  for (const statement of statements) {
    const definition =
      statement.name === 'DecoratedStatement'
        ? (childNamed(statement, 'FunctionDefinition') ?? childNamed(statement, 'ClassDefinition'))
        : statement;
    if (definition?.name !== 'FunctionDefinition' && definition?.name !== 'ClassDefinition') continue;
    const nameNode = childNamed(definition, 'VariableName');
    if (!nameNode) continue;
    const name = it.text(nameNode);
    counts ??= wordCounts(it.source.text);
    if (isReferenced(it.source.text, counts, name, definition)) continue;
    const value = it.globals.names.get(name);
    if (value?.kind === 'function') {
      it.entryNode = definition;
      const returned = it.callFunction(value.fn, null, it.globals);
      it.entryNode = null;
      it.candidates.push({ name, value: returned, span: nameNode });
    } else if (value?.kind === 'class' && value.cls.framework !== null) {
      it.candidates.push({ name, value: it.instantiate(value.cls, null, it.globals), span: nameNode });
    }
  }
}

function rootsOf(it: Interpreter): ModelRoot[] {
  const seen = new Set<object>();
  const roots: ModelRoot[] = [];
  for (const candidate of it.candidates) {
    const identity = identityOf(candidate.value);
    if (!isModelValue(candidate.value) || identity === null || seen.has(identity)) continue;
    seen.add(identity);
    const value: Value = candidate.value;
    const span =
      value.kind === 'instance'
        ? value.instance.cls.nameSpan
        : value.kind === 'container'
          ? value.container.span
          : value.kind === 'keras-model'
            ? value.span
            : spanOf(candidate.span);
    roots.push({ name: candidate.name, value, span });
  }
  const nested = new Set<object>();
  for (const root of roots) nestedObjects(root.value, nested);
  return roots.filter((root) => !nested.has(identityOf(root.value)!));
}

/**
 * Parses Python source into models (never throws: half-typed code gives what can be read, with notes). `placeOf`
 * names the place of an offset in initializer labels (default "on line N"); `syntax` is the text's parse when the
 * caller has it already (the language server re-parses incrementally, see incremental.ts).
 */
export function parsePython(
  text: string,
  placeOf?: (offset: number) => string,
  syntax: PythonSyntax = readPythonSyntax(text),
): ParseResult {
  const suppressions = scanSuppressions(text, 'hash');
  const source: PySource = { text, tree: syntax.tree, placeOf };
  const notes = [...syntax.notes, ...syntaxNotes(source)];
  const it = new Interpreter(source);
  it.hooks = libraryHooks();
  try {
    readModule(it);
  } catch (error) {
    notes.push({
      message:
        error instanceof BudgetExceeded
          ? error.message
          : `model-lint could not finish reading the models: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const models: Model[] = [];
  const names = new Map<string, number>();
  const overBudget: string[] = [];
  for (const root of rootsOf(it)) {
    const count = (names.get(root.name) ?? 0) + 1;
    names.set(root.name, count);
    const name = count === 1 ? root.name : `${root.name}#${count}`;
    try {
      const model = assembleModel({ ...root, name }, it, dialectOf(root.value));
      for (const note of it.notes) if (!model.notes.includes(note)) model.notes.push(note);
      models.push(model);
    } catch (error) {
      if (error instanceof BudgetExceeded) overBudget.push(name);
      else
        notes.push({
          message: `model-lint could not read model '${name}': ${error instanceof Error ? error.message : String(error)}`,
          span: root.span,
        });
    }
  }
  if (overBudget.length > 0) {
    const listed = overBudget
      .slice(0, 5)
      .map((name) => `'${name}'`)
      .join(', ');
    notes.push({
      message: `model-lint ran out of its interpretation budget before tracing ${overBudget.length} model${overBudget.length === 1 ? '' : 's'} (${listed}${overBudget.length > 5 ? ', …' : ''}); they are not analysed`,
    });
  }
  return { language: 'python', models, notes, suppressions };
}
