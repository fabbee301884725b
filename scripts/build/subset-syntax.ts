/**
 * The syntax Espruino's parser does not run (/work/shared/ESPRUINO.md, "does not work"), decided
 * from one node alone. Operators are reported at the operator, `?.` at the `?.`, everything
 * else at the construct's first token.
 */
import {
  SyntaxKind,
  type BinaryExpression,
  type ClassDeclaration,
  type FunctionLikeDeclaration,
  type Node,
  type ParameterDeclaration,
  type VariableDeclaration,
} from 'typescript/unstable/ast';
import type { FileContext } from './subset-walk.js';

const NO_DESTRUCTURING = 'Espruino has no destructuring';
const NO_SPREAD = 'Espruino has no spread (...)';
const NO_OPTIONAL_CHAINING = 'Espruino has no optional chaining (?.)';
const NO_PRIVATE_NAMES = "Espruino has no #private fields: esbuild lowers them to WeakMap; use TypeScript's `private`";

/** Assignment-like operators Espruino's lexer does not know, by token. */
const OPERATORS = new Map<SyntaxKind, { construct: string; rule: string }>([
  [SyntaxKind.AsteriskAsteriskToken, { construct: 'exponent', rule: 'Espruino has no ** operator (use Math.pow)' }],
  [SyntaxKind.AsteriskAsteriskEqualsToken, { construct: 'exponent-assignment', rule: 'Espruino has no **= operator' }],
  [SyntaxKind.AmpersandAmpersandEqualsToken, { construct: 'and-assignment', rule: 'Espruino has no &&= operator' }],
  [SyntaxKind.BarBarEqualsToken, { construct: 'or-assignment', rule: 'Espruino has no ||= operator' }],
  [SyntaxKind.QuestionQuestionEqualsToken, { construct: 'nullish-assignment', rule: 'Espruino has no ??= operator' }],
]);

/** Class members a #private name can declare (elsewhere the name is a use: `this.#x`, `#x in o`). */
const PRIVATE_MEMBERS = new Set<SyntaxKind>([
  SyntaxKind.PropertyDeclaration,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
]);

export function checkSyntax(node: Node, ctx: FileContext): void {
  switch (node.kind) {
    case SyntaxKind.ClassDeclaration:
    case SyntaxKind.ClassExpression:
      return checkExtends(node as ClassDeclaration, ctx);
    case SyntaxKind.Parameter:
      return checkParameter(node as ParameterDeclaration, ctx);
    case SyntaxKind.VariableDeclaration:
      return checkVariable(node as VariableDeclaration, ctx);
    case SyntaxKind.BinaryExpression:
      return checkBinary(node as BinaryExpression, ctx);
    case SyntaxKind.ForOfStatement:
    case SyntaxKind.ForInStatement: {
      const loop = node as Node & { initializer: Node; awaitModifier?: Node };
      if (isLiteralPattern(loop.initializer)) ctx.reportAt(loop.initializer, 'destructuring-for-of', NO_DESTRUCTURING);
      if (loop.awaitModifier !== undefined) ctx.reportAt(loop.awaitModifier, 'await', 'Espruino has no await');
      return;
    }
    case SyntaxKind.SpreadElement: {
      const inArray = node.parent.kind === SyntaxKind.ArrayLiteralExpression;
      return ctx.reportAt(node, inArray ? 'spread-array' : 'spread-argument', NO_SPREAD);
    }
    case SyntaxKind.SpreadAssignment:
      return ctx.reportAt(node, 'spread-object', NO_SPREAD);
    case SyntaxKind.TaggedTemplateExpression:
      return ctx.reportAt(node, 'tagged-template', 'Espruino has no tagged templates');
    case SyntaxKind.PropertyAccessExpression:
    case SyntaxKind.ElementAccessExpression: {
      const dot = (node as Node & { questionDotToken?: Node }).questionDotToken;
      if (dot !== undefined) ctx.reportAt(dot, 'optional-chaining', NO_OPTIONAL_CHAINING);
      return;
    }
    case SyntaxKind.CallExpression: {
      const call = node as Node & { expression: Node; questionDotToken?: Node };
      if (call.questionDotToken !== undefined) ctx.reportAt(call.questionDotToken, 'optional-call', NO_OPTIONAL_CHAINING);
      if (call.expression.kind === SyntaxKind.ImportKeyword) {
        ctx.reportAt(node, 'dynamic-import', 'Espruino cannot import at run time (the bundler must resolve every module)');
      }
      return;
    }
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.MethodDeclaration:
      return checkFunction(node as FunctionLikeDeclaration, ctx);
    case SyntaxKind.AwaitExpression:
      return ctx.reportAt(node, 'await', 'Espruino has no await');
    case SyntaxKind.MetaProperty:
      if ((node as Node & { keywordToken: SyntaxKind }).keywordToken === SyntaxKind.ImportKeyword) {
        ctx.reportAt(node, 'import-meta', 'Espruino has no import.meta');
      }
      return;
    case SyntaxKind.LabeledStatement:
      return ctx.reportAt(node, 'labelled-statement', 'Espruino has no labelled statements');
    case SyntaxKind.WithStatement:
      return ctx.reportAt(node, 'with-statement', 'Espruino has no with statement');
    case SyntaxKind.BigIntLiteral:
      return ctx.reportAt(node, 'bigint-literal', 'Espruino has no BigInt');
    case SyntaxKind.PrivateIdentifier:
      // Reported where the member is declared: every `this.#x` needs one, and one finding each is enough.
      if (PRIVATE_MEMBERS.has(node.parent.kind)) ctx.reportAt(node, 'private-name', NO_PRIVATE_NAMES);
      return;
  }
}

