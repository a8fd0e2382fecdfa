// Reads Python statically: imports, constants, the file's functions and classes, and what model code builds. Nothing
// is executed for real: values that depend on run time (argparse, files, environment) stay unknown, never guessed.
import type { SyntaxNode } from '@lezer/common';
import type { ExpressionHooks } from './evaluator';
import { FunctionCalls, type Frame } from './functions';
import { canonicalPath } from './libraryPaths';
import { MAX_UNROLL } from './readerState';
import { childNamed, childrenNamed, childrenOf, expressionChildren, statementsOf } from './syntax';
import { constValue, unknownValue, type Scope, type Value } from './values';

export { canonicalPath } from './libraryPaths';
export { BudgetExceeded, MAX_UNROLL, STEP_BUDGET } from './readerState';

/** Hooks the library layer (torch / keras) gives the interpreter: calls of library paths, attributes, methods. */
export interface LibraryHooks extends ExpressionHooks {
  /** A call of a library object (`nn.Linear(…)`, `keras.layers.Dense(…)`, `nn.init.zeros_(…)`, `range(…)`). */
  callPath(path: string, call: SyntaxNode, interpreter: Interpreter, scope: Scope): Value;
  /** A method call on a value the interpreter does not handle itself (tensor methods, container.append, apply). */
  callMethod(receiver: Value, method: string, call: SyntaxNode, interpreter: Interpreter, scope: Scope): Value | undefined;
  /** Calls a value with arguments: a layer or model applied to tensors, an activation function, … */
  callValue(callee: Value, call: SyntaxNode, interpreter: Interpreter, scope: Scope): Value | undefined;
  /** An assignment to an attribute (`self.fc = …`, `self.fc.weight = nn.Parameter(…)`). */
  assignAttribute(receiver: Value, name: string, value: Value, statement: SyntaxNode, interpreter: Interpreter): void;
  /** A model-level name given to a value (`model = nn.Sequential(…)`): its layers can be named through it. */
  nameValue?(value: Value, name: string, statementEnd: number): void;
}

/** The interpreter over one parsed file: statements and calls; the file's functions and classes are functions.ts. */
export class Interpreter extends FunctionCalls {
  /** The library layer's hooks (set by the front end before reading; a declaration only, so no field resets it). */
  declare hooks: LibraryHooks;

  // ---- statements ----

  /** Runs statements in a scope; stops at a return. */
  execBlock(statements: SyntaxNode[], scope: Scope, frame: Frame, topLevel = false): void {
    for (const statement of statements) {
      if (frame.returned !== undefined) return;
      this.exec(statement, scope, frame, topLevel);
    }
  }

  protected exec(node: SyntaxNode, scope: Scope, frame: Frame, topLevel: boolean): void {
    this.step();
    switch (node.name) {
      case 'ImportStatement':
        this.importStatement(node, scope);
        return;
      case 'AssignStatement':
        this.assignStatement(node, scope, topLevel);
        return;
      case 'UpdateStatement': {
        const [target, , value] = childrenOf(node);
        if (target?.name === 'VariableName' && value) {
          const op = this.text(childrenOf(node)[1]).slice(0, -1);
          scope.names.set(this.text(target), this.binaryValues(op, this.eval(target, scope), this.eval(value, scope), node));
        }
        return;
      }
      case 'ExpressionStatement': {
        const expression = expressionChildren(node)[0];
        if (expression) this.eval(expression, scope);
        return;
      }
      case 'ReturnStatement': {
        const expression = expressionChildren(node).find((c) => c.name !== 'return');
        frame.returned = expression ? this.eval(expression, scope) : constValue(null);
        return;
      }
      case 'FunctionDefinition': {
        const name = childNamed(node, 'VariableName');
        if (name) scope.names.set(this.text(name), { kind: 'function', fn: { node, name: this.text(name), closure: scope } });
        return;
      }
      case 'DecoratedStatement': {
        const inner = childNamed(node, 'FunctionDefinition') ?? childNamed(node, 'ClassDefinition');
        if (inner) this.exec(inner, scope, frame, topLevel);
        return;
      }
      case 'ClassDefinition':
        this.classDefinition(node, scope);
        return;
      case 'IfStatement':
        this.ifStatement(node, scope, frame, topLevel);
        return;
      case 'ForStatement':
        this.forStatement(node, scope, frame, topLevel);
        return;
      case 'WithStatement':
      case 'TryStatement':
      case 'WhileStatement': {
        // with torch.no_grad(): / try: the bodies run once; a while loop's body is read once.
        for (const body of childrenNamed(node, 'Body')) this.execBlock(statementsOf(body), scope, frame, topLevel);
        return;
      }
      default:
        return;
    }
  }

