/**
 * bench/results/latest.json: the figures of one `kerb bench` run with the machine it ran on, so
 * runs on different boxes (a laptop, CI, a Pi in a cabinet) can be told apart and compared.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  kernel: string;
  /** The commit measured, and whether the tree had uncommitted changes. */
  commit?: string;
  dirty?: boolean;
}

export function machine(root: string): Machine {
  const m: Machine = {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown', cores: os.availableParallelism(), memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version, platform: `${os.platform()} ${os.arch()}`, kernel: os.release(),
  };
  try {
    m.commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    m.dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    // Not a git checkout (an npm install): the version in package.json says what was measured.
  }
  return m;
}

export function writeResults(root: string, results: object): string {
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  return file;
}
