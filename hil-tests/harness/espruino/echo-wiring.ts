/**
 * HC-SR04 answers for a fake node. The node pings with digitalPulse(trigger, 1, ms) and times
 * the echo with a watch; when such a high pulse ends, the echo pin's responder (hal.setEcho) is
 * asked for the echo width in µs and the fake raises the echo pin at that moment and drops it
 * `width` µs later (fractional milliseconds on the virtual clock). -1 (or no responder) means no
 * echo: the pin stays low and the node's own timeout has to notice.
 *
 * Which pin echoes: the one wired to the trigger with wire(), else the single watched pin that
 * has a responder. Two candidates and no wiring is a test setup error and throws.
 */
import type { PinId } from '../../../firmware/hal/pins.js';
import type { MockHal } from '../mock-hal.js';
import type { BootTimers } from './boot-timers.js';

export class EchoWiring {
  private readonly wired = new Map<PinId, PinId>();

  constructor(private readonly hal: MockHal, private readonly watchedPins: () => Set<PinId>) {}

  wire(trigger: PinId, echo: PinId): void {
    if (trigger === echo) throw new Error(`wireUltrasonic: trigger and echo must differ, both are ${trigger}`);
    this.wired.set(trigger, echo);
  }

  /** A digitalPulse that drove `value` on `trigger` has just ended. */
  pulseEnded(trigger: PinId, value: number, timers: BootTimers): void {
    if (value !== 1) return;
    const echo = this.echoFor(trigger);
    if (echo === undefined) return;
    const responder = this.hal.echoResponder(echo);
    if (responder === undefined) return;
    const width = responder(timers.clock.now());
    if (typeof width !== 'number' || !isFinite(width) || width < 0) return;
    this.hal.setLevel(echo, 1);
    timers.after(width / 1000, () => this.hal.setLevel(echo, 0));
  }

  private echoFor(trigger: PinId): PinId | undefined {
    const wired = this.wired.get(trigger);
    if (wired !== undefined) return wired;
    const candidates = [...this.watchedPins()].filter((p) => p !== trigger && this.hal.echoResponder(p) !== undefined);
    if (candidates.length > 1) {
      throw new Error(
        `digitalPulse on ${trigger}: watched pins ${candidates.join(', ')} all have echo responders; ` +
          'say which one answers with node.wireUltrasonic(trigger, echo)',
      );
    }
    return candidates[0];
  }
}
