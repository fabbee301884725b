/**
 * The johnny-five backend's bench: a FirmataHal over a MockFirmataBoard (mock-firmata's Uno pin
 * table, running PingFirmata with PULLUP) on a VirtualClock. The outside world acts as a board
 * would show it to firmata.js: setInput sends the digital report, setAnalog the analog report
 * (quantised to 1/1023, as a 10-bit converter is), setEcho sets what PING_READ answers (whole µs);
 * outputLevel and outputDuty read what was written to the io for the pin.
 */
import { FirmataHal } from '../../gateway/hal/firmata/firmata-hal.js';
import { settle } from '../harness/run-clock.js';
import { MockFirmataBoard } from '../harness/mock-firmata-board.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import type { BackendBench, BenchFactory } from './backend-bench.js';

const NAME = 'johnny-five (mock-firmata)';

export const firmataMock: BenchFactory = {
  name: NAME,
  unavailable: () => undefined,
  async create(): Promise<BackendBench> {
    const clock = new VirtualClock();
    const board = new MockFirmataBoard({ clock, firmware: 'PingFirmata' });
    const hal = new FirmataHal({ clock, port: 'mock-firmata', openIo: board.open });
    hal.start();
    const ready = hal.whenReady();
    clock.runDue();
    await ready;
    return {
      name: NAME,
      hal,
      clock,
      capabilities: { digitalIn: true, digitalOut: true, pwm: true, analogIn: true, pulseIn: true, pullUp: true },
      // What the wire carries: PWM as 0..255, analog as 0..1023, as on the real converters.
      dutyResolution: 1 / 255,
      analogResolution: 1 / 1023,
      pins: {
        digital: ['2', '4', '7', '8'],
        pwm: ['3', '5', '6', '9', '10', '11'],
        analog: ['A0', 'A1', 'A2', 'A3'],
        // PING_READ times the echo on the echo pin itself (TRIG joined to ECHO); trigger is held only.
        ping: [['12', '13'], ['A4', 'A5']],
        invalid: '99',
      },
      setInput: (pin, level) => board.setInput(pin, level),
      outputLevel: (pin) => board.level(pin),
      outputDuty: (pin) => board.duty(pin),
      setAnalog: (pin, value) => board.setAnalog(pin, value),
      setEcho: (echo, echoUs) => board.setEcho(echo, () => echoUs),
      async settle(ms) {
        clock.advance(ms);
        await settle();
      },
      async close() {
        hal.close();
      },
    };
  },
};
