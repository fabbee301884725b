/**
 * The Espruino globals our HAL wraps (/work/shared/ESPRUINO.md "The pin API our HAL wraps"),
 * typed after Espruino's reference (espruino.com/Reference; the `typescript` annotations in
 * src/jswrap_io.c, jswrap_espruino.c, jswrap_serial.c, jswrap_storage.c).
 *
 * Only firmware/tsconfig.json includes this file: these names (setTimeout, require, process,
 * console…) would clash with Node's own in the root project.
 */

/** A pin name such as 'D2' or 'A0'. Espruino accepts a pin's name as a string wherever a pin goes. */
type Pin = string;

type PinMode =
  | 'analog'
  | 'input'
  | 'input_pullup'
  | 'input_pulldown'
  | 'output'
  | 'opendrain'
  | 'opendrain_pullup'
  | 'af_output'
  | 'af_opendrain';

/** What E.toUint8Array / E.toString accept: numbers, strings, arrays and views, nested. */
type Uint8ArrayResolvable =
  | number
  | string
  | Uint8ArrayResolvable[]
  | ArrayBuffer
  | ArrayBufferView
  | { data: Uint8ArrayResolvable; count: number }
  | { callback: () => Uint8ArrayResolvable };

// ---------------------------------------------------------------- pins

/** Set a pin's mode; with no mode (or 'auto') Espruino picks it on the next read/write. */
declare function pinMode(pin: Pin, mode?: PinMode | 'auto', automatic?: boolean): void;
/** The pin's level: 1 or 0. */
declare function digitalRead(pin: Pin): number;
declare function digitalWrite(pin: Pin, value: boolean | number): void;
/**
 * Pulse the pin to `value` for `time` ms using a hardware timer; returns at once. An array of
 * times outputs a square wave starting with `value`. `digitalPulse(pin, 1, 0)` waits for the
 * previous pulse to finish.
 */
declare function digitalPulse(pin: Pin, value: boolean | number, time: number | number[]): void;
/** The pin's analog value, 0..1. */
declare function analogRead(pin: Pin): number;
/** PWM (or DAC) output, 0..1. Giving `freq` forces PWM. */
declare function analogWrite(pin: Pin, value: number, options?: { freq?: number; soft?: boolean; forceSoft?: boolean }): void;

/** What a setWatch callback receives; times are getTime() seconds. */
interface WatchEvent {
  state: boolean;
  time: number;
  lastTime: number;
  /** The level of the `data` pin, when the watch was given one. */
  data?: boolean;
}

interface WatchOptions {
  repeat?: boolean;
  edge?: 'rising' | 'falling' | 'both' | 1 | -1 | 0;
  /** Milliseconds. */
  debounce?: number;
  irq?: boolean;
  data?: Pin;
  hispeed?: boolean;
}

/** Call `callback` when `pin` changes; returns an id for clearWatch. */
declare function setWatch(callback: (event: WatchEvent) => void, pin: Pin, options?: WatchOptions | boolean): number;
/** Remove one watch. Without an id every watch is removed. */
declare function clearWatch(id?: number): void;

// ---------------------------------------------------------------- time

/** Seconds since start (or since setTime), as a float. */
declare function getTime(): number;
declare function setTimeout(callback: (...args: any[]) => void, timeoutMs?: number, ...args: any[]): number;
declare function setInterval(callback: (...args: any[]) => void, timeoutMs?: number, ...args: any[]): number;
/** Without an id every timeout is cleared. */
declare function clearTimeout(id?: number): void;
/** Without an id every interval is cleared. */
declare function clearInterval(id?: number): void;

// ---------------------------------------------------------------- serial ports

interface SerialOptions {
  rx?: Pin;
  tx?: Pin;
  ck?: Pin;
  cts?: Pin;
  bytesize?: number;
  parity?: null | 'none' | 'o' | 'odd' | 'e' | 'even';
  stopbits?: number;
  flow?: null | undefined | 'none' | 'xon' | 'xoff';
  path?: string;
  errors?: boolean;
}

