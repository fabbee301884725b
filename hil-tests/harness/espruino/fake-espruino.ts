/**
 * A fake Espruino board: runs a compiled bundle in QuickJS (not Node) against Espruino's
 * globals, with its pins on a MockHal and its time on a VirtualClock, so a test drives a node's
 * real bundle exactly as it drives a controller hosted on the MockHal.
 *
 *   off ──boot()/flash()──▶ running ──reset() / watchdog / E.reboot() / powerCycle()──▶ running
 *                             │  └─ a callback that never returns ─▶ hung ─ watchdog ─▶ running
 *                             └──────────────────────dispose()──────────────────────▶ disposed
 *
 * A boot is one QuickJS runtime: the prelude installs the globals (prelude-*.ts), the saved
 * code runs from Storage (boot-files.ts), then E.on('init') handlers, as Espruino does at
 * power-on. Everything a boot opens or schedules is released before the next one (node-board.ts);
 * Storage and the watchdog live on the board and survive a soft reset. Guest exceptions never
 * throw into the test: they land in `errors` and on the console as "Uncaught ...", and the node
 * carries on, like Espruino.
 */
import type { QuickJSHandle, QuickJSWASMModule } from 'quickjs-emscripten';
import type { MockHal } from '../mock-hal.js';
import type { VirtualClock } from '../virtual-clock.js';
import { boardPins, PICO_ALIASES } from './board-pins.js';
import { bootFiles, type BootKind } from './boot-files.js';
import { FakeRepl, type ReplCosts, type ReplStats } from './fake-repl.js';
import { FakeStorage } from './fake-storage.js';
import { guestBindings, type BindingsHost, type GuestEntry } from './guest-bindings.js';
import { jsVarsEstimate } from './js-vars.js';
import { NodeBoard } from './node-board.js';
import { preludeSource, type PreludeConfig } from './prelude.js';
import { loadedQuickJsModule, QuickVm, quickJsModule, type HostFunction, type VmFault, type VmValue } from './quickjs-vm.js';
import type { FakeSerialPort } from './serial-port.js';
import type { WatchdogState } from './watchdog.js';

export type ResetReason = 'power' | 'watchdog' | 'reset()' | 'load()' | 'E.reboot()' | 'flash';

export interface ResetRecord {
  reason: ResetReason;
  /** Monotonic ms of the reboot. */
  time: number;
}

export interface UncaughtError {
  name: string;
  message: string;
  stack: string;
  /** Monotonic ms. */
  time: number;
  /** What the guest was running: top-level code, a timer, a watch, serial data, ... */
  source: GuestEntry;
}

export interface FakeEspruinoOptions {
  clock: VirtualClock;
  hal: MockHal;
  /** The board's flash; pass one to keep files across nodes. */
  storage?: FakeStorage;
  /** The board has a hardware watchdog (default true; false behaves like an ESP8266). */
  watchdog?: boolean;
  /** Most bytes per Serial 'data' event (default 64). */
  serialChunk?: number;
  /** process.env.BOARD (default 'PICO_R1_3'). */
  board?: string;
  /** process.memory().total in JsVars (default 5100, a Pico). */
  totalVars?: number;
  /** QuickJS heap limit per boot (default 4 MiB). */
  memoryLimitBytes?: number;
  /** Wall-clock ms one callback may run before it is interrupted (default 1000). */
  cpuBudgetMs?: number;
  /** Where the REPL is at boot (default 'Serial1': a node in the field has no USB host). */
  console?: string;
  /** Pin names the board has (default boardPins()); 'any' accepts every non-empty name. */
  pins?: string[] | 'any';
  /** E.getTemperature() (default 25); also settable later through `temperature`. */
  temperature?: number;
  /**
   * The console on a UART is Espruino's interactive REPL (fake-repl.ts): banner, echo, prompt,
   * FIFO and flow control. Default false: bytes typed at the console are dropped and print()
   * writes bare lines, as the firmware suites expect of a console nobody types at.
   */
  repl?: boolean;
  /** The virtual time the REPL spends per line (fake-repl.ts DEFAULT_REPL_COSTS). */
  replCosts?: Partial<ReplCosts>;
}

const LOG_LIMIT = 10000;
/** process.env.VERSION: the Espruino release the fake follows (/work/shared/ESPRUINO.md). */
const ESPRUINO_VERSION = '2v29';

