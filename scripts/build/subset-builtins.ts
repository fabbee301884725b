/**
 * Built-ins Espruino does not have, used as values: the globals (Map, Symbol…), the static
 * methods (Object.freeze, Array.from…), the prototype methods (lastIndexOf, flat, finally) and
 * regular expressions the engine cannot run. The type check catches most of these too, but only
 * with `"lib": []`; these rules say why, and hold for any tsconfig.
 */
import { SyntaxKind, type Identifier, type Node, type PropertyAccessExpression } from 'typescript/unstable/ast';
import { regexpProblems, splitRegexpLiteral } from './subset-regexp.js';
import { isGlobalReference, isValueReference } from './subset-references.js';
import type { FileContext } from './subset-walk.js';

/** Globals with no Espruino counterpart at all. */
const GLOBALS = new Set(['Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'Proxy', 'Reflect', 'BigInt']);

/** Statics missing from globals Espruino does have. */
const STATICS: Record<string, readonly string[]> = {
  Object: ['freeze', 'seal', 'preventExtensions', 'isFrozen', 'isSealed', 'isExtensible'],
  Array: ['from', 'of'],
  Math: ['trunc'],
  Number: ['isNaN', 'isFinite', 'isInteger', 'isSafeInteger', 'EPSILON'],
  Promise: ['race', 'allSettled', 'any'],
};

/**
 * Prototype methods Espruino lacks. Matched by name whatever the receiver (the AST has no types
 * here), so our own classes should not use these names either.
 */
const METHODS = new Set(['lastIndexOf', 'flat', 'flatMap', 'finally']);

export function checkBuiltins(node: Node, ctx: FileContext): void {
  switch (node.kind) {
    case SyntaxKind.Identifier: {
      const id = node as Identifier;
      if (GLOBALS.has(id.text) && isValueReference(id) && isGlobalReference(ctx.checker, id)) {
        ctx.reportAt(id, 'unsupported-global', `Espruino has no ${id.text}`);
      }
      return;
    }
    case SyntaxKind.PropertyAccessExpression:
      return checkMember(node as PropertyAccessExpression, ctx);
    case SyntaxKind.RegularExpressionLiteral: {
      const { pattern, flags } = splitRegexpLiteral((node as Node & { text: string }).text);
      const start = ctx.startOf(node);
      for (const p of regexpProblems(pattern, flags)) {
        // Point into the literal at the offending piece (after the opening slash).
        ctx.report(p.offset < 0 ? start : start + 1 + p.offset, p.construct, p.rule);
      }
      return;
    }
    case SyntaxKind.NewExpression:
    case SyntaxKind.CallExpression:
      return checkRegExpConstructor(node as Node & { expression: Node; arguments?: readonly Node[] }, ctx);
  }
}

function checkMember(node: PropertyAccessExpression, ctx: FileContext): void {
  const name = node.name.text;
  const owner = node.expression;
  if (owner.kind === SyntaxKind.Identifier) {
    const ownerName = (owner as Identifier).text;
    if (STATICS[ownerName]?.includes(name) && isGlobalReference(ctx.checker, owner as Identifier)) {
      ctx.reportAt(node, 'unsupported-builtin', `Espruino has no ${ownerName}.${name}`);
      return;
    }
  }
  if (METHODS.has(name)) ctx.reportAt(node.name, 'unsupported-method', `Espruino has no .${name}()`);
}

/** `new RegExp('(?=x)', 'y')`: the same limits apply to patterns given as string literals. */
function checkRegExpConstructor(node: Node & { expression: Node; arguments?: readonly Node[] }, ctx: FileContext): void {
  const callee = node.expression;
  if (callee.kind !== SyntaxKind.Identifier || (callee as Identifier).text !== 'RegExp') return;
  const [pattern, flags] = node.arguments ?? [];
  if (pattern === undefined || !isStringLike(pattern)) return;
  if (!isGlobalReference(ctx.checker, callee as Identifier)) return;
  const flagText = flags !== undefined && isStringLike(flags) ? textOf(flags) : '';
  for (const p of regexpProblems(textOf(pattern), flagText)) ctx.reportAt(pattern, p.construct, p.rule);
}

function isStringLike(node: Node): boolean {
  return node.kind === SyntaxKind.StringLiteral || node.kind === SyntaxKind.NoSubstitutionTemplateLiteral;
}

function textOf(node: Node): string {
  return (node as Node & { text: string }).text;
}
