/**
 * One walk over a source file's run-time code (types and `declare` forms are skipped), handing
 * every node to each rule module. Rules report through the FileContext; positions are the first
 * real token of what they point at.
 */
import { SyntaxKind, type Node, type SourceFile } from 'typescript/unstable/ast';
import type { Checker } from 'typescript/unstable/sync';
import { checkBuiltins } from './subset-builtins.js';
import { checkLoopClosures } from './subset-loops.js';
import { hasNoRuntimeCode, startOf } from './subset-references.js';
import { checkStatementList } from './subset-statements.js';
import { checkSyntax } from './subset-syntax.js';

export interface Finding {
  /** Offset into the file's text. */
  pos: number;
  construct: string;
  rule: string;
}

export interface FileContext {
  readonly file: SourceFile;
  readonly checker: Checker;
  startOf(node: Node): number;
  /** 1-based line of an offset. */
  line(pos: number): number;
  report(pos: number, construct: string, rule: string): void;
  reportAt(node: Node, construct: string, rule: string): void;
}

export function findingsIn(file: SourceFile, checker: Checker): Finding[] {
  const findings: Finding[] = [];
  const ctx: FileContext = {
    file,
    checker,
    startOf: (node) => startOf(node, file),
    line: (pos) => file.getLineAndCharacterOfPosition(pos).line + 1,
    report: (pos, construct, rule) => findings.push({ pos, construct, rule }),
    reportAt: (node, construct, rule) => findings.push({ pos: startOf(node, file), construct, rule }),
  };
  const visit = (node: Node): void => {
    if (hasNoRuntimeCode(node)) return;
    checkSyntax(node, ctx);
    checkBuiltins(node, ctx);
    checkLoopClosures(node, ctx);
    const statements = statementsOf(node);
    if (statements !== undefined) checkStatementList(statements, ctx);
    node.forEachChild(visit);
  };
  visit(file);
  return findings.sort((a, b) => a.pos - b.pos);
}

function statementsOf(node: Node): readonly Node[] | undefined {
  switch (node.kind) {
    case SyntaxKind.SourceFile:
    case SyntaxKind.Block:
    case SyntaxKind.ModuleBlock:
    case SyntaxKind.CaseClause:
    case SyntaxKind.DefaultClause:
      return (node as Node & { statements: readonly Node[] }).statements;
  }
  return undefined;
}
