/**
 * The demo's bridge from the simulated street to a Firmata board: the street drives MockHal pins,
 * and a device hosted on the Firmata backend reads its board. followPin drives the board's input
 * `to` with every level the street sets on the MockHal pin `from` (at the next clock turn), so a
 * lamp on mock-firmata sees the same pedestrians as its neighbours on mock pins.
 */
import type { PinId } from '../../firmware/hal/pins.js';
import type { MockHal } from './mock-hal.js';
import type { MockFirmataBoard } from './mock-firmata-board.js';

/** Starts following; returns the stop. */
export function followPin(hal: MockHal, from: PinId, board: MockFirmataBoard, to: PinId): () => void {
  const watch = hal.digitalIn({ pin: from, edge: 'both', debounceMs: 0, onEdge: (e) => board.setInput(to, e.value) });
  board.setInput(to, watch.read());
  return () => watch.close();
}
