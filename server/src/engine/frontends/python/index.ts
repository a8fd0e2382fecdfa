// The Python front end: PyTorch and Keras model code (.py) read with @lezer/python into the model IR. Nothing of the
// user's code is executed or imported; see interpreter.ts for what is followed and what stays unknown.
import type { SyntaxNode } from '@lezer/common';
import type { Model, ParseResult } from '../../ir';
import type { AnalysisMemo } from '../../types';
import { scanSuppressions } from '../suppressions';
import { assembleModel, dialectOf, identityOf, isModelValue, nestedObjects, type ModelRoot } from './assemble';
import { Session, type DefinitionCache, type Reading, type ReadModel, type Reuse } from './definitionCache';
import { BudgetExceeded, Interpreter } from './interpreter';
import { CarriedValueRead, type Watch } from './readerState';
import { bindingSignature, definitionEnd, importsOf, isReusable } from './statementReuse';
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

/** True for a character of a Python identifier (ASCII letters, digits, underscore). */
function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** True when a name occurs as a whole word anywhere in the text outside its own definition (a cheap reference test). */
function isReferenced(text: string, name: string, definition: SyntaxNode): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (at >= definition.from && at < definition.to) {
      at = definition.to - 1;
      continue;
    }
    if (!isWordCode(text.charCodeAt(at - 1)) && !isWordCode(text.charCodeAt(at + name.length))) return true;
  }
  return false;
}

/** A top-level function or class nothing else in the file names: read on its own for the models it builds. */
interface Entry {
  statement: SyntaxNode;
  definition: SyntaxNode;
  nameNode: SyntaxNode;
  name: string;
  value: Value;
}

/**
 * How one entry or reusable top-level statement was read on this version: afresh (its candidates are those from `at`
 * to `end`) or carried over from the cache (`reused`).
 */
interface EntryRead {
  key: string;
  /** The number of candidates before it: where its models go among the others. */
  at: number;
  reused: Reuse | null;
  end: number;
  watch: Watch;
  reading: Reading;
  failed: boolean;
}

function entriesOf(it: Interpreter, statements: SyntaxNode[]): Entry[] {
  const defined: Omit<Entry, 'value'>[] = [];
  for (const statement of statements) {
    const definition =
      statement.name === 'DecoratedStatement'
        ? (childNamed(statement, 'FunctionDefinition') ?? childNamed(statement, 'ClassDefinition'))
        : statement;
    if (definition?.name !== 'FunctionDefinition' && definition?.name !== 'ClassDefinition') continue;
    const nameNode = childNamed(definition, 'VariableName');
    if (nameNode) defined.push({ statement, definition, nameNode, name: it.text(nameNode) });
  }
  const text = it.source.text;
  const occurrences = wholeWordOffsets(
    text,
    defined.map((entry) => entry.name),
  );
  const entries: Entry[] = [];
  for (const entry of defined) {
    const { name, definition } = entry;
    const referenced =
      occurrences === null || name === ''
        ? isReferenced(text, name, definition)
        : (occurrences.get(name) ?? []).some((at) => at < definition.from || at >= definition.to);
    if (referenced) continue;
    const value = it.globals.names.get(name);
    if (value?.kind === 'function' || (value?.kind === 'class' && value.cls.framework !== null)) entries.push({ ...entry, value });
  }
  return entries;
}

/**
 * Where each name occurs as a whole word, found in one pass over the text (a keystroke re-reads every top-level
 * definition's name, and one search per name was a tenth of it); null for a text with non-ASCII characters, which
 * isReferenced handles name by name. In ASCII text a name is a run of word characters, so at most one name occurs as
 * a whole word at an offset and whole-word occurrences never overlap: the pass finds what the searches found.
 */
function wholeWordOffsets(text: string, names: string[]): Map<string, number[]> | null {
  if (NON_ASCII.test(text)) return null;
  const found = new Map<string, number[]>();
  const distinct = [...new Set(names)].filter((name) => name !== ''); // an empty name would match everywhere
  if (distinct.length === 0) return found;
  const alternatives = distinct.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const pattern = new RegExp(`(?<![A-Za-z0-9_])(?:${alternatives})(?![A-Za-z0-9_])`, 'g');
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const offsets = found.get(match[0]);
    if (offsets) offsets.push(match.index);
    else found.set(match[0], [match.index]);
  }
  return found;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** A read of one entry or top-level statement, begun: afresh unless `reused`. */
function beginRead(it: Interpreter, reads: EntryRead[], key: string, reused: Reuse | null): EntryRead {
  const read: EntryRead = {
    key,
    at: it.candidates.length,
    reused,
    end: it.candidates.length,
    watch: { shared: false, reads: new Map() },
    reading: { models: [], notes: [], steps: 0 },
    failed: false,
  };
  reads.push(read);
  if (reused !== null) {
    it.spend(reused.moved.steps);
    for (const note of reused.moved.notes) if (!it.notes.includes(note)) it.notes.push(note);
  }
  return read;
}

