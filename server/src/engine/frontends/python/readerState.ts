// The Python reader's state and work caps: the step budget, notes, the file's classes, the model candidates and every
// layer application, with the truthiness and iteration every read shares. Expressions are evaluator.ts (a subclass).
import type { SyntaxNode } from '@lezer/common';
import { LineIndex } from '../../lineIndex';
import { textOf, type PySource } from './syntax';
import { addNote, constValue, type Application, type ClassInfo, type FunctionObject, type Scope, type Tensor, type Value } from './values';

/** Work a file may cost (statements and expressions read); past it the reader stops and says so, keeping what it found. */
export const STEP_BUDGET = 400_000;
/** Loop iterations unrolled per loop. */
export const MAX_UNROLL = 256;

/** Thrown when a file exceeds STEP_BUDGET. */
export class BudgetExceeded extends Error {}

/** What a read for the definition cache looked at in the module's globals. */
export interface Watch {
  /** True once it read a module-level object others could share or change (see isSharedState). */
  shared: boolean;
  /** The module-level names it read and what they were bound to (undefined: not bound). */
  reads: Map<string, Value | undefined>;
}

/** Thrown when code reads a name whose statement was carried over for more than showing it: the version is read afresh. */
export class CarriedValueRead extends Error {}

/** What the reader has found so far and the work it has done; expressions and statements are its subclasses. */
export abstract class ReaderState {
  readonly globals: Scope = { names: new Map(), parent: null };
  readonly classes = new Map<string, ClassInfo>();
  readonly notes: string[] = [];
  /** Every layer application made while reading, in order. */
  readonly applications: Application[] = [];
  /** Values assigned to names at module level or returned by entry functions, in order: the model candidates. */
  readonly candidates: { name: string; value: Value; span: SyntaxNode }[] = [];
  protected steps = 0;
  protected callDepth = 0;
  /** The function definitions being read, innermost last (their names label init calls). */
  readonly functionStack: FunctionObject[] = [];
  /** A function nothing in the file calls, being read for the models it builds: its assignments are candidates too. */
  entryNode: SyntaxNode | null = null;
  /** The file's spelling of torch.nn.init (found from its imports once, see torchInit.ts). */
  initModule: string | null = null;

  constructor(readonly source: PySource) {}

  /**
   * Set while one top-level definition or statement is read for the definition cache (definitionCache.ts): `shared`
   * turns true when the read looks at a module-level object other code could see or change, so its models cannot be
   * reused apart from the rest of the file; `reads` lists the module-level names it used.
   */
  watch: Watch | null = null;
  /** Stand-ins of names whose top-level statement was carried over from the last version (see statementReuse.ts). */
  readonly carried = new Set<Value>();

  step(): void {
    this.spend(1);
  }

  /** The steps taken so far (the definition cache records what each reading cost). */
  get stepsTaken(): number {
    return this.steps;
  }

  /** Counts `steps` against the budget: one step, or the recorded cost of a reading reused from the cache. */
  spend(steps: number): void {
    this.steps += steps;
    if (this.steps > STEP_BUDGET)
      throw new BudgetExceeded(
        `model-lint stopped reading this file after ${STEP_BUDGET} steps (interpretation budget); the models read so far are kept`,
      );
  }

  /**
   * Records what could not be read: on the instance whose method is running (so it shows on that instance's models
   * only), else on the file's notes, which every model of the file shows.
   */
  note(message: string): void {
    for (let i = this.functionStack.length - 1; i >= 0; i--) {
      const self = this.functionStack[i].self;
      if (self?.kind === 'instance') {
        addNote(self.instance, message);
        return;
      }
    }
    if (!this.notes.includes(message)) this.notes.push(message);
  }

  text(node: SyntaxNode): string {
    return textOf(this.source, node);
  }

  /** The place of an offset as labels name it: "on line 12" (as in "nn.init.zeros_ on line 12"), or the source's own words. */
  placeOf(offset: number): string {
    if (this.source.placeOf) return this.source.placeOf(offset);
    this.lines ??= new LineIndex(this.source.text);
    return `on line ${this.lines.positionAt(offset).line}`;
  }

  /** The file's line starts, indexed on first use. */
  private lines: LineIndex | null = null;

  iterate(value: Value): Value[] | null {
    if (value.kind === 'list') return value.items;
    if (value.kind === 'const' && Array.isArray(value.value)) return value.value.map(constValue);
    if (value.kind === 'const' && typeof value.value === 'string') return [...value.value].map(constValue);
    if (value.kind === 'dict') return [...value.entries.keys()].map(constValue);
    if (value.kind === 'container')
      return value.container.items.map((item) => (value.container.kind === 'dict' ? constValue(item.name) : item.value));
    return null;
  }

  /** Python truthiness of a known value; undefined when unknown. */
  truth(value: Value): boolean | undefined {
    if (value.kind === 'const') {
      const v = value.value;
      if (v === null) return false;
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      if (typeof v === 'string') return v.length > 0;
      if (Array.isArray(v)) return v.length > 0;
      return undefined;
    }
    if (value.kind === 'list') return value.items.length > 0;
    if (value.kind === 'unknown' || value.kind === 'tensor') return undefined;
    return true;
  }

  /** Records a layer application and returns its output tensor. */
  apply(layer: Application['layer'], inputs: Tensor[], span?: Application['span']): Value {
    const application: Application = { layer, inputs, order: this.applications.length, ...(span ? { span } : {}) };
    this.applications.push(application);
    return { kind: 'tensor', tensor: { producer: application } };
  }
}