function pushBounded<T>(log: T[], item: T): void {
  log.push(item);
  if (log.length >= LOG_LIMIT * 1.5) log.splice(0, log.length - LOG_LIMIT);
}

export class FakeEspruino {
  readonly clock: VirtualClock;
  readonly hal: MockHal;
  readonly storage: FakeStorage;
  /** The far end of Serial1. */
  readonly serial1: FakeSerialPort;
  /** Exceptions no guest code caught (last 10,000). */
  readonly errors: UncaughtError[] = [];
  /** Lines printed by print/console.log and the "Uncaught ..." reports (last 10,000). */
  readonly console: string[] = [];
  /** Every reboot after the first boot, with its reason. */
  readonly resets: ResetRecord[] = [];
  /** What E.getTemperature() returns. */
  temperature: number;

  private state: 'off' | 'running' | 'disposed' = 'off';
  /** Guest code was interrupted for never returning: on the board the event loop is gone. */
  private hung = false;
  private vm: QuickVm | undefined;
  private dispatch: QuickJSHandle | undefined;
  private baselineVars = 0;
  private consoleDevice: string;
  private timeOffsetMs = 0;
  private wakePending = false;
  private rebootTimer: number | undefined;
  private source: GuestEntry = 'boot';
  /** freeze(): the main loop is wedged; only interrupts (the UART's input buffer) still run. */
  private frozen = false;
  /** XON/XOFF asked for with SerialN.setup(baud, {flow:'xon'}); reset() forgets it (jshResetDevices). */
  private readonly flow = new Map<string, boolean>();
  private readonly board: NodeBoard;
  private readonly repl: FakeRepl | undefined;

  static async create(options: FakeEspruinoOptions): Promise<FakeEspruino> {
    return new FakeEspruino(await quickJsModule(), options);
  }

  /** As create(), once QuickJS is loaded (`await quickJsModule()`): for synchronous test rigs. */
  static createLoaded(options: FakeEspruinoOptions): FakeEspruino {
    return new FakeEspruino(loadedQuickJsModule(), options);
  }

  private constructor(private readonly module: QuickJSWASMModule, private readonly options: FakeEspruinoOptions) {
    this.clock = options.clock;
    this.hal = options.hal;
    this.storage = options.storage ?? new FakeStorage();
    this.temperature = options.temperature ?? 25;
    this.consoleDevice = options.console ?? 'Serial1';
    const pins = options.pins ?? boardPins();
    const known = new Set(pins === 'any' ? [] : pins);
    this.board = new NodeBoard({
      clock: this.clock,
      hal: this.hal,
      watchdog: options.watchdog ?? true,
      serialChunk: options.serialChunk ?? 64,
      validPin: (p) => (pins === 'any' ? p.length > 0 : known.has(p)),
      enter: (source, args) => this.enter(source, args),
      seconds: (ms) => (ms + this.timeOffsetMs) / 1000,
      isConsole: (port) => port === this.consoleDevice,
      consoleInput: (bytes) => this.repl?.receive(bytes),
      onBite: () => this.requestReboot('watchdog'),
    });
    this.serial1 = this.board.port('Serial1');
    this.repl = options.repl === true ? new FakeRepl(this.replHost(), options.replCosts) : undefined;
  }

  // ---- lifecycle

  /** Stores `code` as Storage '.bootcde' (as `kerb flash` does) and boots it. */
  flash(code: string): void {
    this.assertAlive();
    this.cancelReboot();
    const running = this.state === 'running';
    if (running) this.teardown('soft');
    this.storage.write('.bootcde', new TextEncoder().encode(code));
    if (running) this.resets.push({ reason: 'flash', time: this.clock.now() });
    this.start('power', 'flash');
  }

  /** Powers the board on: a fresh interpreter runs the saved code, then E.on('init'). */
  boot(): void {
    this.assertAlive();
    if (this.state === 'running') throw new Error('FakeEspruino.boot(): already running; use powerCycle()');
    this.start('power', 'power');
  }

  /** Power off and on: everything but Storage is gone, the watchdog included. */
  powerCycle(): void {
    this.assertAlive();
    this.cancelReboot();
    if (this.state === 'running') this.teardown('hard');
    this.timeOffsetMs = 0;
    this.resets.push({ reason: 'power', time: this.clock.now() });
    this.start('power', 'power');
  }

