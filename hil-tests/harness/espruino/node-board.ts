/**
 * The hardware side of a fake Espruino board: its pins on the MockHal, watches, timers, UARTs,
 * ultrasonic echoes and watchdog. One NodeBoard lives as long as the FakeEspruino; release()
 * ends everything a boot opened or scheduled (the watchdog excepted: a soft reset keeps it
 * running, so the caller decides). Guest-bound events leave through `enter`, which drops them
 * when no interpreter is running.
 */
import type { PinId } from '../../../firmware/hal/pins.js';
import type { MockHal } from '../mock-hal.js';
import type { VirtualClock } from '../virtual-clock.js';
import { BootTimers } from './boot-timers.js';
import { EchoWiring } from './echo-wiring.js';
import type { GuestEntry } from './guest-bindings.js';
import { GuestTimers } from './guest-timers.js';
import { PinDriver } from './pin-driver.js';
import type { VmValue } from './quickjs-vm.js';
import { FakeSerialPort } from './serial-port.js';
import { WatchTable } from './watch-table.js';
import { Watchdog } from './watchdog.js';

export interface NodeBoardOptions {
  clock: VirtualClock;
  hal: MockHal;
  /** The board has a hardware watchdog. */
  watchdog: boolean;
  serialChunk: number;
  validPin: (pin: PinId) => boolean;
  /** Calls into the guest's dispatcher (ignored while no boot runs). */
  enter: (source: GuestEntry, args: VmValue[]) => void;
  /** getTime() seconds for a monotonic time in ms. */
  seconds: (ms: number) => number;
  /** True while `port` is the console: its input goes to the REPL, not to 'data' listeners. */
  isConsole: (port: string) => boolean;
  /** The console UART's received bytes, for the REPL (absent: a console nobody types at drops them). */
  consoleInput?: (bytes: Uint8Array) => void;
  /** The watchdog bit. */
  onBite: () => void;
}

export class NodeBoard {
  readonly timers: BootTimers;
  readonly guestTimers: GuestTimers;
  readonly watches: WatchTable;
  readonly pins: PinDriver;
  readonly echoes: EchoWiring;
  readonly watchdog: Watchdog;
  private readonly ports = new Map<string, FakeSerialPort>();

  constructor(private readonly o: NodeBoardOptions) {
    this.timers = new BootTimers(o.clock);
    this.guestTimers = new GuestTimers(this.timers, (id) => o.enter('timer', ['timer', id]));
    this.watches = new WatchTable(this.timers, (e) => {
      const lastTime = e.lastTimeMs === undefined ? undefined : o.seconds(e.lastTimeMs);
      o.enter('watch', ['watch', e.id, e.level, o.seconds(e.timeMs), lastTime, e.last, e.pin]);
    });
    this.echoes = new EchoWiring(o.hal, () => this.watches.pins());
    this.pins = new PinDriver(o.hal, this.timers, {
      edge: (pin, level, timeMs) => this.watches.edge(pin, level, timeMs),
      pulseEnded: (pin, value) => this.echoes.pulseEnded(pin, value, this.timers),
    }, o.validPin);
    this.watchdog = new Watchdog(o.clock, o.watchdog, o.onBite);
  }

  /** The UART `name`, created on first use; the same object across boots. */
  port(name: string): FakeSerialPort {
    let port = this.ports.get(name);
    if (port === undefined) {
      port = new FakeSerialPort(this.o.hal, name, this.o.serialChunk);
      this.ports.set(name, port);
    }
    return port;
  }

  openPort(name: string, baud: number, rx?: string, tx?: string): void {
    this.port(name).open(baud, rx, tx, this.timers, (bytes) => {
      if (this.o.isConsole(name)) return this.o.consoleInput?.(bytes);
      this.o.enter('serial', ['serial', name, bytes.buffer as ArrayBuffer]);
    });
  }

  /** Writes to a UART, opening it at 9600 baud first if the node never set it up. */
  writePort(name: string, bytes: Uint8Array): void {
    if (!this.port(name).isOpen()) this.openPort(name, 9600);
    this.port(name).write(bytes);
  }

  /** Ends everything a boot opened or scheduled, except the watchdog. */
  release(): void {
    this.timers.cancelAll();
    this.guestTimers.reset();
    this.watches.reset();
    this.pins.closeAll();
    for (const p of this.ports.values()) p.close();
  }
}
