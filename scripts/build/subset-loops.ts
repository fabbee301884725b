/**
 * Espruino gives a `for (let i …)` / `for (const x of …)` header variable one binding for the
 * whole loop, not a fresh one per iteration: a closure created in the loop that reads it sees
 * its last value. A `let` declared inside the body is fresh per iteration and is fine, and so is
 * a function literal handed straight to an array method that runs it at once
 * (`keys.some((x) => x === k)`): it is called during the iteration and not kept. Anything else
 * (pushed, passed to setTimeout, assigned, returned) may run later and is reported.
 */
import { NodeFlags, SyntaxKind, type CallExpression, type Identifier, type Node, type PropertyAccessExpression } from 'typescript/unstable/ast';
import type { Symbol as TsSymbol } from 'typescript/unstable/sync';
import { IMMEDIATE_CALLBACK_METHODS } from './immediate-callbacks.js';
import { bindingOf, hasNoRuntimeCode, isValueReference } from './subset-references.js';
import type { FileContext } from './subset-walk.js';

type Loop = Node & { initializer?: Node; condition?: Node; incrementor?: Node; statement: Node };

export function checkLoopClosures(node: Node, ctx: FileContext): void {
  if (node.kind !== SyntaxKind.ForStatement && node.kind !== SyntaxKind.ForOfStatement && node.kind !== SyntaxKind.ForInStatement) return;
  const loop = node as Loop;
  const header = loop.initializer;
  // `var` is one binding per function in JavaScript too, so only let/const differ.
  if (header === undefined || header.kind !== SyntaxKind.VariableDeclarationList || (header.flags & NodeFlags.BlockScoped) === 0) return;

  const bindings = new Map<string, TsSymbol>();
  for (const id of bindingIdentifiers(header)) {
    const symbol = ctx.checker.getSymbolAtLocation(id);
    if (symbol !== undefined) bindings.set(id.text, symbol);
  }
  if (bindings.size === 0) return;

  // Code that runs on every iteration: the body, and for `for (;;)` the test and update too.
  const parts = [loop.condition, loop.incrementor, loop.statement].filter((p): p is Node => p !== undefined);
  for (const closure of parts.flatMap(outermostClosures)) {
    const reported = new Set<string>();
    for (const id of identifiersIn(closure)) {
      const header = bindings.get(id.text);
      if (header === undefined || reported.has(id.text) || !isValueReference(id)) continue;
      if (bindingOf(ctx.checker, id)?.id !== header.id) continue; // a same-named inner variable
      reported.add(id.text);
      ctx.reportAt(
        id,
        'loop-closure',
        `Espruino keeps one '${id.text}' for the whole loop: this closure sees its last value (copy it into a let inside the body)`,
      );
    }
  }
}

/** The names a declaration list binds, including those inside destructuring patterns. */
function bindingIdentifiers(list: Node): Identifier[] {
  const names: Identifier[] = [];
  const visit = (n: Node): void => {
    if (n.kind === SyntaxKind.Identifier) {
      const parent = n.parent as Node & { name?: Node };
      if (parent.name === n) names.push(n as Identifier);
      return;
    }
    if (hasNoRuntimeCode(n)) return;
    n.forEachChild(visit);
  };
  list.forEachChild(visit);
  return names;
}

function isClosure(node: Node): boolean {
  switch (node.kind) {
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.FunctionExpression:
    case SyntaxKind.ArrowFunction:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.GetAccessor:
    case SyntaxKind.SetAccessor:
    case SyntaxKind.Constructor:
      return true;
  }
  return false;
}

/** `xs.some((x) => x === k)`: a function literal passed straight to one of IMMEDIATE_CALLBACK_METHODS. */
function runsDuringIteration(fn: Node): boolean {
  if (fn.kind !== SyntaxKind.ArrowFunction && fn.kind !== SyntaxKind.FunctionExpression) return false;
  const call = fn.parent;
  if (call.kind !== SyntaxKind.CallExpression) return false;
  const { expression, arguments: args } = call as CallExpression;
  if (!args.some((a) => a === fn) || expression.kind !== SyntaxKind.PropertyAccessExpression) return false;
  const name = (expression as PropertyAccessExpression).name;
  return name.kind === SyntaxKind.Identifier && IMMEDIATE_CALLBACK_METHODS.has(name.text);
}

/** The closures a loop part creates; an immediate callback is looked into, not counted itself. */
function outermostClosures(root: Node): Node[] {
  const found: Node[] = [];
  const visit = (n: Node): void => {
    if (hasNoRuntimeCode(n)) return;
    if (runsDuringIteration(n)) {
      n.forEachChild(visit);
      return;
    }
    if (isClosure(n)) {
      found.push(n);
      return;
    }
    n.forEachChild(visit);
  };
  visit(root);
  return found;
}

function identifiersIn(root: Node): Identifier[] {
  const found: Identifier[] = [];
  const visit = (n: Node): void => {
    if (hasNoRuntimeCode(n)) return;
    if (n.kind === SyntaxKind.Identifier) found.push(n as Identifier);
    n.forEachChild(visit);
  };
  root.forEachChild(visit);
  return found;
}
