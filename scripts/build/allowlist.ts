/**
 * The last guard before a bundle goes to a node: the emitted JavaScript is parsed again as
 * ES2015 (so anything newer is a syntax error here, not on the kerb) and every node of the tree
 * must be of a kind Espruino runs (../shared/ESPRUINO.md). The TypeScript checker has already
 * refused these constructs in our source; this catches what the bundler or minifier added.
 */
import { parse, type Node } from 'acorn';
import { IMMEDIATE_CALLBACK_METHODS } from './immediate-callbacks.js';

export interface BundleViolation {
  line: number;
  column: number;
  construct: string;
  rule: string;
}

/** ES2015 node types Espruino runs; anything else is refused by name. */
const ALLOWED = new Set([
  'Program', 'ExpressionStatement', 'BlockStatement', 'EmptyStatement', 'ReturnStatement', 'BreakStatement',
  'ContinueStatement', 'IfStatement', 'SwitchStatement', 'SwitchCase', 'ThrowStatement', 'TryStatement', 'CatchClause',
  'WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'FunctionDeclaration',
  'VariableDeclaration', 'VariableDeclarator', 'ClassDeclaration', 'ClassExpression', 'ClassBody', 'MethodDefinition',
  'Super', 'ThisExpression', 'ArrayExpression', 'ObjectExpression', 'Property', 'FunctionExpression',
  'ArrowFunctionExpression', 'UnaryExpression', 'UpdateExpression', 'BinaryExpression', 'AssignmentExpression',
  'LogicalExpression', 'MemberExpression', 'ConditionalExpression', 'CallExpression', 'NewExpression',
  'SequenceExpression', 'TemplateLiteral', 'TemplateElement', 'Identifier', 'Literal',
]);

const REFUSED_TYPES: Record<string, string> = {
  SpreadElement: 'Espruino has no spread',
  RestElement: 'Espruino has no rest parameters or rest elements',
  AssignmentPattern: 'Espruino has no default parameters or default values',
  ObjectPattern: 'Espruino has no destructuring',
  ArrayPattern: 'Espruino has no destructuring',
  TaggedTemplateExpression: 'Espruino has no tagged templates',
  LabeledStatement: 'Espruino has no labelled statements',
  WithStatement: 'Espruino has no with',
  YieldExpression: 'Espruino has no generators',
  MetaProperty: 'Espruino has no new.target or import.meta',
};

/** Globals Espruino does not have. */
const MISSING_GLOBALS = new Set(['Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'BigInt', 'Reflect']);

/** Methods Espruino does not have, by property name (qualified where the name alone is common). */
const MISSING_MEMBERS: Record<string, string | undefined> = {
  lastIndexOf: undefined, flat: undefined, flatMap: undefined, finally: undefined, allSettled: 'Promise', race: 'Promise',
  from: 'Array', freeze: 'Object', trunc: 'Math', isNaN: 'Number',
};

type AnyNode = Node & Record<string, unknown>;

function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'start' || key === 'end' || key === 'type') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object' && typeof (x as AnyNode).type === 'string') out.push(x as AnyNode);
    } else if (v !== null && typeof v === 'object' && typeof (v as AnyNode).type === 'string') {
      out.push(v as AnyNode);
    }
  }
  return out;
}

const isFunction = (n: AnyNode): boolean =>
  n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';

/** Identifiers referenced in `node`, optionally not descending into nested functions. */
function references(node: AnyNode, intoFunctions: boolean, found: AnyNode[] = []): AnyNode[] {
  if (node.type === 'Identifier') found.push(node);
  for (const c of children(node)) {
    if (!intoFunctions && isFunction(c)) continue;
    // `a.b`: b is a property name, not a reference
    if (node.type === 'MemberExpression' && c === node.property && !node.computed) continue;
    if (node.type === 'Property' && c === node.key && !node.computed) continue;
    if (node.type === 'MethodDefinition' && c === node.key && !node.computed) continue;
    references(c, intoFunctions, found);
  }
  return found;
}

