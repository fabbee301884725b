/**
 * The atomic writer: the content whole with exactly the mode asked; a temporary file left by a
 * crashed process that had this pid does not block it; a symlink planted at the temporary name
 * is removed, never written through.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../../hil-tests/harness/temp-dir.js';
import { writeFileAtomically } from './durable-file.js';

test('writes the whole content with exactly the mode, replacing what was there, leaving no temporary file', () => {
  const dir = tempDir('kerb-durable-');
  const file = path.join(dir, 'key');
  fs.writeFileSync(file, 'old');
  writeFileAtomically(file, new Uint8Array([1, 2, 3]), 0o600);
  assert.equal([...fs.readFileSync(file)], [1, 2, 3]);
  assert.is(fs.statSync(file).mode & 0o777, 0o600);
  assert.equal(fs.readdirSync(dir), ['key']);
});

test('a leftover temporary file of a crashed process with this pid does not block the write', () => {
  const dir = tempDir('kerb-durable-');
  const file = path.join(dir, 'epoch');
  fs.writeFileSync(`${file}.tmp-${process.pid}`, 'half of an earlier wri');
  writeFileAtomically(file, '7\n', 0o644);
  assert.is(fs.readFileSync(file, 'utf8'), '7\n');
  assert.equal(fs.readdirSync(dir), ['epoch']);
});

test('a symlink planted at the temporary name is not written through', () => {
  const dir = tempDir('kerb-durable-');
  const victim = path.join(dir, 'victim');
  fs.writeFileSync(victim, 'untouched');
  const file = path.join(dir, 'key');
  fs.symlinkSync(victim, `${file}.tmp-${process.pid}`);
  writeFileAtomically(file, 'secret', 0o600);
  assert.is(fs.readFileSync(victim, 'utf8'), 'untouched');
  assert.is(fs.readFileSync(file, 'utf8'), 'secret');
  assert.not.ok(fs.lstatSync(file).isSymbolicLink());
});

test.run();
