import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isCommandResult, parseLampCommand } from './lamp-commands.js';
import type { CommandResult } from './types.js';

function refused(name: string, args: { [k: string]: number | string | boolean }): CommandResult {
  const r = parseLampCommand({ name, args });
  assert.ok(isCommandResult(r), `${name} ${JSON.stringify(args)} should be refused`);
  return r as CommandResult;
}

test('valid lamp commands become actions with durations in ms', () => {
  assert.equal(parseLampCommand({ name: 'override', args: { level: 0.5, durationS: 90 } }),
    { action: 'override', level: 0.5, on: false, durationMs: 90000 });
  assert.equal(parseLampCommand({ name: 'emergency', args: { on: true } }),
    { action: 'emergency', level: 0, on: true, durationMs: 0 });
  assert.equal(parseLampCommand({ name: 'clear-override', args: {} }),
    { action: 'clear-override', level: 0, on: false, durationMs: 0 });
});

test('override bounds: level 0 and 1 pass, outside is E_CMD_RANGE, a wrong type is E_CMD_ARGS', () => {
  assert.not.ok(isCommandResult(parseLampCommand({ name: 'override', args: { level: 0, durationS: 1 } })));
  assert.not.ok(isCommandResult(parseLampCommand({ name: 'override', args: { level: 1, durationS: 1 } })));
  const low = refused('override', { level: -0.1, durationS: 1 });
  assert.is(low.code, 'E_CMD_RANGE');
  assert.is(low.message, "override arg 'level' must be within 0..1, got -0.1");
  assert.is(refused('override', { level: '0.5', durationS: 1 }).code, 'E_CMD_ARGS');
  assert.is(refused('override', { level: 0.5, durationS: Infinity }).code, 'E_CMD_ARGS');
  assert.is(refused('override', { level: 0.5, durationS: -1 }).message,
    "override arg 'durationS' must be within 1..604800, got -1");
});

test('durations are bounded to 1 s .. 7 days for override and emergency alike', () => {
  for (const name of ['override', 'emergency']) {
    const args: { [k: string]: number | boolean } = name === 'override' ? { level: 0.5 } : { on: true };
    const ok = (durationS: number) => parseLampCommand({ name, args: { ...args, durationS } });
    assert.equal((ok(1) as { durationMs: number }).durationMs, 1000, name + ' 1 s');
    assert.equal((ok(604800) as { durationMs: number }).durationMs, 604800000, name + ' 7 days');
    for (const bad of [0.5, 604801, 1e12]) {
      const r = refused(name, { ...args, durationS: bad });
      assert.is(r.code, 'E_CMD_RANGE', name + ' ' + bad);
      assert.is(r.message, name + " arg 'durationS' must be within 1..604800, got " + bad);
    }
  }
});

test('emergency needs a boolean on and an optional positive duration', () => {
  assert.is(refused('emergency', {}).code, 'E_CMD_ARGS');
  assert.is(refused('emergency', { on: 1 }).code, 'E_CMD_ARGS');
  assert.is(refused('emergency', { on: true, durationS: 0 }).code, 'E_CMD_RANGE');
  assert.is(refused('emergency', { on: true, durationS: 'long' }).code, 'E_CMD_ARGS');
});

test('an unknown command names the ones the lamp accepts', () => {
  const r = refused('reboot', {});
  assert.is(r.code, 'E_CMD_UNKNOWN');
  assert.match(r.message, /override, clear-override, emergency/);
});

test.run();
