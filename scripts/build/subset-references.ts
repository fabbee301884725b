/**
 * What the subset rules ask of identifiers: is this a use of a value (not a declaration's name,
 * a property name or a label), and which binding does it resolve to. Resolution goes through the
 * type checker, so a local `const Map = …` or a shadowing parameter is told apart from the
 * global it hides.
 */
import { ModifierFlags, SyntaxKind, isTypeNode, type Identifier, type Node, type PropertyAccessExpression, type SourceFile } from 'typescript/unstable/ast';
import type { Checker, Symbol as TsSymbol } from 'typescript/unstable/sync';

/** Parents whose `name` (or `propertyName`, `label`) is a declaration or a key, not a value use. */
const NAMING_PARENTS = new Set<SyntaxKind>([
  SyntaxKind.VariableDeclaration,
  SyntaxKind.Parameter,
  SyntaxKind.BindingElement,
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ClassDeclaration,
  SyntaxKind.ClassExpression,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.PropertyDeclaration,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
  SyntaxKind.PropertyAssignment,
  SyntaxKind.PropertySignature,
  SyntaxKind.MethodSignature,
  SyntaxKind.EnumDeclaration,
  SyntaxKind.EnumMember,
  SyntaxKind.InterfaceDeclaration,
  SyntaxKind.TypeAliasDeclaration,
  SyntaxKind.TypeParameter,
  SyntaxKind.ModuleDeclaration,
  SyntaxKind.ImportEqualsDeclaration,
  SyntaxKind.ImportClause,
  SyntaxKind.NamespaceImport,
  SyntaxKind.ImportSpecifier,
  SyntaxKind.ExportSpecifier,
  SyntaxKind.NamespaceExport,
  SyntaxKind.LabeledStatement,
  SyntaxKind.BreakStatement,
  SyntaxKind.ContinueStatement,
  SyntaxKind.MetaProperty,
  SyntaxKind.QualifiedName,
]);

/** Parents every identifier child of which names rather than reads. */
const ALWAYS_NAMING = new Set<SyntaxKind>([
  SyntaxKind.ImportSpecifier,
  SyntaxKind.ExportSpecifier,
  SyntaxKind.QualifiedName,
  SyntaxKind.MetaProperty,
]);

/** True when `id` reads (or writes) a variable, as opposed to naming something. */
export function isValueReference(id: Identifier): boolean {
  const parent = id.parent;
  if (parent.kind === SyntaxKind.PropertyAccessExpression) return (parent as PropertyAccessExpression).name !== id;
  if (parent.kind === SyntaxKind.ShorthandPropertyAssignment) return true; // `{ x }` reads x
  if (!NAMING_PARENTS.has(parent.kind)) return true;
  if (ALWAYS_NAMING.has(parent.kind)) return false;
  // `const a = b`: a is named, b is read; the same parent holds both.
  const named = parent as { name?: Node; propertyName?: Node; label?: Node };
  return named.name !== id && named.propertyName !== id && named.label !== id;
}

/** The binding an identifier refers to; for `{ x }` the variable x, not the property. */
export function bindingOf(checker: Checker, id: Identifier): TsSymbol | undefined {
  if (id.parent.kind === SyntaxKind.ShorthandPropertyAssignment) return checker.getShorthandAssignmentValueSymbol(id.parent);
  return checker.getSymbolAtLocation(id);
}

/**
 * True when `id` names a built-in global: it resolves to nothing (the Espruino declarations lack
 * it) or only to declarations in .d.ts library files. A name declared or imported in our own
 * sources is not a global.
 */
export function isGlobalReference(checker: Checker, id: Identifier): boolean {
  const symbol = bindingOf(checker, id);
  if (symbol === undefined || symbol.declarations.length === 0) return true;
  return symbol.declarations.every((d) => d.path.endsWith('.d.ts'));
}

/** The first real token of a node (its `pos` includes leading trivia). */
export function startOf(node: Node, file: SourceFile): number {
  return node.getStart(file);
}

/** Types, overload signatures, `implements` and `declare` forms: nothing of them runs on the device. */
export function hasNoRuntimeCode(node: Node): boolean {
  // `class A extends B<T>`: B is a value read when the class is defined, whatever TypeScript calls it.
  if (isTypeNode(node) && node.parent.kind !== SyntaxKind.HeritageClause) return true;
  if (((node as Node & { modifierFlags?: ModifierFlags }).modifierFlags ?? 0) & ModifierFlags.Ambient) return true;
  switch (node.kind) {
    case SyntaxKind.InterfaceDeclaration:
    case SyntaxKind.TypeAliasDeclaration:
      return true;
    case SyntaxKind.FunctionDeclaration:
    case SyntaxKind.MethodDeclaration:
    case SyntaxKind.Constructor:
      return (node as Node & { body?: Node }).body === undefined;
    case SyntaxKind.HeritageClause:
      return (node as Node & { token: SyntaxKind }).token === SyntaxKind.ImplementsKeyword;
  }
  return false;
}