/** A UART (Serial1…), or a virtual device such as USB or LoopbackA. */
interface Serial {
  setup(baudrate?: number, options?: SerialOptions): void;
  /** `data` arrives as a string of 8-bit characters. */
  on(event: 'data', listener: (data: string) => void): void;
  on(event: 'framing' | 'parity', listener: () => void): void;
  removeListener(event: string, listener: Function): void;
  removeAllListeners(event?: string): void;
  /** Strings are sent as-is, numbers as one byte each, arrays and views element by element. */
  write(...data: (string | number | number[] | ArrayBufferView | ArrayBuffer)[]): void;
  print(text: string): void;
  println(text: string): void;
  available(): number;
  read(chars?: number): string;
  /** Make this device the JavaScript console (REPL); `force` keeps it there when USB connects. */
  setConsole(force?: boolean): void;
}

declare var Serial1: Serial;
declare var Serial2: Serial;
declare var USB: Serial;
declare var LoopbackA: Serial;
declare var LoopbackB: Serial;

// ---------------------------------------------------------------- E, process, storage, console

interface EspruinoE {
  /** 'init' runs after load, when the saved code starts (also after a power cycle). */
  on(event: 'init' | 'kill', listener: () => void): void;
  on(event: 'errorFlag', listener: (flags: string[]) => void): void;
  /**
   * Reset the chip if it has not returned to the idle loop within `timeout` seconds. With
   * `isAuto` false, E.kickWatchdog() must be called instead. Cannot be switched off once on;
   * not on ESP8266.
   */
  enableWatchdog(timeout: number, isAuto?: boolean): void;
  kickWatchdog(): void;
  /** Chip temperature in °C (approximate). */
  getTemperature(): number;
  toUint8Array(...args: Uint8ArrayResolvable[]): Uint8Array;
  /** A flat string of the arguments' bytes, or undefined if no flat string could be made. */
  toString(...args: Uint8ArrayResolvable[]): string | undefined;
  toArrayBuffer(str: string): ArrayBuffer;
  getErrorFlags(): string[];
  /** Hard-resets the chip (after which saved code runs again, as at power-on). */
  reboot(): void;
  setConsole(device: 'Serial1' | 'USB' | 'Bluetooth' | 'Telnet' | 'Terminal' | Serial | null, options?: { force?: boolean }): void;
}
declare var E: EspruinoE;

interface MemoryUsage {
  /** Free JsVars. */
  free: number;
  /** JsVars in use. */
  usage: number;
  /** Total JsVars. */
  total: number;
  history: number;
  gc: number;
  gctime: number;
  blocksize: number;
}

declare var process: {
  readonly version: string;
  readonly env: { [key: string]: any };
  /** Memory use in JsVars; by default runs a garbage collection first. */
  memory(gc?: boolean): MemoryUsage;
  on(event: 'uncaughtException', listener: (e: any) => void): void;
};

/** The flash file system, `require('Storage')`. Names are up to 28 characters. */
interface StorageModule {
  read(name: string, offset?: number, length?: number): string | undefined;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  readJSON(name: string, noExceptions: boolean): any;
  /** Writing with `size` larger than `data` creates the file and later calls fill it at `offset`. */
  write(name: string, data: string | ArrayBuffer | ArrayBufferView | number[], offset?: number, size?: number): boolean;
  writeJSON(name: string, data: any): boolean;
  erase(name: string): void;
  list(regex?: RegExp, filter?: { sf?: boolean }): string[];
  getFree(): number;
  compact(): void;
}

declare function require(moduleName: 'Storage'): StorageModule;

/** Save the interpreter state to flash, so it resumes (with E.on('init')) after power-up. */
declare function save(): void;
/** Reset the interpreter: clears code and timers, keeps saved code unless `clearFlash`. */
declare function reset(clearFlash?: boolean): void;
/** Reload: clear RAM and run the saved code (or the named Storage file). */
declare function load(filename?: string): void;
declare function print(...text: any[]): void;

declare var console: {
  log(...text: any[]): void;
};
