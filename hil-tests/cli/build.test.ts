/**
 * `kerb build` as a technician runs it: a child process, files in a temporary directory, the
 * size line and the exit codes of docs/cli.md (0 ok, 1 over budget with --strict, 2 usage,
 * 3 invalid input).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadProfile, loadSite, profileHash } from '../../device-profiles/index.js';
import { BUDGET_BYTES } from '../../scripts/build/build-firmware.js';
import { kerb, ROOT } from './run-kerb.js';

const PROFILES_DIR = path.join(ROOT, 'device-profiles');
const SITE = 'examples/demo-street.yaml';
const SHIPPED = fs.readdirSync(PROFILES_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();

interface BuildJson {
  budgetBytes: number;
  bundles: Array<{ name: string; file: string; bytes: number; overBudget: boolean; profileHash: string; deviceId: string }>;
}

const dirs: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kerb-build-'));
  dirs.push(dir);
  return dir;
}
test.after.each(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function hashOfProfile(name: string): string {
  const p = loadProfile(path.join(PROFILES_DIR, `${name}.yaml`));
  if (!p.ok) throw new Error(`${name} does not load`);
  return profileHash(p.value);
}

test('--profile lamp-pir-pwm --out writes the bundle and prints its size against the budget and its profile hash', async () => {
  const out = path.join(tmpDir(), 'lamp.js');
  const r = await kerb(['build', '--profile', 'lamp-pir-pwm', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const bytes = fs.statSync(out).size;
  assert.ok(bytes > 0);
  const line = r.stderr.split('\n').find((l) => l.startsWith('lamp-pir-pwm:'));
  assert.ok(line !== undefined, `a size line in:\n${r.stderr}`);
  assert.match(line, `(${bytes} bytes; budget 12.0 KB`);
  assert.match(line, `profile hash ${hashOfProfile('lamp-pir-pwm')}`);
  assert.match(line, "device id 'unprovisioned'");
  assert.match(line, `-> ${out}`);
});

test('--json prints the budget and, per bundle, name, file, bytes, overBudget, profile hash and device id', async () => {
  const out = path.join(tmpDir(), 'lamp.js');
  const r = await kerb(['build', '--profile', 'lamp-pir-pwm', '--out', out, '--json']);
  assert.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as BuildJson;
  const bytes = fs.statSync(out).size;
  assert.equal(json, {
    budgetBytes: BUDGET_BYTES,
    bundles: [{ name: 'lamp-pir-pwm', file: out, bytes, overBudget: bytes > BUDGET_BYTES, profileHash: hashOfProfile('lamp-pir-pwm'), deviceId: 'unprovisioned' }],
  });
});

test('--strict fails with exit 1 naming every bundle over the budget, and writes nothing', async () => {
  const dir = tmpDir();
  const r = await kerb(['build', '--all', dir, '--strict', '--json']);
  const json = JSON.parse(r.stdout) as BuildJson;
  const over = json.bundles.filter((b) => b.overBudget).map((b) => b.name);
  if (over.length === 0) {
    assert.is(r.code, 0, 'everything fits: --strict has nothing to refuse');
    return;
  }
  assert.is(r.code, 1, r.stderr);
  const message = r.stderr.split('\n').find((l) => l.includes('over the 12.0 KB budget'));
  assert.ok(message !== undefined, r.stderr);
  for (const name of over) assert.ok(message.includes(name), `${name} named in: ${message}`);
  for (const name of json.bundles.filter((b) => !b.overBudget).map((b) => b.name)) assert.not.ok(message.includes(name), `${name} fits`);
  assert.equal(fs.readdirSync(dir), [], 'nothing written');
});

test('--sizes says where the bytes go: per part and per module, adding up to the bundle, only the kind built', async () => {
  const out = path.join(tmpDir(), 'parking.js');
  const r = await kerb(['build', '--profile', 'parking-ultrasonic', '--out', out, '--sizes', '--json']);
  assert.is(r.code, 0, r.stderr);
  const bundle = (JSON.parse(r.stdout) as { bundles: Array<{ bytes: number; modules: Array<{ file: string; bytes: number }> }> }).bundles[0]!;
  const files = bundle.modules.map((m) => m.file);
  assert.ok(files.includes('firmware/devices/parking.ts') && files.includes('firmware/link/link.ts') && files.includes('entry and build literal'), files.join(', '));
  assert.not.ok(files.includes('firmware/devices/lamp.ts'), 'tree-shaking leaves the lamp out of a parking bundle');
  for (let i = 1; i < bundle.modules.length; i++) assert.ok(bundle.modules[i - 1]!.bytes >= bundle.modules[i]!.bytes, 'largest first');
  const sum = bundle.modules.reduce((s, m) => s + m.bytes, 0);
  // What no module owns is the one-function wrapper `(function(){...})();` and a newline.
  assert.ok(sum < bundle.bytes && bundle.bytes - sum <= 32, `modules ${sum} of ${bundle.bytes} bytes`);

  const text = await kerb(['build', '--profile', 'parking-ultrasonic', '--out', out, '--sizes']);
  assert.is(text.code, 0, text.stderr);
  for (const area of ['device logic', 'serial link', 'node runtime', 'Espruino target and HAL']) assert.match(text.stderr, new RegExp(`\\d+  ${area} \\(\\d+ %\\)`));
  assert.match(text.stderr, /\n +\d+  firmware\/devices\/parking\.ts\n/);
});

test('--site with --device builds for that device: its id, and the hash of its pins and config', async () => {
  const site = loadSite(path.join(ROOT, SITE), { profilesDir: PROFILES_DIR });
  if (!site.ok) throw new Error(`${SITE} does not load`);
  const lamp = site.value.devices.find((d) => d.kind === 'lamp');
  assert.ok(lamp !== undefined, `${SITE} has a lamp`);
  const out = path.join(tmpDir(), `${lamp.id}.js`);
  const r = await kerb(['build', '--site', SITE, '--device', lamp.id, '--out', out, '--json']);
  assert.is(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as BuildJson;
  assert.is(json.bundles.length, 1);
  assert.is(json.bundles[0]!.name, lamp.id);
  assert.is(json.bundles[0]!.deviceId, lamp.id);
  assert.is(json.bundles[0]!.profileHash, profileHash(lamp));
  assert.ok(fs.readFileSync(out, 'utf8').includes(JSON.stringify(lamp.id)), 'the id is inlined in the bundle');
});

test('a misspelt profile exits 3 naming the profile and the file it looked for, and writes nothing', async () => {
  const out = path.join(tmpDir(), 'lamp.js');
  const r = await kerb(['build', '--profile', 'lamp-pir-pmw', '--out', out]);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, "profile 'lamp-pir-pmw'");
  assert.match(r.stderr, path.join(PROFILES_DIR, 'lamp-pir-pmw.yaml'));
  assert.not.ok(fs.existsSync(out));
});

test('without --out it exits 2 and shows the usage', async () => {
  const r = await kerb(['build', '--profile', 'lamp-pir-pwm']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, '--out FILE is required');
  assert.match(r.stderr, 'usage: kerb build');
});

test("--device-id 'bad id!' exits 2 saying what an id may hold, and writes nothing", async () => {
  const out = path.join(tmpDir(), 'lamp.js');
  const r = await kerb(['build', '--profile', 'lamp-pir-pwm', '--device-id', 'bad id!', '--out', out]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, "device id 'bad id!' must be 1..32 letters, digits");
  assert.not.ok(fs.existsSync(out));
});

test("--site builds a node that talks at its transport's baud; --baud outside 9600..921600 or against the site is refused", async () => {
  const site = 'hil-tests/node/mixed-street.yaml';
  const out = path.join(tmpDir(), 'bin-02.js');
  const r = await kerb(['build', '--site', site, '--device', 'bin-02', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  assert.match(fs.readFileSync(out, 'utf8'), /baud:57600\b/, "bin-02's transport says 57600");
  const slow = await kerb(['build', '--profile', 'lamp-pir-pwm', '--baud', '1200', '--out', path.join(tmpDir(), 'x.js')]);
  assert.is(slow.code, 2);
  assert.match(slow.stderr, /--baud must be a whole number from 9600 to 921600, got '1200'/);
  const clash = await kerb(['build', '--site', site, '--device', 'bin-02', '--baud', '115200', '--out', path.join(tmpDir(), 'y.js')]);
  assert.is(clash.code, 2);
  assert.match(clash.stderr, /differs from bin-02's transport baud 57600/);
});

test('--all DIR writes one bundle per shipped profile', async () => {
  const dir = tmpDir();
  const r = await kerb(['build', '--all', dir]);
  assert.is(r.code, 0, r.stderr);
  assert.is(SHIPPED.length, 5);
  assert.equal(fs.readdirSync(dir).sort(), SHIPPED.map((p) => `${p}.js`));
  for (const p of SHIPPED) {
    assert.ok(fs.statSync(path.join(dir, `${p}.js`)).size > 0, `${p}.js is not empty`);
    assert.match(r.stderr, `${p}: `);
  }
});

test.run();
