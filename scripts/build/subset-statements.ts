/**
 * Rules over a list of statements (a file, a block, a case clause), where Espruino's
 * one-pass interpreter differs from JavaScript:
 * - no function hoisting: a function declared later in the list is not yet defined when code
 *   that runs earlier in the list calls it (a call inside a nested function body is fine: it
 *   runs later);
 * - no semicolon insertion after `return`: `return` then a line break returns the next line's
 *   value instead of undefined.
 */
import { SyntaxKind, type FunctionDeclaration, type Identifier, type Node } from 'typescript/unstable/ast';
import { bindingOf, hasNoRuntimeCode, isValueReference } from './subset-references.js';
import type { FileContext } from './subset-walk.js';

export function checkStatementList(statements: readonly Node[], ctx: FileContext): void {
  checkReturnLineBreaks(statements, ctx);
  checkUseBeforeDeclaration(statements, ctx);
}

function checkReturnLineBreaks(statements: readonly Node[], ctx: FileContext): void {
  for (let i = 0; i + 1 < statements.length; i++) {
    const ret = statements[i] as Node & { expression?: Node };
    const next = statements[i + 1];
    if (ret.kind !== SyntaxKind.ReturnStatement || ret.expression !== undefined) continue;
    if (next.kind !== SyntaxKind.ExpressionStatement) continue;
    const start = ctx.startOf(ret);
    if (ctx.file.text.slice(start, ret.end).trimEnd().endsWith(';')) continue; // `return;` ends it
    if (ctx.line(ctx.startOf(next)) > ctx.line(start)) {
      ctx.report(start, 'return-line-break', "Espruino has no semicolon insertion after return: it returns the next line's value");
    }
  }
}

function checkUseBeforeDeclaration(statements: readonly Node[], ctx: FileContext): void {
  // Function declarations of this list, by name, with their index in the list.
  const declared = new Map<string, { index: number; decl: FunctionDeclaration }>();
  statements.forEach((s, index) => {
    const fn = s as FunctionDeclaration;
    if (s.kind === SyntaxKind.FunctionDeclaration && fn.name !== undefined && fn.body !== undefined) {
      declared.set(fn.name.text, { index, decl: fn });
    }
  });
  if (declared.size === 0) return;
  statements.forEach((s, index) => {
    for (const id of immediateReferences(s)) {
      const target = declared.get(id.text);
      if (target === undefined || target.index <= index || !isValueReference(id)) continue;
      const used = bindingOf(ctx.checker, id);
      const decl = ctx.checker.getSymbolAtLocation(target.decl.name as Identifier);
      if (used === undefined || decl === undefined || used.id !== decl.id) continue; // shadowed
      ctx.reportAt(id, 'use-before-declaration', `Espruino does not hoist functions: '${id.text}' is declared below, at line ${ctx.line(ctx.startOf(target.decl))}`);
    }
  });
}

/** Identifiers in `node` that run when the statement runs: not those inside nested function bodies. */
function immediateReferences(node: Node): Identifier[] {
  const found: Identifier[] = [];
  const visit = (n: Node): void => {
    if (hasNoRuntimeCode(n) || runsLater(n)) return;
    if (n.kind === SyntaxKind.Identifier) found.push(n as Identifier);
    n.forEachChild(visit);
  };
  visit(node);
  return found;
}

/** Code that a statement defines but does not run: function bodies, instance field initialisers. */
function runsLater(node: Node): boolean {
  switch (node.kind) {
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.GetAccessor:
    case SyntaxKind.SetAccessor:
    case SyntaxKind.Constructor:
      return true;
    case SyntaxKind.PropertyDeclaration: {
      const modifiers = (node as Node & { modifiers?: readonly Node[] }).modifiers ?? [];
      return !modifiers.some((m) => m.kind === SyntaxKind.StaticKeyword);
    }
  }
  return false;
}
