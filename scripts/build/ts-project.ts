/**
 * Opens one tsconfig project through typescript@7's program API. The native compiler runs as a
 * child process behind this API, so every session must be closed (or uvu and `kerb build` would
 * never exit): `withProject` closes it whatever the callback does.
 */
import path from 'node:path';
import { API, type Checker, type Program } from 'typescript/unstable/sync';
import type { SourceFile } from 'typescript/unstable/ast';
import { PACKAGE_ROOT } from '../paths.js';

/** The firmware project: type-checked against Kerb's Espruino declarations, `"lib": []`. */
export const FIRMWARE_TSCONFIG = path.join(PACKAGE_ROOT, 'firmware', 'tsconfig.json');

export interface OpenProject {
  program: Program;
  checker: Checker;
  /** The program's source file for an absolute path (throws if the program has none). */
  sourceFile(fileName: string): SourceFile;
}

export function withProject<T>(tsconfig: string, use: (project: OpenProject) => T): T {
  const configPath = path.resolve(tsconfig);
  const api = new API({ cwd: path.dirname(configPath) });
  try {
    const snapshot = api.updateSnapshot({ openProjects: [configPath] });
    const project = snapshot.getProject(configPath) ?? snapshot.getProjects()[0];
    if (project === undefined) throw new Error(`typescript could not open the project ${configPath}`);
    const { program, checker } = project;
    return use({
      program,
      checker,
      sourceFile(fileName) {
        const file = program.getSourceFile(fileName);
        if (file === undefined) throw new Error(`${fileName} is not part of the project ${configPath}`);
        return file;
      },
    });
  } finally {
    quietClose(api);
  }
}

/**
 * close() sends the compiler SIGTERM, and it says "context canceled" on the stderr it shares with
 * us: noise a technician would take for an error. Once the snapshots are released nothing is left
 * to cancel, so the child is killed outright instead (the channel is internal; typescript is pinned).
 */
function quietClose(api: API): void {
  type Channel = { child?: { kill(signal: string): void }; close(): void };
  const channel = (api as unknown as { client?: { channel?: Channel } }).client?.channel;
  if (channel !== undefined && typeof channel.close === 'function') {
    const close = channel.close.bind(channel);
    channel.close = () => {
      try {
        channel.child?.kill('SIGKILL');
      } catch {
        // already gone
      }
      close();
    };
  }
  api.close();
}

/** `firmware/x.ts` style: relative to `root`, with forward slashes on every platform. */
export function displayPath(fileName: string, root: string): string {
  return path.relative(root, fileName).split(path.sep).join('/');
}

/** 1-based line and column of a position in a source file. */
export function lineCol(file: SourceFile, pos: number): { line: number; col: number } {
  const { line, character } = file.getLineAndCharacterOfPosition(pos);
  return { line: line + 1, col: character + 1 };
}
