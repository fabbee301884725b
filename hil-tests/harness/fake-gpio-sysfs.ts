/**
 * The kernel side of a fake Raspberry Pi GPIO: /sys/class/gpio with its gpiochips, the export
 * and unexport files and one directory per exported GPIO (value, direction, edge, active_low).
 * fake-gpio.ts builds an onoff-compatible Gpio class on it, and the onoff backend reads it as its
 * SysfsGpio, so both see one state. Tests play the outside world: drive an input, read what an
 * output drives, leave a GPIO exported as a crashed run would, and make the next export or
 * unexport fail with the error a real Pi gives (EACCES, EBUSY, EINVAL...).
 *
 * It behaves as the kernel does where the backend cares: a number outside every chip is EINVAL
 * (so a Pi 5 layout refuses BCM numbers written without the 571 offset), exporting an exported
 * GPIO is EBUSY, unexporting one that is not is EINVAL, writing an input's value is EPERM, and
 * an output keeps driving its level after it is unexported, as Raspberry Pi kernels do
 * (pinctrl_bcm2835.persist_gpio_outputs; sysfs always did): exporting it again finds it an output.
 */
import type { Level } from '../../firmware/hal/pins.js';
import type { Edge } from 'onoff';
import { SYSFS_GPIO, type SysfsGpio } from '../../gateway/hal/onoff/gpio-api.js';

export interface FakeChip {
  base: number;
  ngpio: number;
  label: string;
}

/** Linux before 6.6 on a Pi 4: BCM numbers are sysfs numbers. */
export const PI4_CHIPS: FakeChip[] = [{ base: 0, ngpio: 58, label: 'pinctrl-bcm2711' }, { base: 504, ngpio: 8, label: 'raspberrypi-exp-gpio' }];
/** A Pi 4 on Linux 6.6: the header chip starts at 512. */
export const PI4_CHIPS_6_6: FakeChip[] = [{ base: 512, ngpio: 58, label: 'pinctrl-bcm2711' }, { base: 570, ngpio: 8, label: 'raspberrypi-exp-gpio' }];
/** A Pi 5 on Linux 6.6: the header hangs off RP1, whose chip starts at 571. */
export const PI5_CHIPS: FakeChip[] = [
  { base: 512, ngpio: 32, label: 'gpio-brcmstb@107d508500' }, { base: 544, ngpio: 4, label: 'gpio-brcmstb@107d508520' },
  { base: 548, ngpio: 17, label: 'gpio-brcmstb@107d517c00' }, { base: 565, ngpio: 6, label: 'gpio-brcmstb@107d517c20' },
  { base: 571, ngpio: 54, label: 'pinctrl-rp1' },
];

export type FakeErrorCode = 'EACCES' | 'EPERM' | 'EBUSY' | 'EINVAL' | 'ENOENT' | 'EIO';
/** 'open' is opening an exported GPIO's value file. */
export type FakeOp = 'export' | 'unexport' | 'open';

export interface FakeLine {
  direction: 'in' | 'out';
  edge: Edge;
  activeLow: boolean;
  /** The level an output drives (physical). */
  driven: Level;
}

const DESCRIPTIONS: Record<FakeErrorCode, string> = {
  EACCES: 'permission denied', EPERM: 'operation not permitted', EBUSY: 'resource busy or locked',
  EINVAL: 'invalid argument', ENOENT: 'no such file or directory', EIO: 'i/o error',
};

