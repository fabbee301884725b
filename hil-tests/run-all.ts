/**
 * Runs every test file under dist/ with uvu and ends with the plain summary line CI reads
 * ("N passed, N failed, N skipped"). uvu's exit code is kept: any failure fails the run.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js');
const pattern = process.argv[2] ?? '\\.test\\.js$';

const child = spawn(process.execPath, [uvu, 'dist', pattern], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
let lingering: NodeJS.Timeout | undefined;
child.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  out += chunk.toString();
  // uvu has printed its summary but a failed test may have left a socket or a timer open, and
  // the run would then never end (CI would wait out its limit). Give it a moment, then stop it.
  if (lingering === undefined && /Duration:/.test(out.replace(/\x1b\[[0-9;]*m/g, ''))) {
    lingering = setTimeout(() => {
      process.stdout.write('\nrun-all: the test process did not exit after its summary (a test left a handle open); stopping it\n');
      child.kill('SIGKILL');
    }, 10_000);
    lingering.unref();
  }
});
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const count = (label: string): number => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0);
  const total = count('Total');
  const passed = count('Passed');
  const skipped = count('Skipped');
  // uvu's Total counts the tests that ran, not the skipped ones (test.skip only adds to Skipped).
  // It stops counting a file whose suite crashed before its tests ran; a non-zero exit says so.
  const failed = Math.max(total - passed, code === 0 ? 0 : 1);
  if (lingering !== undefined) clearTimeout(lingering);
  process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exitCode = code === 0 && total > 0 ? 0 : 1;
});