/** Runs `read` (a fresh read) watched, and records what it cost and the imports it was read with. */
function watched(it: Interpreter, read: EntryRead, imports: string, run: () => void): void {
  const [steps, notes] = [it.stepsTaken, it.notes.length];
  read.reading.imports = imports;
  it.watch = read.watch;
  try {
    run();
  } finally {
    it.watch = null;
  }
  read.end = it.candidates.length;
  read.reading.notes = it.notes.slice(notes);
  read.reading.steps = it.stepsTaken - steps;
}

/**
 * Runs the module, then functions and classes nothing in the file calls (a model may be built only there); with a
 * session, the statements and entries whose earlier reading still holds are carried over instead of run.
 */
function readModule(it: Interpreter, session: Session | null, reads: EntryRead[]): void {
  const statements = statementsOf(it.source.tree.topNode);
  const imports = session?.usable ? importsOf(it, statements) : '';
  // A reading holds while the file imports the same and every module-level name it read is bound as before (and,
  // in a version with a syntax error, to a definition that ends before the error: see Session.readsBefore).
  const before = session?.readsBefore ?? Infinity;
  const holds = (reading: Reading): boolean =>
    reading.imports === imports &&
    reading.reads !== undefined &&
    [...reading.reads].every(([name, signature]) => {
      const value = it.globals.names.get(name);
      return bindingSignature(it, value) === signature && (before === Infinity || definitionEnd(value) <= before);
    });
  const reuse = (statement: SyntaxNode, key: string): Reuse | null =>
    session === null || statement.to > before ? null : session.reuse(key, holds);
  const frame = {};
  for (const statement of statements) {
    if (!session?.usable || !isReusable(it, statement)) {
      it.execBlock([statement], it.globals, frame, true);
      continue;
    }
    const key = Session.keyOf(it.placeOf(statement.from), it.text(statement));
    const read = beginRead(it, reads, key, reuse(statement, key));
    if (read.reused !== null) {
      // The names it bound stand for carried-over values: reading one for more than showing it reads the version afresh.
      for (const name of read.reused.moved.binds ?? []) {
        const stand: Value = { kind: 'unknown', reason: `'${name}' is carried over from the last version` };
        it.carried.add(stand);
        it.globals.names.set(name, stand);
      }
      continue;
    }
    const before = new Map(it.globals.names);
    watched(it, read, imports, () => it.execBlock([statement], it.globals, frame, true));
    read.reading.binds = [...it.globals.names].filter(([name, value]) => before.get(name) !== value).map(([name]) => name);
    // A name it bound and then read (a loop variable) is its own doing, not something it depends on.
    for (const name of read.reading.binds) if (read.watch.reads.get(name) !== before.get(name)) read.watch.reads.delete(name);
  }
  for (const { statement, definition, nameNode, name, value } of entriesOf(it, statements)) {
    const key = Session.keyOf(it.placeOf(statement.from), it.text(statement));
    const read = beginRead(it, reads, key, reuse(statement, key));
    if (read.reused !== null) continue;
    watched(it, read, imports, () => {
      if (value.kind === 'function') {
        it.entryNode = definition;
        const returned = it.callFunction(value.fn, null, it.globals);
        it.entryNode = null;
        it.candidates.push({ name, value: returned, span: nameNode });
      } else if (value.kind === 'class') {
        it.candidates.push({ name, value: it.instantiate(value.cls, null, it.globals), span: nameNode });
      }
    });
  }
}

/** Where the first syntax error (or over-nested statement) starts; Infinity without one. */
function firstErrorOf(notes: ParseResult['notes']): number {
  return notes.reduce((first, note) => Math.min(first, note.span?.start ?? 0), Infinity);
}

function rootsOf(it: Interpreter): { root: ModelRoot; index: number }[] {
  const seen = new Set<object>();
  const roots: { root: ModelRoot; index: number }[] = [];
  for (const [index, candidate] of it.candidates.entries()) {
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
    roots.push({ root: { name: candidate.name, value, span }, index });
  }
  const nested = new Set<object>();
  for (const { root } of roots) nestedObjects(root.value, nested);
  return roots.filter(({ root }) => !nested.has(identityOf(root.value)!));
}

/** A reused reading's model would be named differently on this version: the version is read afresh instead (see below). */
class NameMoved extends Error {}

/**
 * Parses Python source into models (never throws: half-typed code gives what can be read, with notes). `placeOf`
 * names the place of an offset in initializer labels (default "on line N"); `syntax` is the text's parse when the
 * caller has it already (the language server re-parses incrementally, see incremental.ts). With a `cache` (the
 * language server's, one per document), definitions an edit did not touch are not read again; `layout` names what
 * else decides the places `placeOf` gives (a notebook's cells). The result is the same as without the cache.
 */