  dispose(): void {
    if (this.state === 'disposed') return;
    this.cancelReboot();
    if (this.state === 'running') this.teardown('hard');
    this.board.watchdog.off();
    this.repl?.cancel();
    this.state = 'disposed';
  }

  // ---- test controls and observations

  /** Pairs an ultrasonic trigger with its echo pin (needed when several watched pins echo). */
  wireUltrasonic(trigger: string, echo: string): void {
    this.board.echoes.wire(trigger, echo);
  }

  /** The far end of a UART (Serial1 is also `serial1`). */
  port(name: string): FakeSerialPort {
    return this.board.port(name);
  }

  isRunning(): boolean {
    return this.state === 'running';
  }

  /**
   * True after a callback was interrupted for running past the CPU budget: the board would be
   * stuck in it, so no further callbacks run until the watchdog (if enabled) resets the board.
   */
  isHung(): boolean {
    return this.hung;
  }

  /** The device the REPL is on ('Serial1', 'USB', 'LoopbackA', ...). */
  consoleOn(): string {
    return this.consoleDevice;
  }

  /**
   * The board stops answering, as one wedged with interrupts still on: no guest code runs, the
   * console takes no bytes out of its input buffer and prints nothing, while the UART interrupt
   * keeps filling the buffer (and sends XOFF if flow control is on). A watchdog in auto mode
   * stops being kicked and bites; any hardware reset ends the freeze, as it would the wedge.
   */
  freeze(): void {
    this.frozen = true;
    this.board.watchdog.stalled();
  }

  unfreeze(): void {
    this.frozen = false;
    this.repl?.resume();
  }

  /** The REPL's counters (all zero when the fake runs without one). */
  replStats(): ReplStats {
    return this.repl?.stats() ?? { linesRun: 0, fifoHighWater: 0, bytesLost: 0, xoffSent: 0, xonSent: 0 };
  }

  watchdogState(): WatchdogState {
    return this.board.watchdog.state();
  }

  /**
   * Runs `code` in the node like a line typed at its REPL and returns the result as data
   * (JSON-able values; functions and undefined come back undefined). Throws if the code throws.
   */
  evaluate(code: string): unknown {
    const result = this.requireVm().evalData(code, 'repl');
    if (result.fault !== undefined) {
      throw new Error(`evaluate: ${result.fault.name}: ${result.fault.message}\n${result.fault.stack}`);
    }
    return result.value;
  }

  /**
   * Objects alive in the QuickJS heap (JS_ComputeMemoryUsage obj_count) after pending jobs.
   * Acyclic garbage is freed at once; garbage cycles stay counted until QuickJS's collector
   * runs (when the heap has grown by half), so compare maxima over windows for such code.
   */
  liveObjects(): number {
    return this.requireVm().memoryUsage().obj_count ?? 0;
  }

  /** QuickJS's full memory accounting for the running boot. */
  memoryUsage(): Record<string, number> {
    return this.requireVm().memoryUsage();
  }

  /** What process.memory().usage reports (js-vars.ts). */
  memoryVars(): number {
    return Math.max(0, jsVarsEstimate(this.requireVm().memoryUsage()) - this.baselineVars);
  }

  // ---- boots

  private start(kind: BootKind, reason: ResetReason): void {
    const vm = new QuickVm(this.module, {
      memoryLimitBytes: this.options.memoryLimitBytes ?? 4 * 1024 * 1024,
      budgetMs: this.options.cpuBudgetMs ?? 1000,
      // Deeper recursion throws "stack overflow" (Espruino: "Too much recursion") before the
      // wasm frames can exhaust Node's own stack: about 170 plain function frames.
      maxStackBytes: 32 * 1024,
    });
    this.vm = vm;
    this.state = 'running';
    this.hung = false;
    try {
      const prelude = vm.evalValue(preludeSource(), 'espruino-prelude.js');
      const host = vm.hostObject({ ...guestBindings(this.bindingsHost()), ...this.consoleBindings() });
      this.dispatch = vm.invoke(prelude, [host, vm.data(this.preludeConfig())]);
      this.baselineVars = jsVarsEstimate(vm.memoryUsage());
      // A UART that is the console is set up at boot (9600 baud), before any code runs.
      if (this.consoleDevice.startsWith('Serial')) this.board.openPort(this.consoleDevice, 9600);
    } catch (e) {
      this.teardown('hard');
      throw e;
    }
    for (const name of bootFiles(this.storage, kind)) {
      const code = this.storage.readText(name);
      if (code === undefined) continue;
      this.source = 'boot';
      const fault = vm.evalScript(code, name);
      if (fault !== undefined) this.record(fault);
      if (this.hung) break;
    }
    if (!this.hung) this.enter('init', ['init']);
    // jsiSemiInit ends with the banner: after everything but a bare load() (jsiIdle handles a
    // pending flash load without one).
    const hard = reason !== 'reset()' && reason !== 'load()';
    this.repl?.booted({ hard, banner: !(reason === 'load()' && typeof kind !== 'object') });
  }

