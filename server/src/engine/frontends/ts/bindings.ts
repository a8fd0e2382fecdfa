// Pre-pass over a TS/JS file: which local names stand for TF.js namespaces/functions, and every variable declaration.
import ts from 'typescript';
// TypeScript's exports are getters: reading them once here keeps the per-node walk cheap.
const {
  SyntaxKind,
  forEachChild,
  isArrayBindingPattern,
  isAsExpression,
  isAwaitExpression,
  isBindingElement,
  isBlock,
  isCallExpression,
  isCaseBlock,
  isExternalModuleReference,
  isForInStatement,
  isForOfStatement,
  isForStatement,
  isFunctionLike,
  isIdentifier,
  isModuleBlock,
  isNamespaceImport,
  isNonNullExpression,
  isNumericLiteral,
  isObjectBindingPattern,
  isParenthesizedExpression,
  isPrivateIdentifier,
  isPropertyAccessExpression,
  isSourceFile,
  isStringLiteralLike,
  isVariableDeclarationList,
} = ts;

/** Module specifiers that export the TF.js layers API. */
const TFJS_MODULES = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-layers']);

/** One variable (or destructured) declaration, with the block it is visible in. */
export interface Declaration {
  name: string;
  isConst: boolean;
  /** The initializer of the declaration (for a destructured name: the whole pattern's initializer). */
  initializer: ts.Expression | undefined;
  /** Property path from the pattern's initializer to this name (empty for a plain `const x = ...`). */
  path: string[];
  scope: ts.Node;
  position: number;
  /** True for a function parameter (its value is only known at call time). */
  parameter?: boolean;
}

/** What the pre-pass learnt about a file. */
export interface FileIndex {
  sourceFile: ts.SourceFile;
  /**
   * The file's text, read from the source file once. Hot code reads it here: optimized code that loads a property of
   * the source file object checks that object's hidden class, which dies with the syntax tree at every garbage
   * collection, and the code is then thrown away and optimized again (see ARCHITECTURE.md, TypeScript front end cost).
   */
  text: string;
  /** Local name → TF.js path: '' for the tf namespace, 'layers', 'layers.dense', 'initializers', 'sequential', ... */
  aliases: Map<string, string>;
  declarations: Map<string, Declaration[]>;
  /** Function declarations by name (helpers like `addBlock(model, units)` are followed into). */
  functions: Map<string, ts.FunctionDeclaration>;
  /** The quote character most string literals of the file use. */
  dominantQuote: "'" | '"';
  /** Start of the first node nested deeper than MAX_SYNTAX_DEPTH (neither it nor its children were read). */
  tooDeepAt?: number;
}

/**
 * Syntax nested deeper than this is not walked into (a 10,000-term `a + a + …` nests 10,000 deep): the walks recurse
 * once per level, and real model code stays far below it.
 */
export const MAX_SYNTAX_DEPTH = 1000;

/** The note for code past the depth cap. */
export function syntaxDepthNote(): string {
  return `The code nests deeper than ${MAX_SYNTAX_DEPTH} levels here; model-lint did not read what lies deeper.`;
}

/** Whether nodes of a kind open a scope, filled in as kinds are met: the index walk asks for every node. */
const opensScope: (boolean | undefined)[] = [];

function isScopeNode(node: ts.Node): boolean {
  let scope = opensScope[node.kind];
  if (scope === undefined) {
    scope =
      isBlock(node) ||
      isSourceFile(node) ||
      isModuleBlock(node) ||
      isCaseBlock(node) ||
      isForStatement(node) ||
      isForOfStatement(node) ||
      isForInStatement(node) ||
      isFunctionLike(node);
    opensScope[node.kind] = scope;
  }
  return scope;
}

function isTfjsModule(node: ts.Node | undefined): boolean {
  return node !== undefined && isStringLiteralLike(node) && TFJS_MODULES.has(node.text);
}

