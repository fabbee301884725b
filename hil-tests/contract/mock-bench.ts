/**
 * The mock backend on the contract bench: a MockHal on a VirtualClock, with the mock's own test
 * controls playing the outside world. The mock is the reference the other backends are held to,
 * so it declares every capability and no tolerance: everything it does is exact.
 */
import type { Level, PinId } from '../../firmware/hal/pins.js';
import { MockHal } from '../harness/mock-hal.js';
import { settle } from '../harness/run-clock.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import type { BackendBench, BenchFactory } from './backend-bench.js';

function createMockBench(): BackendBench {
  const clock = new VirtualClock();
  const hal = new MockHal(clock);
  return {
    name: 'mock',
    hal,
    clock,
    capabilities: { digitalIn: true, digitalOut: true, pwm: true, analogIn: true, pulseIn: true, pullUp: true },
    pins: {
      digital: ['D2', 'D3'],
      pwm: ['P1', 'P2'],
      analog: ['A0', 'A1'],
      ping: [['T1', 'E1'], ['T2', 'E2']],
      // The mock takes any non-empty name (tests name pins freely), so only '' is invalid.
      invalid: '',
    },
    setInput: (pin: PinId, level: Level) => hal.setLevel(pin, level),
    outputLevel: (pin: PinId) => hal.level(pin),
    outputDuty: (pin: PinId) => hal.duty(pin),
    setAnalog: (pin: PinId, value: number) => hal.setAnalog(pin, value),
    setEcho: (echo: PinId, echoUs: number) => hal.setEcho(echo, () => echoUs),
    async settle(ms: number): Promise<void> {
      clock.advance(ms);
      await settle();
    },
    async close(): Promise<void> {
      // Nothing outside the process: the clock and the board go with the bench.
    },
  };
}

export const mockBench: BenchFactory = {
  name: 'mock',
  unavailable: () => undefined,
  create: async () => createMockBench(),
};
