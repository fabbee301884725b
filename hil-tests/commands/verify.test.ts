/**
 * Every way a downlink command is refused: each is answered on cmd-result with its code and a
 * message naming the field, logged as command.rejected (without secrets), and leaves the lamps
 * alone. Counters advance only for verified commands and survive a restart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MAX_ENVELOPE_BYTES } from '../../gateway/commands/envelope.js';
import { CommandRig, MIN } from './command-rig.js';

const OVERRIDE = { device: 'lamp-01', name: 'override', args: { level: 1, durationS: 60 } };

function refused(rig: CommandRig, code: string, field?: string, lampLevel = 0.2): void {
  const reply = rig.replies[rig.replies.length - 1]!;
  assert.is(reply.ok, false, JSON.stringify(reply));
  assert.is(reply.code, code, reply.message);
  const log = rig.rejections().pop()!;
  assert.is(log.code, code);
  assert.is(log.level, 'warn');
  if (field !== undefined) assert.is(log.field, field, String(log.message));
  assert.is(rig.duty('lamp-01'), lampLevel, 'the lamp is untouched');
  for (const r of rig.records) assert.not.match(JSON.stringify(r), /"signature":|PRIVATE|PUBLIC KEY/, 'no signature or key in logs');
}

test('a valid command takes effect and is answered with the lamp\'s own result', () => {
  const rig = new CommandRig();
  const reply = rig.send(OVERRIDE);
  assert.equal([reply.ok, reply.code, reply.counter, reply.target], [true, 'OK', 1, 'lamp-01']);
  assert.match(reply.message, /level 1 held for 60 s/);
  assert.equal(rig.replies, [reply]);
  assert.is(rig.duty('lamp-01'), 1);
  const accepted = rig.records.find((r) => r.event === 'command.accepted')!;
  assert.equal([accepted.operator, accepted.keyId, accepted.counter], ['ops-1', rig.ops1.keyId, 1]);
  // ops-2's key is written inline in the site file; it has its own counter.
  assert.is(rig.send({ device: 'lamp-02', name: 'clear-override', args: {} }, { counter: 1 }, rig.ops2).ok, true);
  rig.stop();
});

test('malformed: too big, not JSON, not an object, unknown or missing fields, bad types', () => {
  const rig = new CommandRig();
  const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(rig.envelope(OVERRIDE))) as Record<string, unknown>;
  const cases: Array<[string, string | Buffer, string]> = [
    ['too big', Buffer.alloc(MAX_ENVELOPE_BYTES + 1, 0x20), '(message)'],
    ['not JSON', '{"v":1,', '(message)'],
    ['an array', '[1,2]', '(message)'],
    ['unsigned', JSON.stringify({ ...good(), signature: undefined }), 'signature'],
    ['an extra field', JSON.stringify({ ...good(), admin: true }), 'admin'],
    ['counter a string', JSON.stringify({ ...good(), counter: '7' }), 'counter'],
    ['expires not ISO', JSON.stringify({ ...good(), expires: 'tomorrow' }), 'expires'],
    ['device and corridor', JSON.stringify({ ...good(), command: { device: 'lamp-01', corridor: 'school-route', name: 'corridor', args: {} } }), 'command.device'],
    ['args an array', JSON.stringify({ ...good(), command: { device: 'lamp-01', name: 'override', args: [1] } }), 'command.args'],
    ['an object arg', JSON.stringify({ ...good(), command: { device: 'lamp-01', name: 'override', args: { level: { x: 1 } } } }), 'command.args.level'],
  ];
  for (const [name, payload, field] of cases) {
    const reply = rig.deliver(payload);
    assert.is(reply.code, 'E_CMD_MALFORMED', name);
    assert.is(rig.rejections().pop()!.field, field, name);
    assert.ok(reply.message.length < 2000, name);
  }
  assert.match(rig.replies[0]!.message, `at most ${MAX_ENVELOPE_BYTES} bytes`);
  assert.match(rig.replies[3]!.message, /signature must be the base64/);
  assert.is(rig.replies.length, cases.length, 'every refusal answered');
  refused(rig, 'E_CMD_MALFORMED');
  rig.stop();
});

test('wrong site or gateway, wrong topic, unknown key, bad signature', () => {
  const rig = new CommandRig();
  rig.send(OVERRIDE, { gateway: 'gw-oak' });
  refused(rig, 'E_CMD_GATEWAY', 'gateway');
  assert.match(rig.replies[0]!.message, /signed for elm-street\/gw-oak; this is elm-street\/gw-elm/);
  rig.send(OVERRIDE, { site: 'oak-street' });
  refused(rig, 'E_CMD_GATEWAY', 'site');
  rig.deliver(JSON.stringify(rig.envelope(OVERRIDE)), 'kerb/v1/elm-street/gw-elm/cmd/lamp-02');
  refused(rig, 'E_CMD_TOPIC', 'command');
  rig.send(OVERRIDE, {}, rig.stranger);
  refused(rig, 'E_CMD_KEY', 'keyId');
  assert.match(rig.replies[3]!.message, new RegExp(`keyId ${rig.stranger.keyId} is not an operator`));
  // Signed by a stranger but claiming ops-1's key id.
  const forged = rig.envelope(OVERRIDE, { keyId: rig.ops1.keyId }, rig.stranger);
  rig.deliver(JSON.stringify(forged));
  refused(rig, 'E_CMD_SIGNATURE', 'signature');
  // Signed by ops-1, then changed: level 1 became 0.
  const changed = rig.envelope(OVERRIDE);
  rig.deliver(JSON.stringify({ ...changed, command: { ...changed.command, args: { level: 0, durationS: 60 } } }));
  refused(rig, 'E_CMD_SIGNATURE', 'signature');
  assert.match(rig.replies[5]!.message, /changed after signing/);
  rig.stop();
});

test('expired, expiring too far ahead, and refused while the clock is not trusted', () => {
  const rig = new CommandRig();
  const now = rig.clock.wallTime();
  rig.send(OVERRIDE, { issued: new Date(now - 20 * MIN).toISOString(), expires: new Date(now - MIN).toISOString() });
  refused(rig, 'E_CMD_EXPIRED', 'expires');
  rig.send(OVERRIDE, { expires: new Date(now + 25 * 60 * MIN).toISOString() });
  refused(rig, 'E_CMD_EXPIRES_TOO_LATE', 'expires');
  rig.send(OVERRIDE, { issued: new Date(now + 2 * MIN).toISOString(), expires: new Date(now + MIN).toISOString() });
  refused(rig, 'E_CMD_MALFORMED', 'issued');
  rig.stop();

  const boot = new CommandRig({ startWall: 0, synced: false }); // a Pi without RTC before NTP
  const e = boot.envelope(OVERRIDE, { issued: '2026-06-21T21:10:00.000Z', expires: '2026-06-21T21:20:00.000Z' });
  boot.deliver(JSON.stringify(e));
  assert.is(boot.replies[0]!.code, 'E_CMD_CLOCK');
  assert.match(boot.replies[0]!.message, /not trusted/);
  boot.clock.setWall(Date.parse('2026-06-21T21:11:00.000Z')); // NTP answers
  assert.is(boot.deliver(JSON.stringify(e)).ok, true, 'the same command is accepted once the clock is trusted: its counter was not spent');
  boot.stop();
});

test('replay: the same counter, a lower one, and again after a restart; a flood of garbage burns no counter', () => {
  const rig = new CommandRig();
  const first = rig.envelope(OVERRIDE, { counter: 5 });
  assert.is(rig.deliver(JSON.stringify(first)).ok, true);
  rig.deliver(JSON.stringify(first));
  refused(rig, 'E_CMD_REPLAY', 'counter', 1);
  assert.is(rig.replies[1]!.last, 5);
  assert.match(rig.replies[1]!.message, /counter 5 is not above 5.*counter 6 or more/);
  rig.send({ device: 'lamp-01', name: 'clear-override', args: {} }, { counter: 3 });
  assert.is(rig.replies[2]!.code, 'E_CMD_REPLAY');
  assert.is(rig.duty('lamp-01'), 1, 'the override stands');

  // Garbage and forgeries with huge counters: none is verified, so none moves the counter.
  rig.send(OVERRIDE, { counter: 1_000_000 }, rig.stranger);
  rig.deliver(JSON.stringify({ ...rig.envelope(OVERRIDE, { counter: 1_000_001 }), signature: rig.envelope(OVERRIDE).signature }));
  assert.is(rig.processor.counters.last(rig.ops1.keyId), 5);

  // A restart: the counter comes back from the data directory.
  const saved = JSON.parse(fs.readFileSync(path.join(rig.dataDir, 'command-counters.json'), 'utf8')) as { counters: Record<string, number> };
  assert.equal(saved.counters, { [rig.ops1.keyId]: 5 });
  assert.is((fs.statSync(path.join(rig.dataDir, 'command-counters.json')).mode & 0o077), 0, 'not readable by others');
  rig.restartProcessor();
  rig.deliver(JSON.stringify(first));
  assert.is(rig.replies[rig.replies.length - 1]!.code, 'E_CMD_REPLAY', 'a replay after the restart is refused');
  assert.is(rig.send(OVERRIDE, { counter: 6 }).ok, true);
  rig.stop();
});

test('a verified command the device refuses spends its counter: unknown device, out of range, unknown command', () => {
  const rig = new CommandRig();
  rig.send({ device: 'lamp-99', name: 'override', args: { level: 1, durationS: 60 } }, { counter: 1 });
  refused(rig, 'E_CMD_DEVICE');
  assert.match(rig.replies[0]!.message, /no device 'lamp-99'/);
  rig.send({ device: 'lamp-01', name: 'override', args: { level: 1.5, durationS: 60 } }, { counter: 2 });
  refused(rig, 'E_CMD_RANGE');
  assert.match(rig.replies[1]!.message, /'level' must be within 0\.\.1, got 1\.5/);
  rig.send({ device: 'lamp-01', name: 'override', args: { level: 1 } }, { counter: 3 });
  refused(rig, 'E_CMD_ARGS');
  rig.send({ device: 'park-01', name: 'override', args: { level: 1, durationS: 60 } }, { counter: 4 });
  refused(rig, 'E_CMD_UNKNOWN');
  rig.send({ corridor: 'no-such-route', name: 'corridor', args: { minutes: 5 } }, { counter: 5 });
  refused(rig, 'E_CMD_CORRIDOR');
  assert.match(rig.replies[4]!.message, /it has school-route/);
  rig.send({ corridor: 'school-route', name: 'corridor', args: { minutes: 241 } }, { counter: 6 });
  refused(rig, 'E_CMD_RANGE');
  rig.send({ corridor: 'school-route', name: 'corridor', args: { minutes: 0.5 } }, { counter: 7 });
  refused(rig, 'E_CMD_RANGE');
  rig.send({ corridor: 'school-route', name: 'corridor', args: { minutes: 5, level: 1 } }, { counter: 8 });
  refused(rig, 'E_CMD_ARGS');
  assert.is(rig.processor.counters.last(rig.ops1.keyId), 8, 'each was really sent: the counter moved');
  assert.equal(rig.replies.map((r) => r.counter), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(rig.processor.stats().rejected, { E_CMD_DEVICE: 1, E_CMD_RANGE: 3, E_CMD_ARGS: 2, E_CMD_UNKNOWN: 1, E_CMD_CORRIDOR: 1 });
  rig.stop();
});

test('a corrupt counter file refuses every command, saying why, rather than accepting replays', () => {
  const rig = new CommandRig();
  fs.mkdirSync(rig.dataDir, { recursive: true });
  fs.writeFileSync(path.join(rig.dataDir, 'command-counters.json'), '{"version": 1, "counters": {"abc');
  rig.restartProcessor();
  assert.ok(rig.records.some((r) => r.event === 'command.counter-store-broken' && r.level === 'error'));
  rig.send(OVERRIDE, { counter: 100 });
  refused(rig, 'E_CMD_COUNTER_STORE', 'counter');
  assert.match(rig.replies[0]!.message, /command-counters\.json is corrupt/);
  rig.stop();
});

test('answers to unverified refusals are rate limited; verified commands are always answered', () => {
  const rig = new CommandRig({ rejectionReplies: { ratePerS: 1, burst: 3 } });
  for (let i = 0; i < 10; i++) rig.deliver('garbage');
  assert.is(rig.replies.length, 3);
  assert.is(rig.processor.stats().unanswered, 7);
  assert.is(rig.processor.stats().rejected.E_CMD_MALFORMED, 10, 'every one counted');
  assert.is(rig.send(OVERRIDE).ok, true);
  assert.is(rig.replies.length, 4);
  rig.clock.advance(2_000);
  rig.deliver('garbage');
  assert.is(rig.replies.length, 5, 'tokens come back');
  rig.stop();
});

test.run();
