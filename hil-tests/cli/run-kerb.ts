/** Runs the built `kerb` command as a child process, as a technician's shell would. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const KERB = path.join(ROOT, 'dist', 'scripts', 'kerb.js');

export interface KerbRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function kerb(args: string[], options: { input?: Buffer; timeoutMs?: number; onStdout?: (text: string) => void; env?: Record<string, string> } = {}): Promise<KerbRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [KERB, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kerb ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      options.onStdout?.(stdout);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? Buffer.alloc(0));
  });
}
