/**
 * The part of the world the onoff backend talks to, as types only: onoff's Gpio class (the real
 * one, or a fake with the same API in tests) and the sysfs files under /sys/class/gpio that
 * onoff does not expose (gpiochip bases, the unexport file). Both are passed in, so tests never
 * touch the real /sys and the gateway runs where onoff is not installed.
 */
import type { Gpio } from 'onoff';

/** onoff's Gpio class: `new Gpio(gpio, direction, edge?, options?)`, `Gpio.accessible`. */
export type GpioClass = typeof Gpio;
/** One exported GPIO, as onoff hands it out. */
export type GpioLine = Gpio;
export type { BinaryValue, Direction, Edge as GpioEdge, Options as GpioOptions, ValueCallback } from 'onoff';

/** Where the sysfs GPIO interface lives. */
export const SYSFS_GPIO = '/sys/class/gpio';

/**
 * The few file operations the backend needs on /sys/class/gpio beyond onoff: listing the
 * gpiochips, reading their base and label, seeing whether a GPIO is exported and unexporting
 * one that a crashed run left behind. Paths are absolute, as under /sys/class/gpio.
 */
export interface SysfsGpio {
  /** Entry names in a directory; [] when it does not exist. */
  list(dir: string): string[];
  /** A file's text, or undefined when it cannot be read. */
  read(file: string): string | undefined;
  exists(path: string): boolean;
  /** Writes `data` to a file; throws the file system's error (with its `code`). */
  write(file: string, data: string): void;
}