  private preludeConfig(): PreludeConfig {
    const pins = this.options.pins;
    return {
      env: { VERSION: ESPRUINO_VERSION, BOARD: this.options.board ?? 'PICO_R1_3', CONSOLE: this.consoleDevice },
      totalVars: this.options.totalVars ?? 5100,
      serial: '33ffd605-41573033-15720843',
      pins: pins === undefined || pins === 'any' ? boardPins() : pins,
      aliases: PICO_ALIASES,
      serialPorts: ['Serial1', 'Serial2', 'USB', 'LoopbackA', 'LoopbackB'],
    };
  }

  /** Ends a boot. 'soft' (reset(), load(), flash) runs E.on('kill') and keeps the watchdog. */
  private teardown(kind: 'soft' | 'hard'): void {
    if (kind === 'soft') this.enter('kill', ['kill']);
    this.board.release();
    if (kind === 'hard') this.board.watchdog.off();
    this.wakePending = false;
    this.dispatch = undefined;
    this.vm?.dispose();
    this.vm = undefined;
    this.hung = false;
    if (kind === 'hard') this.frozen = false;
    this.flow.clear();
    this.consoleDevice = this.options.console ?? 'Serial1';
    this.state = 'off';
  }

  /** Reboots from a clock timer: the guest asked for it from inside a call, or the watchdog bit. */
  private requestReboot(reason: ResetReason, clearCode = false, file = ''): void {
    if (this.rebootTimer !== undefined || this.state !== 'running') return;
    // reset() and load() are deferred to the idle loop (jsiStatus flags): the REPL line that asked finishes first.
    if ((reason === 'reset()' || reason === 'load()') && this.repl?.busy()) {
      this.repl.whenIdle(() => this.requestReboot(reason, clearCode, file));
      return;
    }
    this.rebootTimer = this.clock.setTimeout(() => {
      this.rebootTimer = undefined;
      if (this.state !== 'running') return;
      this.teardown(reason === 'reset()' || reason === 'load()' ? 'soft' : 'hard');
      if (clearCode) for (const name of ['.bootcde', '.bootrst']) this.storage.erase(name);
      this.resets.push({ reason, time: this.clock.now() });
      this.start(reason === 'reset()' ? 'reset' : reason === 'load()' && file !== '' ? { file } : 'power', reason);
    }, 0);
  }

  private cancelReboot(): void {
    if (this.rebootTimer !== undefined) this.clock.clearTimer(this.rebootTimer);
    this.rebootTimer = undefined;
  }

  // ---- the guest

  /** Calls into the guest; an exception that escapes is recorded, never thrown to the test. */
  private enter(source: GuestEntry, args: VmValue[]): void {
    if (this.state !== 'running' || this.hung || this.frozen || this.vm === undefined || this.dispatch === undefined) return;
    this.source = source;
    const fault = this.vm.call(this.dispatch, args);
    if (fault !== undefined) this.record(fault);
  }

  private record(fault: VmFault): void {
    this.uncaught(fault.name, fault.message, fault.stack);
    // Uncatchable: the CPU budget ran out, so on the board the event loop never came back.
    if (fault.name === 'InternalError' && fault.message === 'interrupted') {
      this.hung = true;
      this.board.watchdog.stalled();
    }
  }

  private uncaught(name: string, message: string, stack: string): void {
    pushBounded(this.errors, { name, message, stack, time: this.clock.now(), source: this.source });
    this.print(`Uncaught ${name === '' ? '' : name + ': '}${message}`);
  }