export function checkBundle(code: string): BundleViolation[] {
  const found: BundleViolation[] = [];
  let ast: AnyNode;
  try {
    ast = parse(code, { ecmaVersion: 2015, sourceType: 'script', locations: true }) as unknown as AnyNode;
  } catch (err) {
    const e = err as SyntaxError & { loc?: { line: number; column: number } };
    return [{ line: e.loc?.line ?? 0, column: (e.loc?.column ?? 0) + 1, construct: 'syntax newer than ES2015', rule: e.message }];
  }
  const report = (n: AnyNode, construct: string, rule: string): void => {
    found.push({ line: n.loc!.start.line, column: n.loc!.start.column + 1, construct, rule });
  };

  const visit = (node: AnyNode): void => {
    const t = node.type;
    if (!ALLOWED.has(t)) report(node, t, REFUSED_TYPES[t] ?? 'not in the Espruino allowlist');
    if (isFunction(node) && (node.generator || node.async)) report(node, node.async ? 'async function' : 'generator', 'Espruino has no async functions or generators');
    if ((t === 'ClassDeclaration' || t === 'ClassExpression') && node.superClass && (node.superClass as AnyNode).type !== 'Identifier') {
      report(node.superClass as AnyNode, 'extends <expression>', 'Espruino extends a plain name only');
    }
    if ((t === 'BinaryExpression' || t === 'AssignmentExpression') && String(node.operator).includes('**')) report(node, '**', 'Espruino has no exponent operator');
    if ((t === 'BreakStatement' || t === 'ContinueStatement') && node.label) report(node, `labelled ${t === 'BreakStatement' ? 'break' : 'continue'}`, 'Espruino has no labelled statements');
    if (t === 'Literal' && node.regex) checkRegex(node, report);
    if (t === 'MemberExpression' && !node.computed) {
      const name = (node.property as AnyNode).name as string;
      if (Object.prototype.hasOwnProperty.call(MISSING_MEMBERS, name)) {
        const owner = MISSING_MEMBERS[name];
        const obj = node.object as AnyNode;
        if (owner === undefined || (obj.type === 'Identifier' && obj.name === owner)) report(node, `${owner ? owner + '.' : '.'}${name}`, 'Espruino does not have it');
      }
    }
    if (t === 'ForStatement' || t === 'ForInStatement' || t === 'ForOfStatement') checkLoopClosures(node, report);
    if (t === 'Program' || t === 'BlockStatement') checkHoisting(node.body as AnyNode[], report);
    for (const c of children(node)) visit(c);
  };
  visit(ast);
  // A global Espruino lacks: an identifier that is never declared in the bundle.
  const declared = new Set<string>();
  const collect = (n: AnyNode): void => {
    if ((n.type === 'VariableDeclarator' || n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration') && n.id) declared.add((n.id as AnyNode).name as string);
    if (isFunction(n)) for (const p of n.params as AnyNode[]) if (p.type === 'Identifier') declared.add(p.name as string);
    if (n.type === 'CatchClause' && n.param) declared.add((n.param as AnyNode).name as string);
    for (const c of children(n)) collect(c);
  };
  collect(ast);
  for (const id of references(ast, true)) {
    const name = id.name as string;
    if (MISSING_GLOBALS.has(name) && !declared.has(name)) report(id, name, 'Espruino has no ' + name);
  }
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

function checkRegex(node: AnyNode, report: (n: AnyNode, c: string, r: string) => void): void {
  const { pattern, flags } = node.regex as { pattern: string; flags: string };
  if (/[^gim]/.test(flags)) report(node, `RegExp flag '${flags}'`, 'Espruino has simple RegExp only: no sticky or unicode flags');
  if (/\(\?<?[=!]/.test(pattern)) report(node, 'RegExp lookaround', 'Espruino has simple RegExp only: no lookaround');
  if (/(^|[^\\])\{\d+(,\d*)?\}/.test(pattern)) report(node, 'RegExp {n} quantifier', 'Espruino has simple RegExp only: no {n} quantifiers');
}

/** `xs.some(...)`: the function literals among its arguments run now and are not kept. */
function immediateCallbacks(n: AnyNode): Set<AnyNode> | undefined {
  if (n.type !== 'CallExpression') return undefined;
  const callee = n.callee as AnyNode;
  if (callee.type !== 'MemberExpression' || callee.computed || !IMMEDIATE_CALLBACK_METHODS.has((callee.property as AnyNode).name as string)) return undefined;
  return new Set((n.arguments as AnyNode[]).filter((a) => a.type === 'FunctionExpression' || a.type === 'ArrowFunctionExpression'));
}

/**
 * `for (let i ...) { f = () => i }`: Espruino shares one binding across iterations. A callback
 * handed straight to an array method that runs it at once (`xs.some((x) => x === i)`) is fine.
 */
function checkLoopClosures(loop: AnyNode, report: (n: AnyNode, c: string, r: string) => void): void {
  const head = (loop.type === 'ForStatement' ? loop.init : loop.left) as AnyNode | null;
  if (!head || head.type !== 'VariableDeclaration' || head.kind === 'var') return;
  const names = new Set((head.declarations as AnyNode[]).map((d) => (d.id as AnyNode).name as string));
  const parts = [loop.body, loop.test, loop.update].filter(Boolean) as AnyNode[];
  const inFunctions = (n: AnyNode): void => {
    if (isFunction(n)) {
      for (const id of references(n, true)) if (names.has(id.name as string)) report(id, `closure over loop variable '${id.name as string}'`, 'Espruino gives a loop header variable one binding for all iterations');
      return;
    }
    const now = immediateCallbacks(n);
    for (const c of children(n)) {
      // Looked into rather than counted: a closure it creates may still be kept.
      if (now?.has(c)) children(c).forEach(inFunctions);
      else inFunctions(c);
    }
  };
  for (const p of parts) inFunctions(p);
}

/** A function declaration used before it, by code that runs before it: Espruino does not hoist. */
function checkHoisting(body: AnyNode[], report: (n: AnyNode, c: string, r: string) => void): void {
  const at = new Map<string, number>();
  body.forEach((s, i) => {
    if (s.type === 'FunctionDeclaration' && s.id) at.set((s.id as AnyNode).name as string, i);
  });
  if (at.size === 0) return;
  body.forEach((s, i) => {
    if (s.type === 'FunctionDeclaration') return; // its body runs when called, not here
    for (const id of references(s, false)) {
      const declaredAt = at.get(id.name as string);
      if (declaredAt !== undefined && declaredAt > i) report(id, `use of '${id.name as string}' before its function declaration`, 'Espruino does not hoist function declarations');
    }
  });
}