/** `require('@tensorflow/tfjs')` (also through `await import(...)`). */
function isTfjsRequire(expr: ts.Expression): boolean {
  let inner = expr;
  while (isParenthesizedExpression(inner) || isAwaitExpression(inner) || isAsExpression(inner)) inner = inner.expression;
  if (!isCallExpression(inner)) return false;
  const isRequire = isIdentifier(inner.expression) && inner.expression.text === 'require';
  const isImport = inner.expression.kind === SyntaxKind.ImportKeyword;
  return (isRequire || isImport) && isTfjsModule(inner.arguments[0]);
}

/** The TF.js path an expression stands for ('' = the namespace itself), or null when it is not TF.js. */
export function tfPathOf(expr: ts.Expression, index: FileIndex): string | null {
  if (isIdentifier(expr)) return index.aliases.get(expr.text) ?? null;
  // A loop, not recursion: a member chain may be thousands of names long.
  const names: string[] = [];
  let current = expr;
  for (;;) {
    if (isPropertyAccessExpression(current) && isIdentifier(current.name)) {
      names.push(current.name.text);
      current = current.expression;
    } else if (isParenthesizedExpression(current) || isNonNullExpression(current) || isAsExpression(current)) current = current.expression;
    else break;
  }
  let path = isIdentifier(current) ? (index.aliases.get(current.text) ?? null) : isTfjsRequire(current) ? '' : null;
  if (path === null) return null;
  for (let i = names.length - 1; i >= 0; i--) path = path === '' ? names[i] : `${path}.${names[i]}`;
  return path;
}

function propertyNameText(name: ts.PropertyName | undefined): string | null {
  if (name === undefined) return null;
  if (isIdentifier(name) || isStringLiteralLike(name) || isNumericLiteral(name) || isPrivateIdentifier(name)) return name.text;
  return null;
}

function recordDeclaration(index: FileIndex, name: string, decl: Omit<Declaration, 'name'>): void {
  const list = index.declarations.get(name);
  // Built field by field rather than spread: one of these per declared name in the file.
  const entry: Declaration = {
    name,
    isConst: decl.isConst,
    initializer: decl.initializer,
    path: decl.path,
    scope: decl.scope,
    position: decl.position,
  };
  if ('parameter' in decl) entry.parameter = decl.parameter;
  if (list) list.push(entry);
  else index.declarations.set(name, [entry]);
}

/** Records every name a binding pattern declares, with the property path that reaches it. */
function recordBindingNames(
  index: FileIndex,
  name: ts.BindingName,
  initializer: ts.Expression | undefined,
  isConst: boolean,
  path: string[],
  scope: ts.Node,
  aliasBase: string | null,
  parameter = false,
): void {
  if (isIdentifier(name)) {
    recordDeclaration(index, name.text, { isConst, initializer, path, scope, position: name.pos, parameter });
    if (aliasBase !== null) index.aliases.set(name.text, path.length === 0 ? aliasBase : joinPath(aliasBase, path));
    return;
  }
  if (isObjectBindingPattern(name)) {
    for (const element of name.elements) {
      if (element.dotDotDotToken) continue;
      const key = propertyNameText(element.propertyName) ?? (isIdentifier(element.name) ? element.name.text : null);
      if (key === null) continue;
      recordBindingNames(index, element.name, initializer, isConst, [...path, key], scope, aliasBase, parameter);
    }
  } else if (isArrayBindingPattern(name)) {
    name.elements.forEach((element, position) => {
      if (isBindingElement(element) && !element.dotDotDotToken) {
        recordBindingNames(index, element.name, initializer, isConst, [...path, String(position)], scope, null, parameter);
      }
    });
  }
}

function joinPath(base: string, path: string[]): string {
  return [base, ...path].filter((part) => part !== '').join('.');
}