/** An error shaped like the one node:fs throws. */
export function fsError(code: FakeErrorCode, syscall: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${DESCRIPTIONS[code]}, ${syscall} '${path}'`), { code, syscall, path });
}

export class FakeGpioSysfs implements SysfsGpio {
  /** False: the export file cannot be written (not a Pi, or no permission); Gpio.accessible says so. */
  accessible: boolean;
  readonly chips: FakeChip[];
  /** Every export and unexport that succeeded, in order. */
  readonly operations: Array<{ op: 'export' | 'unexport'; gpio: number }> = [];
  private readonly lines = new Map<number, FakeLine>();
  private readonly outside = new Map<number, Level>();
  /** Levels of outputs that were unexported and still drive the pin. */
  private readonly kept = new Map<number, Level>();
  private readonly failures: Array<{ gpio: number; op: FakeOp; code: FakeErrorCode }> = [];
  private readonly listeners = new Map<number, Set<() => void>>();
  private readonly wires = new Map<number, number>();

  constructor(options: { chips?: FakeChip[]; accessible?: boolean } = {}) {
    this.chips = options.chips ?? PI4_CHIPS;
    this.accessible = options.accessible ?? true;
  }

  // ---- the kernel, as the fake Gpio uses it ----

  export(gpio: number): void {
    this.injected(gpio, 'export', 'write', `${SYSFS_GPIO}/export`);
    if (!this.accessible) throw fsError('EACCES', 'open', `${SYSFS_GPIO}/export`);
    if (!this.chips.some((c) => gpio >= c.base && gpio < c.base + c.ngpio)) throw fsError('EINVAL', 'write', `${SYSFS_GPIO}/export`);
    if (this.lines.has(gpio)) throw fsError('EBUSY', 'write', `${SYSFS_GPIO}/export`);
    this.addLine(gpio);
    this.operations.push({ op: 'export', gpio });
  }

  unexport(gpio: number): void {
    this.injected(gpio, 'unexport', 'write', `${SYSFS_GPIO}/unexport`);
    if (!this.accessible) throw fsError('EACCES', 'open', `${SYSFS_GPIO}/unexport`);
    const line = this.lines.get(gpio);
    if (line === undefined) throw fsError('EINVAL', 'write', `${SYSFS_GPIO}/unexport`);
    if (line.direction === 'out') this.kept.set(gpio, line.driven);
    this.lines.delete(gpio);
    this.operations.push({ op: 'unexport', gpio });
  }

  /** Opening gpioN/value: fails when not exported, or when a failure was injected. */
  openValue(gpio: number): void {
    this.injected(gpio, 'open', 'open', `${SYSFS_GPIO}/gpio${gpio}/value`);
    this.line(gpio);
  }

  /** The exported GPIO's settings; ENOENT when it is not exported. */
  line(gpio: number): FakeLine {
    const line = this.lines.get(gpio);
    if (line === undefined) throw fsError('ENOENT', 'open', `${SYSFS_GPIO}/gpio${gpio}/value`);
    return line;
  }

  /** The physical level on the pin: what an output drives (exported or not), else what the outside world drives. */
  level(gpio: number): Level {
    const line = this.lines.get(gpio);
    if (line !== undefined) return line.direction === 'out' ? line.driven : (this.outside.get(gpio) ?? 0);
    return this.kept.get(gpio) ?? this.outside.get(gpio) ?? 0;
  }

  /** True while the pin is an output, exported or left driving after unexport. */
  isOutput(gpio: number): boolean {
    const line = this.lines.get(gpio);
    return line !== undefined ? line.direction === 'out' : this.kept.has(gpio);
  }

  /** An output's level: what the pin drives (physical), seen by a wired partner at once. */
  setDriven(gpio: number, level: Level): void {
    this.line(gpio).driven = level;
    this.propagate(gpio);
  }

  /** 'high' and 'low' make an output driving that level, as the sysfs direction file does. */
  setDirection(gpio: number, direction: 'in' | 'out' | 'high' | 'low'): void {
    const line = this.line(gpio);
    if (direction === 'high' || direction === 'low') line.driven = direction === 'high' ? 1 : 0;
    line.direction = direction === 'in' ? 'in' : 'out';
    this.propagate(gpio);
  }

  /** Called (synchronously) whenever an interrupt-enabled edge happens on `gpio`. */
  onInterrupt(gpio: number, listener: () => void): () => void {
    let set = this.listeners.get(gpio);
    if (set === undefined) this.listeners.set(gpio, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  // ---- the outside world and failures, for tests ----

  /** Drives the pin from outside; an exported input with a matching edge raises an interrupt. */
  drive(gpio: number, level: Level): void {
    const before = this.level(gpio);
    this.outside.set(gpio, level);
    const line = this.lines.get(gpio);
    if (line === undefined || line.direction !== 'in' || before === level) return;
    const logical = line.activeLow ? 1 - level : level;
    const wanted = line.edge === 'both' || (line.edge === 'rising' && logical === 1) || (line.edge === 'falling' && logical === 0);
    if (wanted) for (const l of [...(this.listeners.get(gpio) ?? [])]) l();
  }

  /** Wires two pins together (a loopback pair): whichever is an output drives the other. */
  wire(a: number, b: number): void {
    this.wires.set(a, b);
    this.wires.set(b, a);
  }

  /** Leaves `gpio` exported as a run that was killed would (an output driving `level`). */
  leaveExported(gpio: number, direction: 'in' | 'out' = 'in', level: Level = 0): void {
    if (direction === 'out') this.kept.set(gpio, level);
    this.addLine(gpio);
  }

  /** The next `times` `op`s on `gpio` fail with `code`. */
  fail(gpio: number, op: FakeOp, code: FakeErrorCode, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ gpio, op, code });
  }

  /** Sysfs numbers exported now. */
  exported(): number[] {
    return [...this.lines.keys()].sort((a, b) => a - b);
  }

  // ---- SysfsGpio: the files, as the onoff backend reads them ----

  list(dir: string): string[] {
    if (dir !== SYSFS_GPIO) return [];
    return ['export', 'unexport', ...this.chips.map((c) => `gpiochip${c.base}`), ...this.exported().map((n) => `gpio${n}`)];
  }

  read(file: string): string | undefined {
    const chip = /^\/sys\/class\/gpio\/gpiochip(\d+)\/(base|label|ngpio)$/.exec(file);
    if (chip) {
      const c = this.chips.find((x) => x.base === Number(chip[1]));
      return c === undefined ? undefined : `${String(c[chip[2] as 'base' | 'label' | 'ngpio'])}\n`;
    }
    const gpio = /^\/sys\/class\/gpio\/gpio(\d+)\/(value|direction|edge|active_low)$/.exec(file);
    const line = gpio ? this.lines.get(Number(gpio[1])) : undefined;
    if (gpio === null || line === undefined) return undefined;
    const n = Number(gpio[1]);
    const text = { value: String(this.level(n) ^ (line.activeLow ? 1 : 0)), direction: line.direction, edge: line.edge, active_low: line.activeLow ? '1' : '0' };
    return `${text[gpio[2] as keyof typeof text]}\n`;
  }

  exists(path: string): boolean {
    if (path === SYSFS_GPIO) return true;
    const m = /^\/sys\/class\/gpio\/(\w+?)(\d*)\/?$/.exec(path);
    if (m === null) return this.read(path) !== undefined || path === `${SYSFS_GPIO}/export` || path === `${SYSFS_GPIO}/unexport`;
    if (m[1] === 'gpiochip') return this.chips.some((c) => c.base === Number(m[2]));
    if (m[1] === 'gpio') return this.lines.has(Number(m[2]));
    return m[2] === '' && (m[1] === 'export' || m[1] === 'unexport');
  }

  write(file: string, data: string): void {
    const n = Number(String(data).trim());
    if (file === `${SYSFS_GPIO}/export`) return this.export(n);
    if (file === `${SYSFS_GPIO}/unexport`) return this.unexport(n);
    throw fsError('EACCES', 'open', file); // the backend writes nothing else directly
  }

  /** A fresh export: an output left driving stays an output, anything else comes up as an input. */
  private addLine(gpio: number): void {
    const kept = this.kept.get(gpio);
    this.kept.delete(gpio);
    this.lines.set(gpio, { direction: kept === undefined ? 'in' : 'out', edge: 'none', activeLow: false, driven: kept ?? 0 });
  }

  private propagate(gpio: number): void {
    const partner = this.wires.get(gpio);
    if (partner !== undefined && this.isOutput(gpio)) this.drive(partner, this.level(gpio));
  }

  private injected(gpio: number, op: FakeOp, syscall: string, path: string): void {
    const i = this.failures.findIndex((f) => f.gpio === gpio && f.op === op);
    if (i < 0) return;
    const [f] = this.failures.splice(i, 1);
    throw fsError(f!.code, syscall, path);
  }
}
