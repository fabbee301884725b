/**
 * The production path below the HAL, short of a real port: firmata.js (firmata-io, as
 * openSerialFirmata builds it) over a fake serial transport that answers in Firmata protocol
 * bytes as StandardFirmata/PingFirmata on an Uno would, brought up through johnny-five. This pins
 * down what the backend assumes of firmata.js: the handshake, event names, analog channels and
 * PING_READ framing, and how a pulled cable looks.
 */
import { EventEmitter } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FirmataHal } from '../../gateway/hal/firmata/firmata-hal.js';
import { firmataOver, type FirmataTransport } from '../../gateway/hal/firmata/open-serial.js';
import { settle } from '../harness/run-clock.js';
import { VirtualClock } from '../harness/virtual-clock.js';

const INPUT = 0, OUTPUT = 1, ANALOG = 2, PWM = 3, PULLUP = 0x0b, PING = 0x75;
const PWM_PINS = [3, 5, 6, 9, 10, 11];

/** The far end of the cable: an Uno running PingFirmata, speaking Firmata bytes. */
class WireBoard extends EventEmitter implements FirmataTransport {
  readonly written: number[][] = [];
  readonly levels = new Map<number, number>();
  readonly analog = new Map<number, number>();
  echoUs = 0;

  constructor() {
    super();
    setImmediate(() => {
      this.emit('open');
      this.send([0xf9, 2, 5]); // REPORT_VERSION 2.5
      this.send([0xf0, 0x79, 2, 5, ...[...'PingFirmata'].flatMap((c) => [c.charCodeAt(0), 0]), 0xf7]);
    });
  }

  write(data: Buffer, callback?: (err?: Error | null) => void): boolean {
    const bytes = [...data];
    callback?.(null);
    this.written.push(bytes);
    const [b0, b1] = bytes;
    if (b0 === 0xf0 && b1 === 0x6b) this.send(this.capabilities());
    else if (b0 === 0xf0 && b1 === 0x69) this.send([0xf0, 0x6a, ...Array.from({ length: 20 }, (_, p) => (p >= 14 ? p - 14 : 127)), 0xf7]);
    else if ((b0! & 0xf0) === 0xd0 && b1 === 1) this.reportPort(b0! & 0x0f);
    else if ((b0! & 0xf0) === 0xc0 && b1 === 1) this.reportAnalog(b0! & 0x0f);
    else if (b0 === 0xf0 && b1 === 0x75) this.pong(bytes[2]!);
    return true;
  }

  close(callback?: (err?: Error | null) => void): void {
    callback?.(null);
  }

  setInput(pin: number, level: number): void {
    this.levels.set(pin, level);
    this.reportPort(pin >> 3);
  }

  setAnalog(channel: number, raw: number): void {
    this.analog.set(channel, raw);
    this.reportAnalog(channel);
  }

  /** serialport's way of saying the device went away. */
  pull(): void {
    this.emit('close', Object.assign(new Error('Disconnected'), { disconnected: true }));
  }

  /** What firmata.js sent: messages whose first byte is `first`. */
  sent(first: number): number[][] {
    return this.written.filter((b) => b[0] === first);
  }

  private capabilities(): number[] {
    const out = [0xf0, 0x6c];
    for (let p = 0; p < 20; p++) {
      if (p >= 2) {
        out.push(INPUT, 1, OUTPUT, 1, PULLUP, 1, PING, 1);
        if (PWM_PINS.includes(p)) out.push(PWM, 8);
        if (p >= 14) out.push(ANALOG, 10);
      }
      out.push(0x7f);
    }
    return [...out, 0xf7];
  }

  private reportPort(port: number): void {
    let value = 0;
    for (let i = 0; i < 8; i++) value |= (this.levels.get(port * 8 + i) ?? 0) << i;
    this.send([0x90 | port, value & 0x7f, (value >> 7) & 0x7f]);
  }

  private reportAnalog(channel: number): void {
    const raw = this.analog.get(channel) ?? 0;
    this.send([0xe0 | channel, raw & 0x7f, (raw >> 7) & 0x7f]);
  }

  private pong(pin: number): void {
    const d = this.echoUs;
    const bytes = [(d >> 24) & 0xff, (d >> 16) & 0xff, (d >> 8) & 0xff, d & 0xff].flatMap((b) => [b & 0x7f, b >> 7]);
    this.send([0xf0, 0x75, pin & 0x7f, pin >> 7, ...bytes, 0xf7]);
  }

  private send(bytes: number[]): void {
    setImmediate(() => this.emit('data', Buffer.from(bytes)));
  }
}

function wired(): { clock: VirtualClock; hal: FirmataHal; wires: WireBoard[] } {
  const clock = new VirtualClock();
  const wires: WireBoard[] = [];
  const hal = new FirmataHal({
    clock, port: '/dev/ttyACM0', openIo: () => {
      const w = new WireBoard();
      wires.push(w);
      return firmataOver(w);
    },
  });
  return { clock, hal, wires };
}

test('firmata.js over the wire: ready through johnny-five, then pins, reports and PING_READ', async () => {
  const { clock, hal, wires } = wired();
  hal.start();
  await hal.whenReady();
  const wire = wires[0]!;

  const lamp = hal.pwm({ pin: 'D3', frequency: 1000, initial: 0.2 });
  assert.equal(wire.sent(0xf4).at(-1), [0xf4, 3, PWM]);
  assert.equal(wire.sent(0xe3).at(-1), [0xe3, 51, 0], 'ANALOG_MESSAGE for pin 3: 51 of 255');
  lamp.write(1);
  assert.equal(wire.sent(0xe3).at(-1), [0xe3, 0x7f, 1]);

  const edges: Array<[number, number]> = [];
  const pir = hal.digitalIn({ pin: '2', edge: 'both', debounceMs: 50, onEdge: (e) => edges.push([e.value, e.time]) });
  assert.equal(wire.sent(0xd0).at(-1), [0xd0, 1], 'digital reporting on for port 0');
  await settle();
  wire.setInput(2, 1);
  await settle();
  assert.is(pir.read(), 1);
  clock.advance(50);
  assert.equal(edges, [[1, 0]]);

  const light = hal.analogIn({ pin: 'A0' });
  assert.equal(wire.sent(0xc0).at(-1), [0xc0, 1], 'analog reporting on for channel 0');
  wire.setAnalog(0, 1023);
  await settle();
  assert.is(light.read(), 1);

  const ping = hal.pulseIn({ trigger: '7', echo: '8', triggerUs: 10, timeoutMs: 30 });
  wire.echoUs = 1160;
  const got: number[] = [];
  ping.measure((us) => got.push(us));
  const request = wire.written.at(-1)!;
  assert.equal(request.slice(0, 4), [0xf0, 0x75, 8, 1], 'PING_READ on the echo pin, pulse high');
  await settle();
  clock.runDue();
  assert.equal(got, [1160]);
  hal.close();
});

test('a pulled cable under firmata.js is an outage; a new port is brought up and the outputs written again', async () => {
  const { clock, hal, wires } = wired();
  hal.start();
  await hal.whenReady();
  const lamp = hal.pwm({ pin: '5', frequency: 1000, initial: 0.2 });
  wires[0]!.pull();
  assert.is(hal.status().state, 'down');
  lamp.write(0.6);
  clock.advance(1000);
  await hal.whenReady();
  assert.is(wires.length, 2);
  assert.equal(wires[1]!.sent(0xf4), [[0xf4, 5, PWM]]);
  assert.equal(wires[1]!.sent(0xe5), [[0xe5, 153 & 0x7f, 153 >> 7]]);
  hal.close();
});

test.run();
