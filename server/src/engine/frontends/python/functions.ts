// The file's own functions and classes: class definitions, method lookup through the bases, calls with the arguments
// bound to the parameters (defaults, *args, **kwargs), instances built by __init__ and traced methods.
import type { SyntaxNode } from '@lezer/common';
import { Evaluator } from './evaluator';
import { callArguments, childNamed, expressionChildren, parametersOf, spanOf, statementsOf } from './syntax';
import {
  constValue,
  unknownValue,
  unreadableReason,
  type ClassInfo,
  type FunctionObject,
  type InstanceObject,
  type Scope,
  type Value,
} from './values';

const MAX_CALL_DEPTH = 24;

/** How a function body ended: its return value when it returned. */
export interface Frame {
  returned?: Value;
  /** The instance whose method this is (for `super().__init__()` and `self`). */
  self?: Value;
  /** Set when a statement could not be decided and both branches were read. */
}

/** Calls of the file's functions and classes; statements are interpreter.ts (a subclass). */
export abstract class FunctionCalls extends Evaluator {
  protected classDefinition(node: SyntaxNode, scope: Scope): void {
    const nameNode = childNamed(node, 'VariableName');
    if (!nameNode) return;
    const name = this.text(nameNode);
    const bases: ClassInfo[] = [];
    let framework: ClassInfo['framework'] = null;
    for (const base of expressionChildren(childNamed(node, 'ArgList') ?? node).filter(() => childNamed(node, 'ArgList') !== null)) {
      const value = this.eval(base, scope);
      if (value.kind === 'class') {
        bases.push(value.cls);
        framework = framework ?? value.cls.framework;
      } else if (value.kind === 'path') {
        if (/^torch\.nn\.(Module|Sequential|ModuleList)$/.test(value.path)) framework = 'pytorch';
        else if (/^keras\.(Model|models\.Model|layers\.Layer|Layer|Sequential)$/.test(value.path)) framework = 'keras';
      }
    }
    const methods = new Map<string, SyntaxNode>();
    for (const statement of statementsOf(childNamed(node, 'Body'))) {
      const fn = statement.name === 'DecoratedStatement' ? childNamed(statement, 'FunctionDefinition') : statement;
      if (fn?.name !== 'FunctionDefinition') continue;
      const methodName = childNamed(fn, 'VariableName');
      if (methodName) methods.set(this.text(methodName), fn);
    }
    const cls: ClassInfo = { name, node, nameSpan: spanOf(nameNode), framework, methods, bases };
    this.classes.set(name, cls);
    scope.names.set(name, { kind: 'class', cls });
  }

