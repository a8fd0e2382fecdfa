// Incremental parsing of one document edited keystroke by keystroke: TypeScript and lezer re-parse only around the change.
import type ts from 'typescript';
import { parseModels, type ModelParser } from './analyze';
import { languageOf, mayHoldPythonModel, mayHoldTfjsModel } from '../../../common/src/modelDetection';
import { parsePython } from './frontends/python';
import { readPythonSyntax, type PythonSyntax } from './frontends/python/syntax';
import { DefinitionCache } from './frontends/python/definitionCache';
import { typeScriptCompiler, typeScriptFrontEnd } from './frontends/lazyTypeScript';
import { scanSuppressions } from './frontends/suppressions';
import type { ParseResult } from './ir';
import { changeBetween } from './changeRange';

export { changeBetween };

/**
 * A ModelParser for successive versions of one document. It keeps the last TypeScript syntax tree and hands
 * TypeScript's own incremental parser (the one its language service uses per keystroke) the changed range, so
 * the tree is rebuilt only around the edit; for Python it keeps lezer's tree and lets lezer reuse the fragments
 * the change did not touch. The models are then read from the tree as on a fresh parse; JSON and other files go
 * to parseModels unchanged. updateSourceFile recycles the old tree's nodes, so nothing outside this object may
 * hold it: the IR keeps spans and values, never nodes.
 */
export class IncrementalParser {
  private last: { fileName: string; text: string; sourceFile: ts.SourceFile } | undefined;
  private lastPython: PythonSyntax | undefined;
  /**
   * The last Python syntax without errors, while the last one has some: a tree with errors lends lezer no fragments
   * (readPythonSyntax), so without it the first version typed out of an error (`nn.` → `nn.T`) would be parsed whole.
   */
  private lastCleanPython: PythonSyntax | undefined;

  /** Parses this version of the document (a ModelParser for analyze()). */
  readonly parse: ModelParser = (text, fileName) => {
    const language = languageOf(fileName);
    if (language === 'python') return mayHoldPythonModel(text) ? this.parsePython(text) : null;
    this.lastPython = undefined;
    this.lastCleanPython = undefined;
    if (language !== 'typescript') {
      this.last = undefined;
      return parseModels(text, fileName);
    }
    if (!mayHoldTfjsModel(text)) return null;
    const suppressions = scanSuppressions(text);
    const sourceFile = this.sourceFileOf(text, fileName);
    if (typeof sourceFile === 'string') {
      return {
        language: 'typescript',
        models: [],
        notes: [{ message: `TypeScript could not parse the file: ${sourceFile}` }],
        suppressions,
      };
    }
    return { ...typeScriptFrontEnd().readModels(sourceFile), suppressions } satisfies ParseResult;
  };

  /**
   * Reads this version of a Python document (or a notebook's module, whose labels name cells through `placeOf`),
   * re-parsing incrementally from the last version.
   */
  readonly parsePython = (text: string, placeOf?: (offset: number) => string, layout = ''): ParseResult => {
    this.last = undefined;
    // lezer trees are immutable: a tree reused as fragments stays valid, so the last one is simply replaced. The same
    // text again (other settings) keeps the last syntax, errors and all.
    const last = this.lastPython;
    const base = last?.hasErrors && last.input !== text ? (this.lastCleanPython ?? last) : last;
    this.lastPython = readPythonSyntax(text, base);
    this.lastCleanPython = this.lastPython.hasErrors ? this.lastCleanPython : this.lastPython;
    return parsePython(text, placeOf, this.lastPython, this.definitions, layout);
  };

  /** The last Python syntax read (tests look at which trees lezer reused). */
  get pythonSyntax(): PythonSyntax | undefined {
    return this.lastPython;
  }

  /** The Python reader's memory of the last version's definitions (see definitionCache.ts). */
  readonly definitions = new DefinitionCache();

  /** The tree of `text`: updated from the last one when there is one for this file, else parsed afresh; the error text if parsing threw. */
  private sourceFileOf(text: string, fileName: string): ts.SourceFile | string {
    const last = this.last;
    this.last = undefined; // an update consumes the old tree, even when it throws
    if (last !== undefined && last.fileName === fileName) {
      if (last.text === text) {
        this.last = last;
        return last.sourceFile;
      }
      try {
        const sourceFile = typeScriptCompiler().updateSourceFile(last.sourceFile, text, changeBetween(last.text, text));
        this.last = { fileName, text, sourceFile };
        return sourceFile;
      } catch {
        // fall through to a fresh parse, which decides what the file gives
      }
    }
    try {
      const compiler = typeScriptCompiler();
      // Parent pointers are not needed by the readers (TypeScript's incremental update sets them on its own).
      const sourceFile = compiler.createSourceFile(
        fileName,
        text,
        compiler.ScriptTarget.Latest,
        false,
        typeScriptFrontEnd().scriptKindOf(fileName),
      );
      this.last = { fileName, text, sourceFile };
      return sourceFile;
    } catch (error) {
      return String(error);
    }
  }
}