export function parsePython(
  text: string,
  placeOf?: (offset: number) => string,
  syntax: PythonSyntax = readPythonSyntax(text),
  cache?: DefinitionCache,
  layout = '',
): ParseResult & { memo?: AnalysisMemo } {
  const suppressions = scanSuppressions(text, 'hash');
  const source: PySource = { text, tree: syntax.tree, placeOf };
  // hasErrors comes from the walk the parse already made: an error-free tree needs no second walk for notes.
  const notes = [...syntax.notes, ...(syntax.hasErrors ? syntaxNotes(source) : [])];
  const session = cache?.open(text, layout, firstErrorOf(notes)) ?? null;
  const it = new Interpreter(source);
  it.hooks = libraryHooks();
  const reads: EntryRead[] = [];
  let unfinished = false;
  try {
    readModule(it, session, reads);
  } catch (error) {
    if (error instanceof CarriedValueRead) return parsePython(text, placeOf, syntax, cache, layout);
    unfinished = true;
    notes.push({
      message:
        error instanceof BudgetExceeded
          ? (error as Error).message
          : `model-lint could not finish reading the models: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const models: Model[] = [];
  const names = new Map<string, number>();
  const nameOf = (base: string): string => {
    const count = (names.get(base) ?? 0) + 1;
    names.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  };
  const addFileNotes = (model: Model): void => {
    for (const note of it.notes) if (!model.notes.includes(note)) model.notes.push(note);
  };
  const overBudget: string[] = [];
  const pending = reads.filter((read) => read.reused !== null);
  const placeReused = (before: number): void => {
    while (pending.length > 0 && pending[0].at <= before) {
      const reuse = pending.shift()!.reused!;
      for (const [i, read] of reuse.moved.models.entries()) {
        if (nameOf(read.base) !== read.name) throw new NameMoved();
        for (const note of read.notes) if (!it.notes.includes(note)) it.notes.push(note);
        addFileNotes(read.model);
        models.push(read.model);
        cache?.track(read.model, read, { read: reuse.previous.models[i], map: reuse.map });
      }
    }
  };
  try {
    for (const { root, index } of rootsOf(it)) {
      placeReused(index);
      const name = nameOf(root.name);
      const owner = reads.find((read) => read.reused === null && index >= read.at && index < read.end);
      const [steps, fileNotes] = [it.stepsTaken, it.notes.length];
      it.watch = owner?.watch ?? null;
      try {
        const model = assembleModel({ ...root, name }, it, dialectOf(root.value));
        if (owner) {
          const kept: ReadModel = { model, ownNotes: [...model.notes], name, base: root.name, notes: it.notes.slice(fileNotes) };
          owner.reading.models.push(kept);
          cache?.track(model, kept);
        }
        addFileNotes(model);
        models.push(model);
      } catch (error) {
        if (error instanceof CarriedValueRead) throw error;
        if (owner) owner.failed = true;
        if (error instanceof BudgetExceeded) overBudget.push(name);
        else
          notes.push({
            message: `model-lint could not read model '${name}': ${error instanceof Error ? error.message : String(error)}`,
            span: root.span,
          });
      } finally {
        it.watch = null;
        if (owner) owner.reading.steps += it.stepsTaken - steps;
      }
    }
    placeReused(Infinity);
  } catch (error) {
    // The cache's last version was taken by this read: the new read reuses nothing and keeps what it reads.
    if (error instanceof NameMoved || error instanceof CarriedValueRead) return parsePython(text, placeOf, syntax, cache, layout);
    throw error;
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
  if (session !== null) {
    // A reading cut short (the budget, an error) depends on the order of reading: such a version is read again
    // without the cache, and nothing of it is kept.
    if ((unfinished || overBudget.length > 0) && reads.some((read) => read.reused !== null)) return parsePython(text, placeOf, syntax);
    if (!unfinished && overBudget.length === 0) session.commit(keptReadings(it, reads));
  }
  return { language: 'python', models, notes, suppressions, ...(session?.usable ? { memo: cache } : {}) };
}

/** What the next version may reuse: the readings carried over, and those read afresh that touched nothing shared. */
function keptReadings(it: Interpreter, reads: EntryRead[]): Map<string, Reading> {
  const kept = new Map<string, Reading>();
  for (const read of reads) {
    if (read.reused !== null) kept.set(read.key, read.reused.moved);
    // A top-level statement that built no model is cheap to read again, and its names stay real values for later code.
    else if (read.watch.shared || read.failed || (read.reading.binds !== undefined && read.end === read.at)) continue;
    else {
      const signatures = new Map<string, string>();
      for (const [name, value] of read.watch.reads) {
        const signature = bindingSignature(it, value);
        if (signature === null) break;
        signatures.set(name, signature);
      }
      if (signatures.size !== read.watch.reads.size) continue;
      read.reading.reads = signatures;
      kept.set(read.key, read.reading);
    }
  }
  return kept;
}
