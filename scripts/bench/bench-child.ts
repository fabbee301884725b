/**
 * Runs a bench measurement in a Node process of its own and returns the one JSON line it prints
 * last on stdout. Memory is per process (gateway-rss.ts), and a timing taken inside the parent
 * would pay for the parent's garbage: `kerb bench` holds a whole simulated day by then, and a
 * major collection of that heap landing in one candidate's round skews the ratio.
 */
import { spawn } from 'node:child_process';

export interface BenchChild {
  /** The compiled script, absolute. */
  script: string;
  args: string[];
  /** Says which child in errors, e.g. `gateway-rss: the child on rss-12.yaml`. */
  label: string;
  /** Killed after this long, with an error that says so. */
  timeoutMs: number;
  nodeFlags?: string[];
  /** Written to the child's stdin, which is then closed; none: stdin is /dev/null. */
  input?: string;
}

export function runBenchChild<T>(spec: BenchChild): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', ...(spec.nodeFlags ?? []), spec.script, ...spec.args], {
      stdio: [spec.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const tail = (): string => stderr.slice(-2000) || '(empty)';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    if (spec.input !== undefined) {
      // A child that dies before reading all of it closes the pipe: its exit code says why, not EPIPE.
      child.stdin!.on('error', () => {});
      child.stdin!.end(spec.input);
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${spec.label} did not finish within ${spec.timeoutMs / 1000} s and was killed; stderr: ${tail()}`));
    }, spec.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return; // the timeout said why
      if (code !== 0) {
        reject(new Error(`${spec.label} exited with ${code ?? signal}; stderr: ${tail()}`));
        return;
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${spec.label} printed no figures (stdout: ${JSON.stringify(stdout.slice(-500))})`));
      }
    });
  });
}

/** All of stdin, for a child that takes its input there. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
