/**
 * The gateway refuses a command for a node exactly as the node's controller would, for every
 * reason the controller does not need its state to know, and passes on everything else.
 */
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadProfiles } from '../../device-profiles/index.js';
import { createController } from '../../firmware/devices/create.js';
import type { Command, Controller, DeviceKind } from '../../firmware/devices/types.js';
import { checkNodeCommand, CommandLedger, NODE_COMMANDS } from '../../gateway/node/node-commands.js';
import { ROOT } from '../cli/run-kerb.js';
import { MockHal } from '../harness/mock-hal.js';
import { VirtualClock } from '../harness/virtual-clock.js';

const PROFILE: { [K in DeviceKind]: string } = { lamp: 'lamp-pir-pwm', parking: 'parking-magnetometer', bin: 'bin-ultrasonic' };

function controllerOf(kind: DeviceKind): Controller {
  const loaded = loadProfiles(path.join(ROOT, 'device-profiles'));
  if (!loaded.ok) throw new Error('profiles load');
  const profile = loaded.value[PROFILE[kind]]!;
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  hal.setAnalog('A1', 0.6);
  hal.setAnalog('A2', (20 + 40) / 165);
  hal.setEcho('D8', () => 6000);
  const c = createController(kind, { hal, clock, pins: profile.pins, config: profile.config as never, location: { latitude: 52.37, longitude: 4.9 }, emit: () => undefined });
  c.start();
  clock.advance(1_000);
  return c;
}

const COMMANDS: Command[] = [
  ...Object.values(NODE_COMMANDS).flat().map((name) => ({ name, args: {} })),
  { name: 'dance', args: {} },
  { name: '', args: {} },
  { name: 'override', args: { level: 0.5, durationS: 60 } },
  { name: 'override', args: { level: -0.1, durationS: 60 } },
  { name: 'override', args: { level: 0.5, durationS: 0 } },
  { name: 'override', args: { level: 'half', durationS: 60 } },
  { name: 'override', args: { level: 0.5, durationS: 604801 } },
  { name: 'emergency', args: { on: true } },
  { name: 'emergency', args: { on: 1 } },
  { name: 'emergency', args: { on: true, durationS: 0.5 } },
  { name: 'measure', args: { extra: true } },
];

const LOCAL = ['E_CMD_UNKNOWN', 'E_CMD_ARGS', 'E_CMD_RANGE'];

for (const kind of ['lamp', 'parking', 'bin'] as DeviceKind[]) {
  test(`${kind}: refused here with the controller's own result, or passed on to the node`, () => {
    const controller = controllerOf(kind);
    const seen = { here: 0, node: 0 };
    for (const cmd of COMMANDS) {
      const local = checkNodeCommand(kind, cmd);
      const node = controller.command(cmd);
      const what = `${cmd.name} ${JSON.stringify(cmd.args)} -> node ${node.code}`;
      if (LOCAL.includes(node.code)) assert.equal(local, node, what);
      else assert.is(local, undefined, what);
      seen[local ? 'here' : 'node']++;
    }
    assert.ok(seen.here > 0 && seen.node > 0, JSON.stringify(seen));
    controller.stop();
  });
}

test('arguments the node cannot read are refused here, where the caller still hears why', () => {
  const cmd = { name: 'override', args: { level: [0.5] } } as unknown as Command;
  assert.equal(checkNodeCommand('lamp', cmd), { ok: false, code: 'E_CMD_ARGS', message: "override arg 'level' must be a number, text or boolean, got object" });
});

test('command ids run 1..65535 and wrap to 0; past the limit the oldest waiting is given up', () => {
  const ledger = new CommandLedger(2);
  const ids: number[] = [];
  let evicted = 0;
  for (let i = 0; i < 65537; i++) {
    const added = ledger.add('measure', i);
    ids.push(added.sent.id);
    if (added.evicted) evicted++;
  }
  assert.equal([ids[0], ids[65534], ids[65535], ids[65536]], [1, 65535, 0, 1]);
  assert.is(ledger.pending(), 2);
  assert.is(evicted, 65535);
  assert.equal(ledger.answer(1), { id: 1, name: 'measure', at: 65536 });
  assert.is(ledger.answer(1), undefined, 'an answer counts once');
  assert.equal(ledger.abandon().map((c) => c.id), [0]);
});

test.run();
