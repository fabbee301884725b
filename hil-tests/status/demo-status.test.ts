/**
 * `kerb demo` serves the status page: its URL printed, its snapshot the demo street's; exposing it
 * without a token is refused before anything starts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { StatusSnapshot } from '../../gateway/status/status-source.js';
import { kerb } from '../cli/run-kerb.js';
import { tempDir } from '../harness/temp-dir.js';

test('kerb demo --status-port 0 prints the page\'s URL and serves the street\'s snapshot and metrics', async () => {
  let fetched: Promise<StatusSnapshot> | undefined;
  let metrics: Promise<string> | undefined;
  const r = await kerb(['demo', '--status-port', '0', '--speed', '600', '--hours', '0.3', '--data-dir', tempDir('kerb-demo-status-')], {
    onStdout: (out) => {
      const url = /status page on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url !== undefined && fetched === undefined) {
        fetched = fetch(`${url}api/status`).then((res) => res.json() as Promise<StatusSnapshot>);
        metrics = fetch(`${url}metrics`).then((res) => res.text());
      }
    },
  });
  assert.is(r.code, 0, r.stderr);
  assert.ok(fetched !== undefined, `the URL was printed:\n${r.stdout}`);
  const snap = await fetched!;
  assert.equal([snap.site, snap.gateway, snap.devices.length], ['demo-street', 'gw-demo-01', 60]);
  const text = await metrics!;
  assert.match(text, /^kerb_gateway_info\{site="demo-street",gateway="gw-demo-01",/m);
  assert.match(text, /^kerb_lamp_level_ratio\{device="lamp-01"\} [0-9.]+$/m);
  assert.match(text, /^process_resident_memory_bytes \d+$/m);
});

test('kerb demo refuses to expose the status page without a token, exit 2', async () => {
  const r = await kerb(['demo', '--status-host', '0.0.0.0', '--hours', '0.01']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /would listen on 0\.0\.0\.0, reachable from the network, without a token/);
  assert.not.match(r.stdout, /embedded MQTT broker listening/, 'nothing started');
});

test.run();