function recordImport(index: FileIndex, node: ts.ImportDeclaration, importedNames: Set<string>): void {
  const clause = node.importClause;
  if (clause?.name) importedNames.add(clause.name.text);
  if (clause?.namedBindings) {
    if (isNamespaceImport(clause.namedBindings)) importedNames.add(clause.namedBindings.name.text);
    else for (const element of clause.namedBindings.elements) importedNames.add(element.name.text);
  }
  if (!clause || !isTfjsModule(node.moduleSpecifier)) return;
  if (clause.name) index.aliases.set(clause.name.text, '');
  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (isNamespaceImport(bindings)) index.aliases.set(bindings.name.text, '');
  else {
    for (const element of bindings.elements) {
      const imported = element.propertyName ? element.propertyName.text : element.name.text;
      index.aliases.set(element.name.text, imported === 'default' ? '' : imported);
    }
  }
}

/** What the index walk carries from node to node (the tree has no parent pointers: the walk tracks parent and scope). */
interface IndexWalk {
  index: FileIndex;
  singleQuotes: number;
  doubleQuotes: number;
  sawTfjsImport: boolean;
  importedNames: Set<string>;
  parent: ts.Node;
  scope: ts.Node;
  depth: number;
}

/**
 * The walk in progress. The visitor is one module-level function, not a closure made per file: V8 keeps a function's
 * optimized code only while a closure that runs it lives, so a per-file closure is optimized again after every
 * garbage collection (and the language server indexes a file per edit).
 */
let walk: IndexWalk | undefined;

/** Counts a string literal's quote toward the file's dominant quote. */
function countQuote(node: ts.Node, state: IndexWalk): void {
  const quote = state.index.text.charCodeAt(node.end - 1);
  if (quote === 39) state.singleQuotes++;
  else if (quote === 34) state.doubleQuotes++;
}

/**
 * An object literal's properties. A plain `key: value` property whose key and value are tokens (most of a layer
 * config: `units: 64`, `activation: 'relu'`) holds no declaration, so it is read here, its strings counted, rather than
 * walked into; any other property is walked as forEachChild would. Only called two levels or more above the depth cap.
 */
function visitProperties(literal: ts.ObjectLiteralExpression, state: IndexWalk): void {
  for (const property of literal.properties) {
    if (property.kind === SyntaxKind.PropertyAssignment) {
      // modifiers, `?` and `!` are grammar errors TypeScript keeps on the node (absent from its public type).
      const assignment = property as ts.PropertyAssignment & { modifiers?: unknown; questionToken?: unknown; exclamationToken?: unknown };
      const { name, initializer } = assignment;
      if (
        name.kind <= SyntaxKind.LastToken &&
        initializer.kind <= SyntaxKind.LastToken &&
        assignment.modifiers === undefined &&
        assignment.questionToken === undefined &&
        assignment.exclamationToken === undefined
      ) {
        if (name.kind === SyntaxKind.StringLiteral) countQuote(name, state);
        if (initializer.kind === SyntaxKind.StringLiteral) countQuote(initializer, state);
        continue;
      }
    }
    visitIndexed(property);
  }
}

