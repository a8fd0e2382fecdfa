// The TS/JS interpreter's state: names and their values per scope, the walk with its budgets, and the loop and
// condition frames around the code being read (the base of the interpreter's classes: controlFlow, values, models).
import ts from 'typescript';
import type { ConfigValue, Model } from '../../ir';
import { declarationAt, MAX_SYNTAX_DEPTH, type Declaration, type FileIndex } from './bindings';
import { EMPTY_ENV, excerpt, unwrap, type Env, type EvalContext } from './evalContext';
import { truthOf } from './evaluate';
import type { LayerDraft } from './layerConfig';
import type { ShapeResult } from '../../shapes';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { SyntaxKind, isIdentifier, isPropertyAccessExpression } = ts;

/** A layer instance met while interpreting the file (applied in a functional graph or added to a sequential model). */
export interface LayerNode {
  draft: LayerDraft;
  /** Application order: a topological order of the functional graph. */
  order: number;
  /** Producers of its inputs once applied (null entries: an input that could not be traced). */
  inbound: (LayerNode | null)[] | null;
  shape: ShapeResult | null;
  /** How many times the layer object was applied; more than one shares its weights between the calls. */
  applications?: number;
}

/** What an expression evaluates to at "run time" of the model-building code. */
export type RuntimeValue =
  | { kind: 'sequential'; model: Model }
  | { kind: 'functional'; model: Model }
  | { kind: 'layer'; node: LayerNode }
  | { kind: 'tensor'; node: LayerNode | null }
  | { kind: 'list'; items: (RuntimeValue | undefined)[] }
  /** A helper call that was followed but returned nothing model-related. */
  | { kind: 'opaque' };

/** One loop around the code being read: this iteration and how many there are (null: unknown, body read once). */
export interface RepeatFrame {
  index: number;
  count: number | null;
  note?: string;
}

/** A condition the analysis cannot evaluate, whose branches are all being read. */
export interface ConditionFrame {
  condition: ts.Expression;
  /** How the branches were read, in words for the note. */
  reading: string;
  /** The note, built when a layer first meets it (most unknown conditions guard no layer). */
  note?: string;
}

/** Loops with more iterations than this are not unrolled (the body is read once, with the count kept). */
export const MAX_UNROLL = 256;
/** How deep helper calls are followed (`block(x)` inside `stage(x)` inside ...). */
export const MAX_CALL_DEPTH = 4;
/** Total loop iterations interpreted per file, so nested loops cannot blow up. */
export const ITERATION_BUDGET = 20_000;
/**
 * Syntax nodes walked per file, counting each unrolled iteration and followed helper call again: the interpretation
 * stops there with a note and keeps what it read (helpers called in nested loops multiply the work). Steps, not time,
 * so the result is the same on every machine.
 */
export const STEP_BUDGET = 20_000;

/** A stable lookup key for a model/tensor/layer holder: `model`, `this.model`, `net.encoder`. */
export function keyOf(expr: ts.Expression): string | null {
  let node = unwrap(expr);
  if (isIdentifier(node)) return node.text;
  // A loop, not recursion: a member chain may be thousands of names long.
  const names: string[] = [];
  while (isPropertyAccessExpression(node) && isIdentifier(node.name)) {
    names.push(node.name.text);
    node = unwrap(node.expression);
  }
  let key = isIdentifier(node) ? node.text : node.kind === SyntaxKind.ThisKeyword ? 'this' : null;
  if (key === null) return null;
  for (let i = names.length - 1; i >= 0; i--) key = `${key}.${names[i]}`;
  return key;
}

/** The last name of a holder key (`this.encoder` → `encoder`): the name a model assigned there is given. */
export function lastSegment(key: string | null): string | undefined {
  if (key === null) return undefined;
  const dot = key.lastIndexOf('.');
  return dot < 0 ? key : key.slice(dot + 1);
}

/** The interpreter's state and walk; the statement and expression readers are its subclasses. */
export abstract class InterpreterScope {
  readonly models: Model[] = [];
  /** Values of names per declaration: a block's `const m` shadows the outer `m` without replacing its value. */
  protected readonly store = new Map<string, Map<Declaration | undefined, RuntimeValue>>();
  protected env: Env = EMPTY_ENV;
  protected readonly repeats: RepeatFrame[] = [];
  /** Unknown conditions around the code being read, outermost first. */
  protected readonly conditions: ConditionFrame[] = [];
  protected nodeCount = 0;
  protected iterations = 0;
  protected depth = 0;
  /** Nodes walked so far, counting every unrolled iteration and followed call again. */
  steps = 0;
  /** True once the walk stopped at STEP_BUDGET. */
  outOfSteps = false;
  /** Start of the first node past MAX_SYNTAX_DEPTH the walk met. */
  tooDeepAt: number | undefined;
  /** Helper functions being followed, innermost last, with the value their top-level `return` gave. */
  protected readonly calls: { fn: ts.FunctionLikeDeclaration; returned: RuntimeValue | undefined; nameHint: string | undefined }[] = [];
  /** Function-like nodes being read, innermost last: the function a `return` belongs to (the tree has no parent pointers). */
  protected readonly functions: ts.Node[] = [];
  /** Models created while a helper call was being followed. */
  protected readonly modelsInCalls = new Set<Model>();

  constructor(protected readonly index: FileIndex) {}

  protected get ctx(): EvalContext {
    return { index: this.index, env: this.env };
  }

  protected get sourceFile(): ts.SourceFile {
    return this.index.sourceFile;
  }

  // ---- walking ---------------------------------------------------------------------------------------------

  /** The interpreter whose walk is running (one at a time: a file is read start to end without yielding). */
  private static running: InterpreterScope | undefined;

