/**
 * Signed commands end to end through the running service: an operator publishes a signed
 * emergency corridor to the broker, the gateway service (its uplink subscribed to its command
 * topics) verifies it, the corridor's lamps go to full, the answer arrives on cmd-result; the
 * same message replayed is refused there too.
 */
import path from 'node:path';
import mqtt from 'mqtt';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { signEnvelope } from '../../gateway/commands/envelope.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { GatewayService } from '../../gateway/service/gateway-service.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { boardPin, deviceBoard } from '../harness/device-board.js';
import { MockHal } from '../harness/mock-hal.js';
import { settle } from '../harness/run-clock.js';
import { tempDir } from '../harness/temp-dir.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';
import { makeOperator, NIGHT, PROFILES, writeSite } from './command-rig.js';

test('a signed corridor published to the broker lights its lamps through the service; its replay is refused', async () => {
  const dir = tempDir('kerb-service-cmd');
  const ops1 = makeOperator();
  const siteFile = writeSite(dir, ops1, makeOperator());
  const broker = await startEmbeddedBroker();
  const clock = new VirtualClock({ startWall: NIGHT });
  const hal = new MockHal(clock);
  hal.setAnalog(boardPin('park-01', 'A1'), (45 + 200) / 400);
  const { log } = memoryLogger();
  const service = new GatewayService({
    siteFile, profilesDir: PROFILES, dataDir: path.join(dir, 'data'), brokerUrl: broker.url, version: 'test', clock, log,
    backends: () => ({ halFor: (d) => deviceBoard(hal, d.id), close: () => undefined }),
  }, GatewayService.loadSite(siteFile, PROFILES));
  const topics = topicsFor('elm-street', 'gw-elm');
  const answers: Array<{ ok: boolean; code: string }> = [];
  const operator = mqtt.connect(broker.url, { protocolVersion: 4 });
  operator.on('message', (topic, payload) => {
    if (topic === topics.cmdResult) answers.push(JSON.parse(payload.toString()) as { ok: boolean; code: string });
  });
  await new Promise<void>((resolve, reject) => operator.once('connect', () => operator.subscribe(topics.cmdResult, { qos: 1 }, (e) => (e ? reject(e) : resolve()))));
  const run = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 1_000) {
      clock.advance(1_000);
      await settle();
    }
  };
  try {
    service.start();
    // The uplink tries MQTT 5 first and falls back on its (virtual) clock: move it while waiting.
    for (let i = 0; i < 600 && service.uplink.stats().state !== 'online'; i++) {
      clock.advance(100);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.is(service.uplink.stats().state, 'online');
    await run(65_000); // the schedule's first check: night, lamps at base level
    assert.is(hal.duty(boardPin('lamp-01', 'D3')), 0.2);
    const envelope = signEnvelope({
      v: 1, site: 'elm-street', gateway: 'gw-elm', counter: 1, keyId: ops1.keyId,
      issued: new Date(clock.wallTime()).toISOString(), expires: new Date(clock.wallTime() + 10 * 60_000).toISOString(),
      command: { corridor: 'school-route', name: 'corridor', args: { minutes: 5 } },
    }, ops1.privateKey);
    const message = Buffer.from(JSON.stringify(envelope));
    operator.publish(`${topics.prefix}/cmd/corridor/school-route`, message, { qos: 1 });
    await waitFor(() => answers.length >= 1, 'the answer on cmd-result');
    assert.equal([answers[0]!.ok, answers[0]!.code], [true, 'OK'], JSON.stringify(answers[0]));
    await run(1_000);
    assert.is(hal.duty(boardPin('lamp-01', 'D3')), 1, 'on the route: full');
    assert.is(hal.duty(boardPin('lamp-02', 'D3')), 1, 'on the route: full');
    assert.is(hal.duty(boardPin('lamp-03', 'D3')), 0.2, 'off the route: unchanged');
    operator.publish(`${topics.prefix}/cmd/corridor/school-route`, message, { qos: 1 });
    await waitFor(() => answers.length >= 2, 'the answer to the replay');
    assert.equal([answers[1]!.ok, answers[1]!.code], [false, 'E_CMD_REPLAY']);
    await run(5 * 60_000);
    assert.is(hal.duty(boardPin('lamp-01', 'D3')), 0.2, 'after 5 minutes, back to what it would be doing');
  } finally {
    operator.end(true);
    await service.stop(1_000);
    await broker.close();
  }
});

test.run();
