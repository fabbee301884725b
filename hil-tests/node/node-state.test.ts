/**
 * The node's state as the driver keeps it: a state larger than a frame merged from its parts,
 * and bounded against a node that sends ever new keys or oversized values.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { StateValue } from '../../firmware/devices/types.js';
import { waitFor } from '../harness/wait-for.js';
import { serialRig } from './serial-rig.js';

/** `count` keys k<from>.. with values long enough that a snapshot takes several frames. */
function keys(from: number, count: number, value = (i: number): StateValue => `value of key ${i}`): { [key: string]: StateValue } {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${from + i}`, value(from + i)]));
}

/** The node's own keys in the driver's state (it adds link, port, identity ...). */
function nodeKeys(state: { [key: string]: StateValue }): string[] {
  return Object.keys(state).filter((k) => /^k\d+$|^note$|^x+$/.test(k));
}

test('a state sent in parts is merged; beyond 64 keys new ones are dropped, logged once and counted', async () => {
  const r = serialRig();
  await r.connect();
  const delivered = () => r.driver.stats().linkStats.delivered;
  const before = delivered();
  r.node.sendState(keys(0, 30));
  await waitFor(() => r.node.waiting() === 0 && r.driver.state().k29 !== undefined, 'both parts');
  assert.ok(delivered() - before >= 2, `a snapshot of 30 keys takes more than one frame (${delivered() - before})`);
  assert.equal(nodeKeys(r.driver.state()).length, 30, 'the parts merged, not the last part alone');
  assert.is(r.driver.state().k0, 'value of key 0');

  r.node.sendState(keys(30, 50)); // a buggy node: ever new keys
  r.node.sendState({ k0: 'changed' });
  await waitFor(() => r.driver.state().k0 === 'changed', 'the last part');
  assert.equal(nodeKeys(r.driver.state()).length, 64, 'at most 64 kept');
  assert.is(r.driver.state().k63, 'value of key 63');
  assert.is(r.driver.state().k64, undefined);
  assert.is(r.driver.stats().stateKeysDropped, 16);
  const logged = r.logged('node.state-dropped');
  assert.equal(logged.map((l) => [l.level, l.kind, l.key]), [['warn', 'too-many-keys', 'k64']], 'logged once, not per key');
  assert.match(String(logged[0]?.reason), "the node's state has more than 64 keys: new keys are dropped");
  await r.stop();
});

test('a key or a text value longer than the bound is dropped, its old value with it; a restart starts afresh', async () => {
  const r = serialRig();
  await r.connect();
  r.node.sendState({ k1: 'short', k2: 7 });
  await waitFor(() => r.driver.state().k1 === 'short', 'the state');
  r.node.sendState({ k1: 'y'.repeat(150), note: 'z'.repeat(121), ['x'.repeat(33)]: 1, k2: 8 });
  await waitFor(() => r.driver.state().k2 === 8, 'the next part');
  const s = r.driver.state();
  assert.equal(nodeKeys(s), ['k2'], 'k1 (150 characters), note (121) and a 33-character key are gone');
  assert.is(r.driver.stats().stateKeysDropped, 3);
  assert.equal(r.logged('node.state-dropped').map((l) => [l.kind, l.key, l.reason]),
    [['too-long', 'k1', 'a text value of 150 characters, longer than the 120 kept: the key is dropped']]);

  r.node.restart();
  r.node.sendState({ note: 'n'.repeat(200 - 20) });
  await waitFor(() => r.driver.state().boot === 2 && r.logged('node.state-dropped').length === 2, 'the new boot, logged again');
  assert.equal(nodeKeys(r.driver.state()), [], "the old boot's state is gone");
  await r.stop();
});

test.run();
