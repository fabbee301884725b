/**
 * Every shipped profile, built as `kerb build --profile` builds it (resolveTarget, then
 * bundleChecked), booted in the fake Espruino: clean against the allowlist, no uncaught error,
 * a hello that says who it is and which configuration it runs, memory within the board's.
 * The bundle sizes are printed for the record; the 12 KB budget is not asserted here (the
 * bundles are over it, and that is reported on its own), but the size must be what
 * `kerb build --json` reports for the same profile.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadProfile, profileHash } from '../../device-profiles/index.js';
import { bundleChecked, kb, type FirmwareBundle } from '../../scripts/build/build-firmware.js';
import { resolveTarget, UNPROVISIONED } from '../../scripts/build/firmware-target.js';
import { PACKAGE_ROOT, PROFILES_DIR } from '../../scripts/paths.js';
import { KERB_VERSION } from '../../scripts/version.js';
import { kerb } from '../cli/run-kerb.js';
import { quickJsModule } from '../harness/espruino/quickjs-vm.js';
import { bench, bootHellos, type Bench } from './node-bench.js';

const PROFILES = ['bin-ultrasonic', 'lamp-pir-light', 'lamp-pir-pwm', 'parking-magnetometer', 'parking-ultrasonic'];
/** process.memory().total of the fake's default board (a Pico). */
const PICO_VARS = 5100;
/** 100 cm at 343 m/s, there and back, in µs. */
const ECHO_100CM_US = (2 * 100) / 0.0343;

interface Built {
  profile: string;
  bundle: FirmwareBundle;
}

const built: Built[] = [];
let jsonReport: Array<{ name: string; bytes: number; file: string }> = [];
let tmp = '';

test.before(async () => {
  await quickJsModule();
  for (const profile of PROFILES) {
    const target = resolveTarget({ profile, profilesDir: PROFILES_DIR, fw: KERB_VERSION });
    built.push({ profile, bundle: await bundleChecked(PACKAGE_ROOT, target.build) });
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kerb-bundles-'));
  const run = await kerb(['build', '--all', tmp, '--json']);
  if (run.code !== 0) throw new Error(`kerb build --all failed (${run.code}): ${run.stderr}`);
  jsonReport = (JSON.parse(run.stdout) as { bundles: typeof jsonReport }).bundles;
});

test.after(() => {
  if (tmp !== '') fs.rmSync(tmp, { recursive: true, force: true });
});

test('the shipped profiles are the five this suite covers', () => {
  const shipped = fs.readdirSync(PROFILES_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
  assert.equal(shipped, PROFILES);
});

test('every profile bundle passes the allowlist, and its size is the one kerb build --json reports', () => {
  for (const { profile, bundle } of built) {
    assert.equal(bundle.violations, [], `${profile}: allowlist violations`);
    console.log(`bundle ${profile}: ${bundle.bytes} bytes (${kb(bundle.bytes)} minified)`);
    const reported = jsonReport.find((b) => b.name === profile);
    assert.ok(reported !== undefined, `kerb build --all --json lists ${profile}`);
    assert.is(reported.bytes, bundle.bytes, `${profile}: kerb build --json size`);
    assert.is(fs.readFileSync(reported.file, 'utf8'), bundle.code, `${profile}: the file kerb build wrote is this bundle`);
  }
});

/** Gives each sensor something plausible to read, so the controller's sampling code runs too. */
function street(b: Bench, pins: Record<string, string>): void {
  for (const [role, pin] of Object.entries(pins)) {
    if (/^A\d/.test(pin)) b.hal.setAnalog(pin, 0.5);
    if (role === 'echo') b.hal.setEcho(pin, () => ECHO_100CM_US);
  }
  if (pins.trigger !== undefined && pins.echo !== undefined) b.node.wireUltrasonic(pins.trigger, pins.echo);
}

for (const profile of PROFILES) {
  test(`${profile}: the bundle boots in QuickJS, says who it is with its profile hash, and fits the board's memory`, () => {
    const { bundle } = built.find((x) => x.profile === profile)!;
    const loaded = loadProfile(path.join(PROFILES_DIR, `${profile}.yaml`));
    if (!loaded.ok) throw new Error(`${profile} does not load`);
    const p = loaded.value;
    const b = bench({ build: bundle.build, code: bundle.code });
    try {
      street(b, p.pins);
      b.clock.advance(2 * 60_000); // setup, the controller's start, a few samples and heartbeats
      assert.equal(b.node.errors, [], 'no uncaught errors');
      assert.equal(b.node.resets, [], 'no resets');
      assert.equal(bootHellos(b.gw), [{ id: UNPROVISIONED, kind: p.kind, fw: KERB_VERSION, profile: profileHash(p), boot: 1, mode: 'run' }]);
      assert.ok(b.gw.state !== undefined && b.gw.state.running === true, 'the controller runs and reports its state');
      assert.equal(b.gw.refused, [], 'every payload decoded on the gateway');
      const mem = b.node.evaluate('process.memory()') as { usage: number; total: number };
      assert.is(mem.total, PICO_VARS);
      assert.ok(mem.usage > 0 && mem.usage <= mem.total, `${profile}: ${mem.usage} of ${mem.total} vars`);
      console.log(`bundle ${profile}: process.memory().usage ${mem.usage} of ${mem.total} vars after 2 min`);
    } finally {
      b.stop();
    }
  });
}

test.run();
