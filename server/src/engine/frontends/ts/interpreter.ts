// The TS/JS interpreter: reads the statements of the model-building code (assignments, calls, returns, branches,
// loops) on top of the value, control-flow and model readers, and returns the file's models.
import ts from 'typescript';
import type { Model } from '../../ir';
import { unwrap } from './evalContext';
import { ModelBuilder } from './models';
import { InterpreterScope, keyOf, lastSegment } from './scopes';
import { isCallback } from './values';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { SyntaxKind, forEachChild, isForInStatement, isFunctionLike, isIdentifier, isPropertyAccessExpression, isWhileStatement } = ts;

/** Interprets the model-building code of one file: follows variables, unrolls loops, builds the graphs. */
export class ModelInterpreter extends ModelBuilder {
  /**
   * An interpreter that lives as long as the module. V8 gives an instance a hidden class per field it adds, and the
   * optimized code of every method checks it; that hidden class lives only while some instance does, so without a
   * long-lived one each garbage collection after a file was read throws the interpreter's optimized code away.
   */
  static readonly shapeKeeper = new ModelInterpreter({
    sourceFile: undefined as unknown as ts.SourceFile,
    text: '',
    aliases: new Map(),
    declarations: new Map(),
    functions: new Map(),
    dominantQuote: "'",
  });

  run(): Model[] {
    this.walkFile();
    this.finishModels();
    return this.withoutUnboundCopies();
  }

  /**
   * A model built inside a helper is met twice: where the helper is declared (parameters unknown) and where
   * it is called with a tensor/model (parameters bound). The bound reading wins.
   */
  private withoutUnboundCopies(): Model[] {
    if (this.modelsInCalls.size === 0) return this.models;
    const boundSpans = new Set([...this.modelsInCalls].map((model) => `${model.span.start}:${model.span.end}`));
    return this.models.filter((model) => this.modelsInCalls.has(model) || !boundSpans.has(`${model.span.start}:${model.span.end}`));
  }

  protected override visitNode(node: ts.Node): void {
    switch (node.kind) {
      case SyntaxKind.VariableDeclaration: {
        const decl = node as ts.VariableDeclaration;
        if (decl.initializer) this.assign(isIdentifier(decl.name) ? decl.name.text : null, decl.initializer);
        return;
      }
      case SyntaxKind.PropertyDeclaration: {
        const decl = node as ts.PropertyDeclaration;
        if (decl.initializer) this.assign(isIdentifier(decl.name) ? `this.${decl.name.text}` : null, decl.initializer);
        return;
      }
      case SyntaxKind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        if (binary.operatorToken.kind === SyntaxKind.EqualsToken) {
          this.assign(keyOf(binary.left), binary.right);
          return;
        }
        break;
      }
      case SyntaxKind.CallExpression:
        if (this.visitCall(node as ts.CallExpression)) return;
        break;
      case SyntaxKind.ReturnStatement: {
        const frame = this.calls[this.calls.length - 1];
        const expression = (node as ts.ReturnStatement).expression;
        if (frame && expression && this.functions[this.functions.length - 1] === frame.fn) {
          // A returned model takes the name of the variable the call is assigned to.
          const value = this.runtimeValueOf(expression, frame.nameHint);
          if (value === undefined) this.visit(expression);
          else if (frame.returned === undefined) frame.returned = value;
          return;
        }
        break;
      }
      case SyntaxKind.IfStatement:
        this.visitIf(node as ts.IfStatement);
        return;
      case SyntaxKind.ConditionalExpression: {
        const conditional = node as ts.ConditionalExpression;
        this.visit(conditional.condition);
        this.readBranches(
          conditional.condition,
          conditional.whenTrue,
          conditional.whenFalse,
          'both operands were read in sequence',
          InterpreterScope.visitChild,
        );
        return;
      }
      case SyntaxKind.SwitchStatement:
        this.visitSwitch(node as ts.SwitchStatement);
        return;
      case SyntaxKind.ForStatement:
        this.visitFor(node as ts.ForStatement);
        return;
      case SyntaxKind.ForOfStatement:
        this.visitForOf(node as ts.ForOfStatement);
        return;
      case SyntaxKind.ForInStatement:
      case SyntaxKind.WhileStatement:
      case SyntaxKind.DoStatement: {
        const loop = node as ts.ForInStatement | ts.WhileStatement | ts.DoStatement;
        const what = isForInStatement(loop) ? 'for-in loop' : isWhileStatement(loop) ? 'while loop' : 'do-while loop';
        this.withRepeat({ index: 0, count: null, note: `${what} count unknown: layers treated as repeated` }, new Map(), () =>
          this.visit(loop.statement),
        );
        return;
      }
      default:
        break;
    }
    if (isFunctionLike(node)) this.within(node, () => forEachChild(node, InterpreterScope.visitChild));
    else forEachChild(node, InterpreterScope.visitChild);
  }

  private assign(key: string | null, valueExpression: ts.Expression): void {
    const value = this.runtimeValueOf(valueExpression, lastSegment(key));
    if (value === undefined) {
      this.visit(valueExpression);
      if (key !== null) this.forget(key, valueExpression.pos); // reassigned to something else: no longer a model/tensor
      return;
    }
    if (key !== null) {
      if (value.kind === 'opaque') this.forget(key, valueExpression.pos);
      else this.remember(key, value, valueExpression.pos);
    }
  }

  private visitCall(call: ts.CallExpression): boolean {
    const callee = unwrap(call.expression);
    if (isPropertyAccessExpression(callee) && isIdentifier(callee.name)) {
      const method = callee.name.text;
      if (method === 'add' || method === 'compile') {
        const key = keyOf(callee.expression);
        const target = key === null ? undefined : this.recall(key, callee.pos);
        if (target?.kind === 'sequential' && method === 'add') {
          this.addToSequential(target.model, call);
          return true;
        }
        if ((target?.kind === 'sequential' || target?.kind === 'functional') && method === 'compile') {
          target.model.loss = this.lossOf(call.arguments[0]);
          return true;
        }
      }
      if ((method === 'forEach' || method === 'map') && isCallback(call.arguments[0])) {
        const callback = call.arguments[0];
        this.iterate(callee.expression, callback.parameters[0]?.name, callback.parameters[1]?.name, () =>
          this.within(callback, () => this.visit(callback.body)),
        );
        return true;
      }
    }
    return this.runtimeValueOf(call) !== undefined;
  }
}
