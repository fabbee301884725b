/**
 * Every backend the HAL contract suites run against (hal-contract.test.ts runs each suite on
 * each). To add a backend, write its BenchFactory beside this file and list it here; a factory
 * that cannot run on this machine (no hardware, no permission, no KERB_GPIO_LOOPBACK) says why
 * in unavailable() and its suites are reported as skipped with that reason.
 */
import type { BenchFactory } from './backend-bench.js';
import { firmataMock } from './firmata-bench.js';
import { mockBench } from './mock-bench.js';
import { onoffFake, onoffLoopback } from './onoff-bench.js';

export const benches: BenchFactory[] = [
  mockBench,
  // onoff with a fake Gpio, and real pins when KERB_GPIO_LOOPBACK names wired pairs
  onoffFake,
  onoffLoopback,
  // johnny-five on mock-firmata
  firmataMock,
];