  protected importStatement(node: SyntaxNode, scope: Scope): void {
    const tokens = childrenOf(node).map((child) => ({ name: child.name, text: this.text(child) }));
    const isFrom = tokens[0]?.name === 'from';
    if (isFrom) {
      const importIndex = tokens.findIndex((t) => t.name === 'import');
      const module = tokens
        .slice(1, importIndex)
        .map((t) => t.text)
        .join('');
      if (module.startsWith('.')) return;
      const names = tokens.slice(importIndex + 1).filter((t) => t.name !== '(' && t.name !== ')');
      for (let i = 0; i < names.length; i++) {
        if (names[i].name !== 'VariableName') {
          if (names[i].text === '*') this.note(`'from ${module} import *' is read as nothing: names from it stay unknown`);
          continue;
        }
        const imported = names[i].text;
        let local = imported;
        if (names[i + 1]?.name === 'as' && names[i + 2]) {
          local = names[i + 2].text;
          i += 2;
        }
        scope.names.set(local, { kind: 'path', path: canonicalPath(`${module}.${imported}`) });
      }
      return;
    }
    // import a.b.c [as d], e
    const groups: { name: string; text: string }[][] = [[]];
    for (const token of tokens.slice(1)) {
      if (token.name === ',') groups.push([]);
      else groups[groups.length - 1].push(token);
    }
    for (const group of groups) {
      const asIndex = group.findIndex((t) => t.name === 'as');
      const dotted = (asIndex >= 0 ? group.slice(0, asIndex) : group).map((t) => t.text).join('');
      if (dotted === '') continue;
      if (asIndex >= 0 && group[asIndex + 1]) scope.names.set(group[asIndex + 1].text, { kind: 'path', path: canonicalPath(dotted) });
      else scope.names.set(dotted.split('.')[0], { kind: 'path', path: dotted.split('.')[0] });
    }
  }

  protected assignStatement(node: SyntaxNode, scope: Scope, topLevel: boolean): void {
    const children = childrenOf(node).filter((c) => c.name !== 'TypeDef');
    const opIndexes = children.map((c, i) => (c.name === 'AssignOp' ? i : -1)).filter((i) => i >= 0);
    if (opIndexes.length === 0) return;
    const valueNode = children[opIndexes[opIndexes.length - 1] + 1];
    if (valueNode === undefined) return;
    const value = this.eval(valueNode, scope);
    // a = b = value: every target gets it.
    let start = 0;
    for (const opIndex of opIndexes) {
      const targets = children.slice(start, opIndex).filter((c) => c.name !== ',');
      start = opIndex + 1;
      if (targets.length === 1) this.assign(targets[0], value, scope, node);
      else this.assignTuple(targets, value, scope, node);
      const inEntry = this.entryNode !== null && this.functionStack.length === 1 && this.functionStack[0].node === this.entryNode;
      if ((topLevel || inEntry) && targets.length === 1 && targets[0].name === 'VariableName') {
        this.candidates.push({ name: this.text(targets[0]), value, span: valueNode });
        this.hooks.nameValue?.(value, this.text(targets[0]), node.to);
      }
    }
  }

