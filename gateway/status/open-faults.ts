/**
 * Which faults are open on each device, for the status page.
 *
 * The rule, in this order:
 * 1. A 'fault' event opens a fault under its name (the newest per name is kept).
 * 2. An event that ends a fault closes it: 'pir-recovered' closes 'pir-stuck-high' and
 *    'pir-silent', 'link-up' closes 'link-down' and 'link-silent', 'node-restarted' closes every
 *    fault of that node (a restarted node raises again what still holds), and any event named
 *    'X-cleared' or 'X-recovered' closes 'X'.
 * 3. Faults a controller judges itself (CONTROLLER_FAULTS) follow the controller's own verdict,
 *    its state's `faults` value, whenever the device reports one: the bin's 'sensor-range' ends
 *    with the next good measurement and no event says so. A verdict that names a fault is shown
 *    even when its event was never seen (the page started after it).
 * Memory is bounded: at most MAX_PER_DEVICE open faults per device, the oldest forgotten first.
 */
import type { StateValue } from '../../firmware/devices/types.js';

export const CONTROLLER_FAULTS: ReadonlySet<string> = new Set(['pir-stuck-high', 'pir-silent', 'sensor-range']);
const CLOSES: Record<string, string[]> = {
  'pir-recovered': ['pir-stuck-high', 'pir-silent'],
  'link-up': ['link-down', 'link-silent'],
};
const MAX_PER_DEVICE = 16;

export class OpenFaults {
  private readonly open = new Map<string, Set<string>>();

  /** Every event a device emits, in order. */
  event(device: string, name: string, severity: string): void {
    if (severity === 'fault') {
      const set = this.open.get(device) ?? new Set<string>();
      set.delete(name); // re-inserted as the newest
      set.add(name);
      if (set.size > MAX_PER_DEVICE) set.delete(set.values().next().value!);
      this.open.set(device, set);
      return;
    }
    const set = this.open.get(device);
    if (set === undefined) return;
    if (name === 'node-restarted') {
      this.open.delete(device);
      return;
    }
    const ended = /^(.+)-(cleared|recovered)$/.exec(name);
    for (const f of [...(CLOSES[name] ?? []), ...(ended ? [ended[1]!] : [])]) set.delete(f);
    if (set.size === 0) this.open.delete(device);
  }

  /** The device's open faults, given the state it reports now; sorted by name. */
  of(device: string, state: { [key: string]: StateValue }): string[] {
    const out = new Set(this.open.get(device) ?? []);
    const verdict = state['faults'];
    if (typeof verdict === 'string') {
      for (const f of CONTROLLER_FAULTS) if (f !== verdict) out.delete(f);
      if (verdict !== '' && verdict !== 'none') out.add(verdict);
    }
    return [...out].sort();
  }

  /** Forgets devices no longer on the gateway. */
  retain(devices: ReadonlySet<string>): void {
    for (const d of this.open.keys()) if (!devices.has(d)) this.open.delete(d);
  }
}