function visitIndexed(node: ts.Node): void {
  const state = walk as IndexWalk;
  const index = state.index;
  switch (node.kind) {
    case SyntaxKind.StringLiteral:
      countQuote(node, state);
      return;
    case SyntaxKind.ObjectLiteralExpression:
      if (state.depth + 2 < MAX_SYNTAX_DEPTH) {
        // As the walk below does for any node: its children see it as their parent, one level deeper.
        const outerParent = state.parent;
        state.parent = node;
        state.depth++;
        visitProperties(node as ts.ObjectLiteralExpression, state);
        state.depth--;
        state.parent = outerParent;
        return;
      }
      break;
    case SyntaxKind.ImportDeclaration: {
      const before = index.aliases.size;
      recordImport(index, node as ts.ImportDeclaration, state.importedNames);
      if (isTfjsModule((node as ts.ImportDeclaration).moduleSpecifier)) state.sawTfjsImport = true;
      if (index.aliases.size !== before) state.sawTfjsImport = true;
      break;
    }
    case SyntaxKind.ImportEqualsDeclaration: {
      const decl = node as ts.ImportEqualsDeclaration;
      const reference = decl.moduleReference;
      if (isExternalModuleReference(reference) && isTfjsModule(reference.expression)) {
        index.aliases.set(decl.name.text, '');
        state.sawTfjsImport = true;
      }
      state.importedNames.add(decl.name.text);
      break;
    }
    case SyntaxKind.VariableDeclaration: {
      const decl = node as ts.VariableDeclaration;
      const list = state.parent;
      const isConst = isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
      const aliasBase = decl.initializer ? tfPathOf(decl.initializer, index) : null;
      if (decl.initializer && isTfjsRequire(decl.initializer)) state.sawTfjsImport = true;
      recordBindingNames(index, decl.name, decl.initializer, isConst, [], state.scope, aliasBase);
      break;
    }
    case SyntaxKind.FunctionDeclaration: {
      const declaration = node as ts.FunctionDeclaration;
      if (declaration.name && declaration.body) index.functions.set(declaration.name.text, declaration);
      break;
    }
    case SyntaxKind.Parameter: {
      // Parameters shadow outer names: `function addHead(model) { model.add(...) }` is not the outer `model`.
      const parameter = node as ts.ParameterDeclaration;
      recordBindingNames(index, parameter.name, undefined, false, [], state.scope, null, true);
      break;
    }
    default:
      break;
  }
  if (state.depth >= MAX_SYNTAX_DEPTH) {
    index.tooDeepAt ??= node.pos;
    return;
  }
  // A token (identifier, literal, keyword, punctuation) has no children: nothing to walk into.
  if (node.kind <= SyntaxKind.LastToken) return;
  const outerParent = state.parent;
  const outerScope = state.scope;
  state.parent = node;
  if (isScopeNode(node)) state.scope = node;
  state.depth++;
  forEachChild(node, visitIndexed);
  state.depth--;
  state.parent = outerParent;
  state.scope = outerScope;
}

/** Walks the file once: TF.js aliases (imports, requires, destructuring), declarations, the dominant quote. */
export function indexFile(sourceFile: ts.SourceFile): FileIndex {
  const index: FileIndex = {
    sourceFile,
    text: sourceFile.text,
    aliases: new Map(),
    declarations: new Map(),
    functions: new Map(),
    dominantQuote: "'",
  };
  const state: IndexWalk = {
    index,
    singleQuotes: 0,
    doubleQuotes: 0,
    sawTfjsImport: false,
    importedNames: new Set<string>(),
    parent: sourceFile,
    scope: sourceFile,
    depth: 0,
  };
  const outerWalk = walk;
  walk = state;
  try {
    visitIndexed(sourceFile);
  } finally {
    walk = outerWalk;
  }
  // A half-typed file often lacks its import: `tf.layers.dense(...)` still means TF.js.
  if (!state.sawTfjsImport && !state.importedNames.has('tf') && !index.declarations.has('tf')) index.aliases.set('tf', '');
  index.dominantQuote = state.doubleQuotes > state.singleQuotes ? '"' : "'";
  return index;
}

/** The declaration of `name` visible at `position` (innermost scope, latest before the position), if any. */
export function declarationAt(index: FileIndex, name: string, position: number): Declaration | undefined {
  const candidates = index.declarations.get(name);
  if (!candidates) return undefined;
  let best: Declaration | undefined;
  for (const candidate of candidates) {
    const scope = candidate.scope;
    // Half-open: the next statement's leading trivia starts exactly at a block's or function's end.
    if (position < scope.pos || (position >= scope.end && scope.kind !== SyntaxKind.SourceFile)) continue;
    if (
      !best ||
      scope.pos > best.scope.pos ||
      (scope === best.scope && candidate.position <= position && candidate.position > best.position)
    ) {
      best = candidate;
    }
  }
  return best;
}
