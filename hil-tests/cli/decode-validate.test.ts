import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeBatch } from '../../gateway/batch/encode.js';
import { kerb } from './run-kerb.js';
import { tempDir } from '../harness/temp-dir.js';

const T = Date.UTC(2026, 5, 21, 20, 0);
const decodeArgs: Parameters<typeof encodeBatch>[0] = {
  gateway: 'gw-demo-01', site: 'demo-street', epoch: 3, seq: 17, now: T,
  series: [{ device: 'lamp-01', kind: 'lamp', metric: { name: 'level', kind: 'gauge', unit: '', scale: 3 }, start: T, end: T + 60_000,
    stats: { kind: 'gauge', n: 2, min: 0.2, max: 1, mean: 0.6, last: 0.2 } }],
  events: [{ device: 'park-04', kind: 'parking', time: T + 31_000, event: { type: 'event', name: 'occupied', severity: 'info', value: 1, time: 0, detail: '' } }],
};
const batch = encodeBatch(decodeArgs);

test('kerb decode --json prints one object with gateway, epoch, seq and the decoded series', async () => {
  const file = path.join(tempDir('kerb-'), 'batch.cbor');
  fs.writeFileSync(file, batch);
  const r = await kerb(['decode', '--json', file]);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal([out.gateway, out.epoch, out.seq], ['gw-demo-01', 3, 17]);
  assert.is(out.series[0].device, 'lamp-01');
  assert.is(out.series[0].max, 1);
  assert.is(out.events[0].name, 'occupied');
});

test('kerb decode reads standard input and prints a readable batch', async () => {
  const r = await kerb(['decode', '-'], { input: batch });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /batch gw-demo-01 epoch 3 seq 17/);
  assert.match(r.stdout, /lamp-01\s+level\s+n=2 min=0.2 max=1 mean=0.6 last=0.2/);
  assert.match(r.stdout, /park-04\s+info\s+occupied 1/);
});

test('kerb decode reads a deflated batch and says it was deflated', async () => {
  const r = await kerb(['decode', '-'], { input: encodeBatch(decodeArgs, { compression: 'deflate' }) });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /batch gw-demo-01 epoch 3 seq 17 .* B \(deflate\), 6 values/);
  assert.match(r.stdout, /lamp-01\s+level\s+n=2 min=0.2 max=1 mean=0.6 last=0.2/);
});

test('kerb decode refuses garbage with exit 3 and names the reason', async () => {
  const r = await kerb(['decode', '-'], { input: Buffer.from([0xa1, 0x61, 0x76, 0x09]) });
  assert.is(r.code, 3);
  assert.match(r.stderr, /-: .*(not supported|expected)/);
  const truncated = await kerb(['decode', '-'], { input: batch.subarray(0, 20) });
  assert.is(truncated.code, 3);
  assert.match(truncated.stderr, /not well-formed CBOR/);
});

test('kerb validate lists every error of a broken site file with file and line, exit 3', async () => {
  const r = await kerb(['validate', 'device-profiles/fixtures/site-broken.yaml']);
  assert.is(r.code, 3);
  const lines = r.stderr.split('\n').filter((l) => /site-broken\.yaml:\d+:\d+ /.test(l));
  assert.ok(lines.length >= 3, `several errors at once:\n${r.stderr}`);
});

test('kerb validate accepts the shipped profiles and the demo street', async () => {
  const r = await kerb(['validate', 'examples/demo-street.yaml']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /60 devices: valid/);
});

test('an unknown command or option is a usage error with exit 2', async () => {
  assert.is((await kerb(['frobnicate'])).code, 2);
  const r = await kerb(['decode', '--nope', 'x']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /usage: kerb decode/);
});

test('every command has --help with an example', async () => {
  for (const command of ['demo', 'validate', 'decode', 'tail', 'bench']) {
    const r = await kerb([command, '--help']);
    assert.is(r.code, 0, command);
    assert.match(r.stdout, /examples:\n\s+\S+/, command);
  }
});

test.run();
