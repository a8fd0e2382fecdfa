// The walks' child visitor: the commonest syntax kinds' children visited directly, everything else by ts.forEachChild.
import ts from 'typescript';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const { SyntaxKind, forEachChild } = ts;

/** A walk's visitor. It returns nothing: ts.forEachChild, which the other kinds go through, stops at a truthy return. */
export type ChildVisitor = (child: ts.Node) => void;

function visitAll(nodes: ts.NodeArray<ts.Node> | undefined, visit: ChildVisitor): void {
  if (nodes === undefined) return;
  for (let i = 0; i < nodes.length; i++) visit(nodes[i]);
}

/**
 * Visits a node's children in the order and with the fields `ts.forEachChild` uses. For the kinds model code is made
 * of (statements, declarations, calls, member access, literals) it reads the fields itself: forEachChild goes through
 * a table lookup and a wrapper call per child, which the two walks pay on every node of the file, and most after a
 * garbage collection, before V8 has optimized them again. `children.test.ts` checks both give the same children.
 */
export function forEachChildFast(node: ts.Node, visit: ChildVisitor): void {
  switch (node.kind) {
    case SyntaxKind.SourceFile: {
      const file = node as ts.SourceFile;
      visitAll(file.statements, visit);
      if (file.endOfFileToken) visit(file.endOfFileToken);
      return;
    }
    case SyntaxKind.Block:
      visitAll((node as ts.Block).statements, visit);
      return;
    case SyntaxKind.VariableStatement: {
      const statement = node as ts.VariableStatement;
      visitAll(statement.modifiers, visit);
      if (statement.declarationList) visit(statement.declarationList);
      return;
    }
    case SyntaxKind.VariableDeclarationList:
      visitAll((node as ts.VariableDeclarationList).declarations, visit);
      return;
    case SyntaxKind.VariableDeclaration: {
      const declaration = node as ts.VariableDeclaration;
      if (declaration.name) visit(declaration.name);
      if (declaration.exclamationToken) visit(declaration.exclamationToken);
      if (declaration.type) visit(declaration.type);
      if (declaration.initializer) visit(declaration.initializer);
      return;
    }
    case SyntaxKind.ExpressionStatement: {
      const expression = (node as ts.ExpressionStatement).expression;
      if (expression) visit(expression);
      return;
    }
    case SyntaxKind.ReturnStatement: {
      const expression = (node as ts.ReturnStatement).expression;
      if (expression) visit(expression);
      return;
    }
    case SyntaxKind.CallExpression:
    case SyntaxKind.NewExpression: {
      const call = node as ts.CallExpression;
      if (call.expression) visit(call.expression);
      if (call.questionDotToken) visit(call.questionDotToken);
      visitAll(call.typeArguments, visit);
      visitAll(call.arguments, visit);
      return;
    }
    case SyntaxKind.PropertyAccessExpression: {
      const access = node as ts.PropertyAccessExpression;
      if (access.expression) visit(access.expression);
      if (access.questionDotToken) visit(access.questionDotToken);
      if (access.name) visit(access.name);
      return;
    }
    case SyntaxKind.ObjectLiteralExpression:
      visitAll((node as ts.ObjectLiteralExpression).properties, visit);
      return;
    case SyntaxKind.ArrayLiteralExpression:
      visitAll((node as ts.ArrayLiteralExpression).elements, visit);
      return;
    case SyntaxKind.PropertyAssignment: {
      // modifiers, questionToken and exclamationToken: what the parser keeps of invalid syntax (forEachChild visits them).
      const property = node as ts.PropertyAssignment &
        Partial<Pick<ts.PropertyDeclaration, 'modifiers' | 'questionToken' | 'exclamationToken'>>;
      visitAll(property.modifiers, visit);
      if (property.name) visit(property.name);
      if (property.questionToken) visit(property.questionToken);
      if (property.exclamationToken) visit(property.exclamationToken);
      if (property.initializer) visit(property.initializer);
      return;
    }
    case SyntaxKind.AsExpression: {
      const as = node as ts.AsExpression;
      if (as.expression) visit(as.expression);
      if (as.type) visit(as.type);
      return;
    }
    default:
      forEachChild(node, visit);
  }
}