function checkExtends(node: ClassDeclaration, ctx: FileContext): void {
  for (const clause of node.heritageClauses ?? []) {
    if (clause.token !== SyntaxKind.ExtendsKeyword) continue;
    const base = clause.types[0];
    if (base !== undefined && base.expression.kind !== SyntaxKind.Identifier) {
      ctx.reportAt(base, 'extends-expression', 'Espruino can only extend a plain class name');
    }
  }
}

function checkParameter(node: ParameterDeclaration, ctx: FileContext): void {
  if (node.dotDotDotToken !== undefined) ctx.reportAt(node, 'rest-parameter', 'Espruino has no rest parameters');
  if (node.initializer !== undefined) ctx.reportAt(node, 'default-parameter', 'Espruino has no default parameters');
  if (isBindingPattern(node.name)) ctx.reportAt(node.name, 'destructuring-parameter', NO_DESTRUCTURING);
}

function checkVariable(node: VariableDeclaration, ctx: FileContext): void {
  if (!isBindingPattern(node.name)) return;
  const list = node.parent;
  const loop = list.parent.kind === SyntaxKind.ForOfStatement || list.parent.kind === SyntaxKind.ForInStatement;
  ctx.reportAt(node.name, loop ? 'destructuring-for-of' : 'destructuring-declaration', NO_DESTRUCTURING);
}

function checkBinary(node: BinaryExpression, ctx: FileContext): void {
  const op = node.operatorToken.kind;
  if (op === SyntaxKind.EqualsToken && isLiteralPattern(node.left)) {
    ctx.reportAt(node.left, 'destructuring-assignment', NO_DESTRUCTURING);
    return;
  }
  const problem = OPERATORS.get(op);
  if (problem !== undefined) ctx.reportAt(node.operatorToken, problem.construct, problem.rule);
}

function checkFunction(node: FunctionLikeDeclaration, ctx: FileContext): void {
  const modifiers = (node as Node & { modifiers?: readonly Node[] }).modifiers ?? [];
  const asyncKeyword = modifiers.find((m) => m.kind === SyntaxKind.AsyncKeyword);
  if (asyncKeyword !== undefined) ctx.reportAt(asyncKeyword, 'async-function', 'Espruino has no async functions');
  if (node.asteriskToken !== undefined) ctx.reportAt(node.asteriskToken, 'generator', 'Espruino has no generators');
}

function isBindingPattern(node: Node): boolean {
  return node.kind === SyntaxKind.ObjectBindingPattern || node.kind === SyntaxKind.ArrayBindingPattern;
}

/** `[a, b] = …` and `({ a } = …)`: an array or object literal in assignment position. */
function isLiteralPattern(node: Node): boolean {
  return node.kind === SyntaxKind.ArrayLiteralExpression || node.kind === SyntaxKind.ObjectLiteralExpression;
}