  /** The method of a class or its first base that has it. */
  findMethod(cls: ClassInfo, name: string): { method: SyntaxNode; owner: ClassInfo } | null {
    const seen = new Set<ClassInfo>();
    const queue = [cls];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (seen.has(current)) continue;
      seen.add(current);
      const method = current.methods.get(name);
      if (method) return { method, owner: current };
      queue.push(...current.bases);
    }
    return null;
  }

  /** Evaluated arguments of a call: positional values in order and keyword values by name. */
  argumentsOf(
    call: SyntaxNode,
    scope: Scope,
  ): {
    positional: { value: Value; node: SyntaxNode }[];
    keywords: Map<string, { value: Value; node: SyntaxNode; nameNode: SyntaxNode }>;
    complete: boolean;
    unread?: string;
  } {
    const positional: { value: Value; node: SyntaxNode }[] = [];
    const keywords = new Map<string, { value: Value; node: SyntaxNode; nameNode: SyntaxNode }>();
    let complete = true;
    let unread: string | undefined;
    for (const argument of callArguments(childNamed(call, 'ArgList'), this.source)) {
      const value = this.eval(argument.value, scope, 1);
      if (argument.kind === 'positional') positional.push({ value, node: argument.value });
      else if (argument.kind === 'keyword') keywords.set(argument.name!, { value, node: argument.value, nameNode: argument.nameNode! });
      else if (argument.kind === 'star') {
        const items = this.iterate(value);
        if (items === null) {
          complete = false;
          unread ??= unreadableReason(value);
        } else positional.push(...items.map((item) => ({ value: item, node: argument.value })));
      } else if (value.kind === 'dict') {
        value.entries.forEach((item, key) => keywords.set(key, { value: item, node: argument.value, nameNode: argument.value }));
      } else {
        complete = false;
        unread ??= unreadableReason(value);
      }
    }
    return { positional, keywords, complete, ...(unread === undefined ? {} : { unread }) };
  }

  /** Calls one of the file's functions with the call's arguments (defaults from the definition). */
  callFunction(fn: FunctionObject, call: SyntaxNode | null, callerScope: Scope, extra: Value[] = []): Value {
    if (this.callDepth >= MAX_CALL_DEPTH || this.functionStack.some((f) => f.node === fn.node && this.functionStack.length > 8)) {
      return unknownValue(`calls of '${fn.name}' nest too deeply to follow`);
    }
    const params = parametersOf(childNamed(fn.node, 'ParamList'), this.source);
    const scope: Scope = { names: new Map(), parent: fn.closure };
    const args =
      call === null
        ? { positional: extra.map((value) => ({ value, node: fn.node })), keywords: new Map(), complete: true }
        : this.argumentsOf(call, callerScope);
    if (call !== null && extra.length > 0) args.positional.unshift(...extra.map((value) => ({ value, node: fn.node })));
    let positional = args.positional.slice();
    if (fn.self !== undefined && params[0]) {
      scope.names.set(params[0].name, fn.self);
      params.shift();
    }
    for (const param of params) {
      if (param.kind === 'star') {
        scope.names.set(param.name, { kind: 'list', items: positional.map((p) => p.value) });
        positional = [];
        continue;
      }
      if (param.kind === 'doubleStar') {
        scope.names.set(param.name, { kind: 'dict', entries: new Map([...args.keywords].map(([k, v]) => [k, v.value])) });
        continue;
      }
      const keyword = args.keywords.get(param.name);
      if (keyword) {
        scope.names.set(param.name, keyword.value);
        args.keywords.delete(param.name);
        continue;
      }
      const next = positional.shift();
      if (next) {
        scope.names.set(param.name, next.value);
        continue;
      }
      if (param.defaultValue) scope.names.set(param.name, this.eval(param.defaultValue, fn.closure));
      else
        scope.names.set(
          param.name,
          args.complete
            ? unknownValue(`parameter '${param.name}' of '${fn.name}' has no value here`)
            : unknownValue(`parameter '${param.name}' of '${fn.name}' comes from a spread model-lint cannot read`),
        );
    }
    const frame: Frame = fn.self === undefined ? {} : { self: fn.self };
    this.callDepth++;
    this.functionStack.push(fn);
    try {
      if (fn.node.name === 'LambdaExpression') {
        const body = expressionChildren(fn.node)
          .filter((c) => c.name !== 'ParamList')
          .pop();
        return body ? this.eval(body, scope) : constValue(null);
      }
      this.execBlock(statementsOf(childNamed(fn.node, 'Body')), scope, frame);
    } finally {
      this.functionStack.pop();
      this.callDepth--;
    }
    return frame.returned ?? constValue(null);
  }

  /** Instantiates one of the file's classes: runs __init__ with the call's arguments. */
  instantiate(cls: ClassInfo, call: SyntaxNode | null, scope: Scope): Value {
    const instance: InstanceObject = { cls, attrs: new Map(), span: call === null ? cls.nameSpan : spanOf(call) };
    const self: Value = { kind: 'instance', instance };
    const init = this.findMethod(cls, '__init__');
    if (init) this.callFunction({ node: init.method, name: `${cls.name}.__init__`, closure: this.globals, self }, call, scope);
    return self;
  }

  /** Traces a method of an instance (forward / call) with tensors as arguments; returns what it returns. */
  traceMethod(instance: Value & { kind: 'instance' }, method: string, inputs: Value[]): Value | null {
    const found = this.findMethod(instance.instance.cls, method);
    if (!found) return null;
    return this.callFunction({ node: found.method, name: method, closure: this.globals, self: instance }, null, this.globals, inputs);
  }

  /** Runs statements in a scope; stops at a return (interpreter.ts). */
  abstract execBlock(statements: SyntaxNode[], scope: Scope, frame: Frame, topLevel?: boolean): void;
}
