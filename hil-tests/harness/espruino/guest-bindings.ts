/**
 * The host functions the guest prelude calls as `H.name(...)`: each converts guest values into
 * calls on the fake board's parts. They run inside a guest call, so they never call back into
 * the guest; anything that must reach the guest later goes through a clock timer. A host
 * function that throws raises an Error in the guest with the same message.
 */
import type { Level } from '../../../firmware/hal/pins.js';
import type { VirtualClock } from '../virtual-clock.js';
import type { FakeStorage } from './fake-storage.js';
import type { GuestTimers } from './guest-timers.js';
import type { PinDriver } from './pin-driver.js';
import type { HostFunction } from './quickjs-vm.js';
import type { WatchTable } from './watch-table.js';
import type { Watchdog } from './watchdog.js';

/** What the guest was running when something happened. */
export type GuestEntry = 'boot' | 'init' | 'timer' | 'watch' | 'serial' | 'event' | 'kill';

/** The board parts and node services the bindings reach. */
export interface BindingsHost {
  clock: VirtualClock;
  storage: FakeStorage;
  pins: PinDriver;
  watches: WatchTable;
  guestTimers: GuestTimers;
  watchdog: Watchdog;
  uncaught(name: string, message: string, stack: string): void;
  print(text: string): void;
  wake(): void;
  nowMs(): number;
  setTime(seconds: number): void;
  temperature(): number;
  reboot(reason: string, file: string): void;
  memoryVars(): number;
  setConsole(device: string): void;
  getConsole(): string;
  serialSetup(port: string, baud: number, rx: string, tx: string): void;
  serialWrite(port: string, bytes: Uint8Array): void;
  /** The pin's level now (a new watch does not report it). */
  level(pin: string): Level;
}

type Binding = { fn: HostFunction; buffers?: number[] };

const s = (v: unknown): string => String(v);
const n = (v: unknown): number => Number(v);
const level = (v: unknown): Level => (v ? 1 : 0);

export function guestBindings(h: BindingsHost): Record<string, Binding> {
  const b: Record<string, Binding> = {};
  const add = (name: string, fn: HostFunction, buffers?: number[]) => {
    b[name] = buffers === undefined ? { fn } : { fn, buffers };
  };

  // interpreter
  add('uncaught', (name, message, stack) => h.uncaught(s(name), s(message), s(stack)));
  add('print', (text) => h.print(s(text)));
  add('wake', () => h.wake());
  add('timerSet', (ms, repeat) => h.guestTimers.set(n(ms), repeat === true));
  add('timerClear', (id) => h.guestTimers.clear(n(id)));
  add('timerChange', (id, ms) => h.guestTimers.change(n(id), n(ms)));
  add('nowMs', () => h.nowMs());
  add('setTime', (seconds) => h.setTime(n(seconds)));
  add('temperature', () => h.temperature());
  add('watchdogEnable', (timeout, auto) => h.watchdog.enable(n(timeout), auto === true));
  add('watchdogKick', () => h.watchdog.kick());
  add('reboot', (reason, file) => h.reboot(s(reason), s(file)));
  add('memoryVars', () => h.memoryVars());
  add('setConsole', (device) => h.setConsole(s(device)));
  add('getConsole', () => h.getConsole());

  // pins and watches
  add('pinMode', (pin, mode, automatic) => h.pins.pinMode(s(pin), s(mode), automatic === true));
  add('getPinMode', (pin) => h.pins.getPinMode(s(pin)));
  add('digitalRead', (pin) => h.pins.digitalRead(s(pin)));
  add('digitalWrite', (pin, value) => h.pins.digitalWrite(s(pin), level(value)));
  add('digitalPulse', (pin, value, ms) => h.pins.digitalPulse(s(pin), level(value), n(ms)));
  add('analogRead', (pin) => h.pins.analogRead(s(pin)));
  add('analogWrite', (pin, value, freq) => h.pins.analogWrite(s(pin), n(value), n(freq)));
  add('watchSet', (pin, edge, debounce, repeat) => {
    const name = s(pin);
    h.pins.watch(name);
    const e = s(edge) as 'rising' | 'falling' | 'both';
    return h.watches.add({ pin: name, edge: e, debounceMs: n(debounce), repeat: repeat === true }, h.level(name));
  });
  add('watchClear', (id) => h.watches.clear(n(id)));
  add('watchClearAll', () => h.watches.clearAll());

  // serial ports
  add('serialSetup', (port, baud, rx, tx) => h.serialSetup(s(port), n(baud), s(rx), s(tx)));
  add('serialWrite', (port, data) => h.serialWrite(s(port), new Uint8Array(data as ArrayBuffer)), [1]);

  // Storage
  add('storageRead', (name, offset, length) => {
    const bytes = h.storage.read(s(name), n(offset), n(length));
    return bytes === undefined ? undefined : (bytes.buffer as ArrayBuffer);
  });
  add('storageWrite', (name, data, offset, size) =>
    h.storage.write(s(name), new Uint8Array(data as ArrayBuffer), n(offset), n(size)), [1]);
  add('storageErase', (name) => h.storage.erase(s(name)));
  add('storageEraseAll', () => h.storage.eraseAll());
  add('storageList', () => JSON.stringify(h.storage.list()));
  add('storageFree', () => h.storage.getFree());
  return b;
}