  /** Unpacks a value over several targets (`out, (h, c) = self.lstm(x)`: a tensor goes to every target). */
  assignTuple(targets: SyntaxNode[], value: Value, scope: Scope, statement: SyntaxNode): void {
    targets.forEach((target, index) => {
      let item: Value;
      if (value.kind === 'list') item = value.items[index] ?? unknownValue('unpacking past the end');
      else if (value.kind === 'const' && Array.isArray(value.value)) item = constValue(value.value[index] ?? null);
      else if (value.kind === 'tensor') item = value;
      else item = unknownValue(`'${this.text(statement).slice(0, 60)}' unpacks a value model-lint cannot split`);
      if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
        this.assignTuple(expressionChildren(target), item, scope, statement);
      } else this.assign(target, item, scope, statement);
    });
  }

  assign(target: SyntaxNode, value: Value, scope: Scope, statement: SyntaxNode): void {
    if (target.name === 'VariableName') {
      scope.names.set(this.text(target), value);
      return;
    }
    if (target.name === 'TupleExpression' || target.name === 'ArrayExpression' || target.name === 'ParenthesizedExpression') {
      this.assignTuple(expressionChildren(target), value, scope, statement);
      return;
    }
    if (target.name === 'MemberExpression') {
      const property = childNamed(target, 'PropertyName');
      const object = target.firstChild;
      if (property && object) {
        this.hooks.assignAttribute(this.eval(object, scope), this.text(property), value, statement, this);
      } else if (object) {
        // container[i] = layer / self.blocks['a'] = layer
        const receiver = this.eval(object, scope);
        const key = expressionChildren(target).slice(1)[0];
        if (receiver.kind === 'dict' && key) {
          const k = this.eval(key, scope);
          if (k.kind === 'const' && typeof k.value === 'string') receiver.entries.set(k.value, value);
        }
      }
    }
  }

  protected ifStatement(node: SyntaxNode, scope: Scope, frame: Frame, topLevel: boolean): void {
    // Children: if test Body (elif test Body)* (else Body)?
    const children = childrenOf(node);
    let undecided = false;
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      if (child.name === 'if' || child.name === 'elif') {
        const test = children[i + 1];
        const body = children[i + 2];
        if (!test || body?.name !== 'Body') return;
        const truth = this.truth(this.eval(test, scope));
        if (truth === true && !undecided) {
          this.execBlock(statementsOf(body), scope, frame, topLevel);
          return;
        }
        if (truth === undefined) {
          undecided = true;
          this.execBlock(statementsOf(body), scope, frame, topLevel);
        }
        i += 2;
      } else if (child.name === 'else') {
        const body = children[i + 1];
        if (body?.name === 'Body') this.execBlock(statementsOf(body), scope, frame, topLevel);
        return;
      }
    }
  }

  protected forStatement(node: SyntaxNode, scope: Scope, frame: Frame, topLevel: boolean): void {
    const children = childrenOf(node);
    const inIndex = children.findIndex((c) => c.name === 'in');
    const body = childNamed(node, 'Body');
    if (inIndex < 0 || !body) return;
    const targets = children.slice(1, inIndex).filter((c) => c.name !== ',');
    const iterableNode = children[inIndex + 1];
    if (!iterableNode) return;
    const iterable = this.eval(iterableNode, scope);
    const items = this.iterate(iterable);
    if (items === null) {
      this.note(
        `the loop '${this.text(node).split('\n')[0].slice(0, 60)}' runs over values model-lint cannot know (${iterable.kind === 'unknown' ? iterable.reason : `a ${iterable.kind}`}); its body was not read`,
      );
      return;
    }
    for (const item of items.slice(0, MAX_UNROLL)) {
      if (targets.length === 1) this.assign(targets[0], item, scope, node);
      else this.assignTuple(targets, item, scope, node);
      this.execBlock(statementsOf(body), scope, frame, topLevel);
      if (frame.returned !== undefined) return;
    }
    if (items.length > MAX_UNROLL) this.note(`a loop of ${items.length} iterations was read for its first ${MAX_UNROLL}`);
  }

  /** A call: a method or path of the libraries (through the hooks), a function or class of the file, a value called. */
  protected call(node: SyntaxNode, scope: Scope, depth: number): Value {
    const calleeNode = node.firstChild;
    if (!calleeNode) return unknownValue('incomplete call');
    // Method calls: evaluate the receiver once (it may build layers) and let the library hooks see the method name.
    let callee: Value | undefined;
    if (calleeNode.name === 'MemberExpression' && childNamed(calleeNode, 'PropertyName')) {
      const object = calleeNode.firstChild!;
      const method = this.text(childNamed(calleeNode, 'PropertyName')!);
      if (object.name === 'CallExpression' && this.text(object.firstChild ?? object) === 'super') {
        // super().__init__(…): the base is a library class or one of the file's classes (run its __init__).
        const frame = this.functionStack[this.functionStack.length - 1];
        const self = frame?.self;
        if (self?.kind === 'instance' && method === '__init__') {
          const base = self.instance.cls.bases[0];
          const init = base ? this.findMethod(base, '__init__') : null;
          if (init) return this.callFunction({ node: init.method, name: '__init__', closure: this.globals, self }, node, scope);
        }
        return constValue(null);
      }
      const receiver = this.eval(object, scope, depth + 1);
      if (
        receiver.kind !== 'path' &&
        !(receiver.kind === 'instance' && (receiver.instance.attrs.has(method) || this.findMethod(receiver.instance.cls, method)))
      ) {
        const handled = this.hooks.callMethod(receiver, method, node, this, scope);
        if (handled !== undefined) return handled;
      }
      callee = this.attributeOf(receiver, method, calleeNode);
    }
    callee ??= this.eval(calleeNode, scope, depth + 1);
    if (callee.kind === 'path') return this.hooks.callPath(callee.path, node, this, scope);
    if (callee.kind === 'function') return this.callFunction(callee.fn, node, scope);
    if (callee.kind === 'class') return this.instantiate(callee.cls, node, scope);
    const handled = this.hooks.callValue(callee, node, this, scope);
    if (handled !== undefined) return handled;
    return callee.kind === 'unknown'
      ? unknownValue(`the result of '${this.text(calleeNode).slice(0, 40)}(…)': ${callee.reason}`)
      : unknownValue(`'${this.text(node).slice(0, 40)}' returns nothing model-lint can read`);
  }
}