  private print(text: string): void {
    pushBounded(this.console, text);
    if (!this.consoleDevice.startsWith('Serial')) return;
    if (this.repl !== undefined) return this.repl.print(text);
    const port = this.board.port(this.consoleDevice);
    if (port.isOpen()) port.write(new TextEncoder().encode(text + '\r\n'));
  }

  private bindingsHost(): BindingsHost {
    const board = this.board;
    return {
      clock: this.clock,
      storage: this.storage,
      pins: board.pins,
      watches: board.watches,
      guestTimers: board.guestTimers,
      watchdog: board.watchdog,
      uncaught: (name, message, stack) => this.uncaught(name, message, stack),
      print: (text) => this.print(text),
      wake: () => {
        if (this.wakePending) return;
        this.wakePending = true;
        board.timers.after(0, () => {
          this.wakePending = false;
          this.enter('event', ['events']);
        });
      },
      nowMs: () => this.clock.now() + this.timeOffsetMs,
      setTime: (seconds) => {
        this.timeOffsetMs = seconds * 1000 - this.clock.now();
      },
      temperature: () => this.temperature,
      reboot: (reason, file) => {
        if (reason === 'reset(true)') this.requestReboot('reset()', true);
        else this.requestReboot(reason as ResetReason, false, file);
      },
      memoryVars: () => this.memoryVars(),
      setConsole: (device) => {
        if (device === this.consoleDevice) return;
        this.repl?.consoleMoving(device);
        const from = this.consoleDevice;
        this.consoleDevice = device;
        this.repl?.consoleMoved(from);
      },
      getConsole: () => this.consoleDevice,
      serialSetup: (port, baud, rx, tx) => {
        if (port.startsWith('Serial')) board.openPort(port, baud, rx || undefined, tx || undefined);
      },
      serialWrite: (port, bytes) => {
        if (port.startsWith('Serial')) board.writePort(port, bytes);
      },
      level: (pin) => this.hal.level(pin),
    };
  }

  /** Host functions of the console: echo(), E.getErrorFlags(), Serial flow control. */
  private consoleBindings(): Record<string, { fn: HostFunction }> {
    return {
      echo: { fn: (on) => this.repl?.setEcho(on === true) },
      errorFlags: { fn: () => JSON.stringify(this.repl?.takeErrorFlags() ?? []) },
      serialFlow: { fn: (port, on) => void this.flow.set(String(port), on === true) },
    };
  }

  private replHost(): ConstructorParameters<typeof FakeRepl>[0] {
    return {
      clock: this.clock,
      version: ESPRUINO_VERSION,
      board: this.options.board ?? 'PICO_R1_3',
      write: (bytes) => {
        const port = this.board.port(this.consoleDevice);
        if (this.consoleDevice.startsWith('Serial') && port.isOpen()) port.write(bytes);
      },
      run: (code) => this.replRun(code),
      freeVars: () => Math.max(0, (this.options.totalVars ?? 5100) - this.memoryVars()),
      storageWear: () => this.storage.totalWear(),
      stalled: () => this.frozen || this.hung || this.state !== 'running',
      rebooting: () => this.rebootTimer !== undefined,
      // USB always has XON/XOFF (jshInitDevices); a UART only when its setup asked for it.
      flowControl: () => this.consoleDevice === 'USB' || this.flow.get(this.consoleDevice) === true,
    };
  }

  /** A line from the REPL, run as global code by the prelude's '#repl' (prelude-repl.ts). */
  private replRun(code: string): { failed: boolean; shown?: string } {
    if (this.vm === undefined) return { failed: true };
    this.source = 'serial';
    const result = this.vm.evalData(`globalThis['#repl'](${JSON.stringify(code)})`, 'repl');
    if (result.fault !== undefined) {
      this.record(result.fault);
      return { failed: true };
    }
    return result.value as { failed: boolean; shown?: string };
  }

  private requireVm(): QuickVm {
    if (this.vm === undefined) throw new Error(`FakeEspruino: the node is ${this.state}, not running`);
    return this.vm;
  }

  private assertAlive(): void {
    if (this.state === 'disposed') throw new Error('FakeEspruino: used after dispose()');
  }
}
