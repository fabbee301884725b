/**
 * `kerb command` end to end: an operator's process signs and publishes to the embedded broker,
 * a gateway-side CommandProcessor (subscribed to its topics, answering on cmd-result) carries it
 * out on mock lamps, and the operator's process prints the answer and exits with its code.
 * Real time and real processes: waits are bounded by the command's own --timeout.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { CommandProcessor } from '../../gateway/commands/command-processor.js';
import { CommandRig } from './command-rig.js';

const COMMAND_JS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'commands', 'command.js');

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs the command module in its own process, as `kerb command ...` does (same error handling). */
function kerbCommand(args: string[], env: Record<string, string>): Promise<Run> {
  const runner = `const m = await import(${JSON.stringify(new URL(`file://${COMMAND_JS}`).href)});
    try { process.exitCode = await m.run(process.argv.slice(1)); }
    catch (e) { process.stderr.write('kerb: ' + e.message + '\\n'); process.exitCode = e.exitCode ?? 1; }`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', runner, '--', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('kerb command signs, sends, waits for cmd-result and prints it; counters come from the state file', async () => {
  const rig = new CommandRig();
  const broker = await startEmbeddedBroker();
  // The gateway side: a processor on the real wall clock, subscribed with its own MQTT client
  // (in the service, the uplink's `subscriptions` option does this).
  const gatewayClient = mqtt.connect(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
  const processor = new CommandProcessor({
    site: () => rig.site, devices: () => rig.gateway, clock: new SystemClock(), dir: path.join(rig.dir, 'gw-data'), log: rig.log,
    reply: (payload) => gatewayClient.publish('kerb/v1/elm-street/gw-elm/cmd-result', payload, { qos: 1 }),
  });
  try {
    await new Promise<void>((resolve) => gatewayClient.once('connect', () => resolve()));
    const subs = processor.subscriptions();
    gatewayClient.on('message', (topic, payload) => processor.handle(topic, payload));
    await gatewayClient.subscribeAsync(subs.map((s) => s.topic), { qos: 1 });

    const keyFile = path.join(rig.dir, 'ops-1.key');
    fs.writeFileSync(keyFile, rig.ops1.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    const counters = path.join(rig.dir, 'laptop', 'counters.json');
    const env = { KERB_COUNTERS_FILE: counters };
    const base = ['--site', path.join(rig.dir, 'site.yaml'), '--key', keyFile, '--broker', broker.url, '--timeout', '5s'];

    // --dry-run prints a signed envelope the gateway accepts, and uses up counter 1.
    const dry = await kerbCommand([...base, '--device', 'lamp-03', '--name', 'override', '--arg', 'level=0.6', '--arg', 'durationS=300', '--dry-run'], env);
    assert.is(dry.code, 0, dry.stderr);
    const envelope = JSON.parse(dry.stdout) as Record<string, unknown>;
    assert.equal([envelope.counter, envelope.gateway, envelope.keyId], [1, 'gw-elm', rig.ops1.keyId]);
    assert.equal(envelope.command, { device: 'lamp-03', name: 'override', args: { level: 0.6, durationS: 300 } });
    assert.is(processor.handle('kerb/v1/elm-street/gw-elm/cmd/lamp-03', Buffer.from(dry.stdout)).ok, true);
    assert.is(rig.duty('lamp-03'), 0.6);

    const override = await kerbCommand([...base, '--device', 'lamp-01', '--name', 'override', '--arg', 'level=1', '--arg', 'durationS=60'], env);
    assert.is(override.code, 0, override.stderr);
    assert.match(override.stdout, /^done  OK  lamp-01  counter 2\n  level 1 held for 60 s/);
    assert.is(rig.duty('lamp-01'), 1);

    const corridor = await kerbCommand([...base, '--corridor', 'school-route', '--name', 'corridor', '--arg', 'minutes=15', '--json'], env);
    assert.is(corridor.code, 0, corridor.stderr);
    const answer = JSON.parse(corridor.stdout) as { counter: number; lamps: Array<{ device: string }> };
    assert.equal([answer.counter, answer.lamps.map((l) => l.device)], [3, ['lamp-01', 'lamp-02']]);
    assert.is(rig.duty('lamp-02'), 1);
    assert.equal(JSON.parse(fs.readFileSync(counters, 'utf8')), { [`elm-street/gw-elm/${rig.ops1.keyId}`]: 3 });

    const range = await kerbCommand([...base, '--device', 'lamp-04', '--name', 'override', '--arg', 'level=2', '--arg', 'durationS=60'], env);
    assert.is(range.code, 1);
    assert.match(range.stdout, /^refused  E_CMD_RANGE  lamp-04  counter 4\n.*'level' must be within 0\.\.1, got 2/);

    // A new laptop (no state file): the gateway refuses counter 1 as a replay and says its last;
    // the file catches up and the next run goes through.
    fs.rmSync(counters);
    const stale = await kerbCommand([...base, '--device', 'lamp-04', '--name', 'clear-override'], env);
    assert.is(stale.code, 1);
    assert.match(stale.stdout, /E_CMD_REPLAY/);
    assert.match(stale.stderr, /had accepted counter 4 from this key; the counter file is updated: run the command again/);
    const again = await kerbCommand([...base, '--device', 'lamp-04', '--name', 'clear-override'], env);
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /counter 5/);

    // Usage and configuration errors are caught before anything is signed.
    const unknown = await kerbCommand([...base, '--corridor', 'nowhere', '--name', 'corridor', '--arg', 'minutes=5'], env);
    assert.is(unknown.code, 3);
    assert.match(unknown.stderr, /no corridor 'nowhere' in .*site\.yaml; it has school-route/);
    const long = await kerbCommand([...base, '--device', 'lamp-01', '--name', 'clear-override', '--expires', '25h'], env);
    assert.is(long.code, 2);

    // Nobody listening: the command says so and exits 4.
    gatewayClient.removeAllListeners('message');
    const silent = await kerbCommand([...base, '--device', 'lamp-01', '--name', 'clear-override', '--timeout', '1s'], env);
    assert.is(silent.code, 4);
    assert.match(silent.stderr, /the gateway did not answer within 1 s/);
  } finally {
    await gatewayClient.endAsync(true);
    await broker.close();
    rig.stop();
  }
});

test.run();
