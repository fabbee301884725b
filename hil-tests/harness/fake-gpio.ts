/**
 * A Gpio class with onoff's API (constructor, read/write, watch, direction, edge, active_low,
 * unexport, Gpio.accessible) on a FakeGpioSysfs, so the onoff backend runs in tests exactly as it
 * would on a Pi. It does what onoff does: a GPIO found exported already is reused rather than
 * exported again, direction 'high'/'low' makes an output with that level, and interrupts reach
 * watch callbacks asynchronously, like epoll: several edges before the callback runs merge into
 * one, which reads the level at that moment and is dropped when that level's edge is not enabled.
 *
 * onoff's debounceTimeout runs on real timers; Kerb debounces on its Clock instead, so this fake
 * refuses the option rather than ignore it.
 */
import type { BinaryValue, Direction, Edge, Options, ValueCallback } from 'onoff';
import { SYSFS_GPIO, type GpioClass } from '../../gateway/hal/onoff/gpio-api.js';
import { FakeGpioSysfs, fsError, type FakeChip } from './fake-gpio-sysfs.js';

/** Builds a Gpio class whose instances live on `sysfs`. */
export function fakeGpioClass(sysfs: FakeGpioSysfs): GpioClass {
  class FakeGpio {
    static readonly HIGH = 1 as const;
    static readonly LOW = 0 as const;
    static get accessible(): boolean {
      return sysfs.accessible;
    }

    private listeners: ValueCallback[] = [];
    private fd: 'open' | 'closed' = 'closed';
    private interrupt: 'idle' | 'pending' = 'idle';
    private stopInterrupts: (() => void) | undefined;
    private rising = false;
    private falling = false;

    constructor(private readonly gpio: number, direction: Direction, edge?: Edge | Options, options?: Options) {
      if (typeof edge === 'object') [edge, options] = [undefined, edge];
      if (options?.debounceTimeout) throw new Error('fake Gpio: debounceTimeout is not modelled; Kerb debounces on its Clock');
      const previouslyExported = sysfs.exists(`${SYSFS_GPIO}/gpio${gpio}`);
      if (!previouslyExported) sysfs.export(gpio);
      // onoff keeps going when reconfiguring a GPIO someone else exported fails.
      const configure = (fn: () => void): void => {
        try {
          fn();
        } catch (err) {
          if (!previouslyExported) throw err;
        }
      };
      if (typeof options?.activeLow === 'boolean') configure(() => this.setActiveLow(options!.activeLow!));
      configure(() => this.setDirection(direction));
      if (edge !== undefined && direction === 'in') configure(() => this.setEdge(edge as Edge));
      sysfs.openValue(gpio);
      this.fd = 'open';
    }

    read(callback: ValueCallback): void;
    read(): Promise<BinaryValue>;
    read(callback?: ValueCallback): Promise<BinaryValue> | void {
      const p = new Promise<BinaryValue>((resolve, reject) => setImmediate(() => {
        try {
          resolve(this.readSync());
        } catch (err) {
          reject(err as Error);
        }
      }));
      if (callback === undefined) return p;
      p.then((v) => callback(null, v), (err: Error) => callback(err, 0));
    }

    readSync(): BinaryValue {
      this.assertFd('read');
      const line = sysfs.line(this.gpio);
      return (sysfs.level(this.gpio) ^ (line.activeLow ? 1 : 0)) as BinaryValue;
    }

    write(value: BinaryValue, callback: (err: Error | null | undefined) => void): void;
    write(value: BinaryValue): Promise<void>;
    write(value: BinaryValue, callback?: (err: Error | null | undefined) => void): Promise<void> | void {
      const p = new Promise<void>((resolve, reject) => setImmediate(() => {
        try {
          resolve(this.writeSync(value));
        } catch (err) {
          reject(err as Error);
        }
      }));
      if (callback === undefined) return p;
      p.then(() => callback(null), (err: Error) => callback(err));
    }

    writeSync(value: BinaryValue): void {
      this.assertFd('write');
      const line = sysfs.line(this.gpio);
      if (line.direction !== 'out') throw fsError('EPERM', 'write', this.path('value'));
      sysfs.setDriven(this.gpio, ((value === 1 ? 1 : 0) ^ (line.activeLow ? 1 : 0)) as BinaryValue);
    }

    watch(callback: ValueCallback): void {
      this.listeners.push(callback);
      if (this.listeners.length === 1) this.stopInterrupts = sysfs.onInterrupt(this.gpio, () => this.raised());
    }

    unwatch(callback?: ValueCallback): void {
      if (this.listeners.length === 0) return;
      this.listeners = typeof callback === 'function' ? this.listeners.filter((l) => l !== callback) : [];
      if (this.listeners.length === 0) {
        this.stopInterrupts?.();
        this.stopInterrupts = undefined;
      }
    }

    unwatchAll(): void {
      this.unwatch();
    }

    direction(): Direction {
      return sysfs.line(this.gpio).direction;
    }

    setDirection(direction: Direction): void {
      sysfs.setDirection(this.gpio, direction);
    }

    edge(): Edge {
      return sysfs.line(this.gpio).edge;
    }

    setEdge(edge: Edge): void {
      sysfs.line(this.gpio).edge = edge;
      this.rising = edge === 'both' || edge === 'rising';
      this.falling = edge === 'both' || edge === 'falling';
    }

    activeLow(): boolean {
      return sysfs.line(this.gpio).activeLow;
    }

    setActiveLow(invert: boolean): void {
      sysfs.line(this.gpio).activeLow = invert;
    }

    unexport(): void {
      this.unwatchAll();
      this.assertFd('close');
      this.fd = 'closed';
      try {
        sysfs.unexport(this.gpio);
      } catch {
        // onoff ignores a failed unexport too.
      }
    }

    /** The kernel flagged an edge: like epoll, one callback for everything until it runs. */
    private raised(): void {
      if (this.interrupt === 'pending') return;
      this.interrupt = 'pending';
      setImmediate(() => {
        this.interrupt = 'idle';
        if (this.fd === 'closed' || this.listeners.length === 0) return;
        const value = this.readSync();
        if ((value === 0 && this.falling) || (value === 1 && this.rising)) {
          for (const l of this.listeners.slice()) l(null, value);
        }
      });
    }

    private assertFd(what: string): void {
      if (this.fd === 'closed') throw Object.assign(new Error(`EBADF: bad file descriptor, ${what}`), { code: 'EBADF' });
    }

    private path(file: string): string {
      return `${SYSFS_GPIO}/gpio${this.gpio}/${file}`;
    }
  }
  const checked: GpioClass = FakeGpio; // onoff's own types check the API
  return checked;
}

/** A fake Pi: its sysfs (test controls) and a Gpio class on it. */
export function createFakeGpio(options: { chips?: FakeChip[]; accessible?: boolean } = {}): { sysfs: FakeGpioSysfs; Gpio: GpioClass } {
  const sysfs = new FakeGpioSysfs(options);
  return { sysfs, Gpio: fakeGpioClass(sysfs) };
}