  /**
   * The visitor handed to forEachChild and the branch readers: one long-lived function for every file, not a closure
   * per interpreter, because V8 keeps a function's optimized code only while a closure that runs it lives (a closure
   * made per file is optimized again after every garbage collection, and the language server reads a file per edit).
   */
  protected static readonly visitChild = (node: ts.Node): void => (InterpreterScope.running as InterpreterScope).visit(node);

  /** Walks the whole file as the running interpreter. */
  protected walkFile(): void {
    const outer = InterpreterScope.running;
    InterpreterScope.running = this;
    try {
      this.visit(this.sourceFile);
    } finally {
      InterpreterScope.running = outer;
    }
  }

  /** Walks a node unless it lies past the depth cap (then only where it starts is kept, for the note). */
  protected visit(node: ts.Node): void {
    if (++this.steps > STEP_BUDGET) {
      this.outOfSteps = true;
      return;
    }
    if (this.depth >= MAX_SYNTAX_DEPTH) {
      this.tooDeepAt ??= node.pos;
      return;
    }
    // A token (identifier, literal, keyword, punctuation) has no children and no statement or call to read.
    if (node.kind <= SyntaxKind.LastToken) return;
    this.depth++;
    try {
      this.visitNode(node);
    } finally {
      this.depth--;
    }
  }

  /** Reads one node: the statement or expression forms the interpreter knows, else its children. */
  protected abstract visitNode(node: ts.Node): void;

  /** Reads the body of a function-like node (so a `return` in it is known to be its own). */
  protected within<T>(fn: ts.Node, read: () => T): T {
    this.functions.push(fn);
    try {
      return read();
    } finally {
      this.functions.pop();
    }
  }

  /** The variable a holder key starts with, as visible at a position (so a parameter of the same name does not match). */
  protected declarationOf(key: string, position: number): Declaration | undefined {
    const dot = key.indexOf('.');
    const root = dot < 0 ? key : key.slice(0, dot);
    return root === 'this' ? undefined : declarationAt(this.index, root, position);
  }

  protected remember(key: string, value: RuntimeValue, position: number): void {
    let byDeclaration = this.store.get(key);
    if (!byDeclaration) this.store.set(key, (byDeclaration = new Map()));
    byDeclaration.set(this.declarationOf(key, position), value);
  }

  protected recall(key: string, position: number): RuntimeValue | undefined {
    return this.store.get(key)?.get(this.declarationOf(key, position));
  }

  /** The name at this position no longer holds a model, layer or tensor. */
  protected forget(key: string, position: number): void {
    this.store.get(key)?.delete(this.declarationOf(key, position));
  }

  // ---- conditions ------------------------------------------------------------------------------------------

  /**
   * Reads what runs under a condition: only the taken branch when the condition is known (const folding, loop
   * counters, helper arguments), else both in sequence under a frame whose note reaches every model a layer in
   * them joins (the layers are still linted: a bad initializer in either branch is reported).
   */
  protected readBranches<T extends ts.Node>(
    condition: ts.Expression,
    whenTrue: T,
    whenFalse: T | undefined,
    reading: string,
    read: (branch: T) => void,
  ): void {
    const holds = truthOf(condition, this.ctx);
    if (holds === true) read(whenTrue);
    else if (holds === false) {
      if (whenFalse) read(whenFalse);
    } else {
      this.underCondition(condition, reading, () => {
        read(whenTrue);
        if (whenFalse) read(whenFalse);
      });
    }
  }

  protected underCondition(condition: ts.Expression, reading: string, body: () => void): void {
    this.conditions.push({ condition, reading });
    try {
      body();
    } finally {
      this.conditions.pop();
    }
  }

  /** The notes of the unknown conditions around the code being read (empty almost always). */
  protected conditionNotes(): string[] {
    return this.conditions.map((frame) => {
      if (frame.note === undefined) {
        const line = this.sourceFile.getLineAndCharacterOfPosition(frame.condition.getStart(this.sourceFile)).line + 1;
        frame.note =
          `the model depends on a condition the analysis cannot evaluate ('${excerpt(frame.condition, this.index)}', line ${line}): ` +
          `${frame.reading}, so the layer count and the predicted gradient ratio may include layers that never run, or never run together`;
      }
      return frame.note;
    });
  }

  /** The draft with the notes of the unknown conditions it was read under. */
  protected withConditionNotes(draft: LayerDraft): LayerDraft {
    if (this.conditions.length === 0) return draft;
    return { ...draft, notes: [...draft.notes, ...this.conditionNotes()] };
  }

  // ---- loop frames ------------------------------------------------------------------------------------------

  /** Where the code being read sits in the loops around it: iteration index and count (null when unknown). */
  protected currentRepeat(): LayerDraft['repeated'] {
    if (this.repeats.length === 0) return undefined;
    let index = 0;
    let count: number | null = 1;
    let note: string | undefined;
    for (const frame of this.repeats) {
      index = count === null || frame.count === null ? frame.index : index * frame.count + frame.index;
      count = count === null || frame.count === null ? null : count * frame.count;
      note = note ?? frame.note;
    }
    return note === undefined ? { index, count } : { index, count, note };
  }

  /** Runs `body` as one loop iteration, with the loop's bindings visible to the evaluator. */
  protected withRepeat(frame: RepeatFrame, bindings: Map<string, ConfigValue>, body: () => void): void {
    const savedEnv = this.env;
    if (bindings.size > 0) {
      const env = new Map(savedEnv);
      for (const [name, value] of bindings) env.set(name, value);
      this.env = env;
    }
    this.repeats.push(frame);
    try {
      body();
    } finally {
      this.repeats.pop();
      this.env = savedEnv;
    }
  }
}
