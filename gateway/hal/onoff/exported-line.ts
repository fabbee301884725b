/**
 * One GPIO exported through onoff for one HAL resource, and its release. Opening cleans up
 * after a run that crashed hard (SIGKILL, power loss, the watchdog) and so never unexported:
 * a GPIO found exported already, or refused with EBUSY, is unexported and exported again, and
 * that is logged. Release (unwatch, unexport) happens once, whether close(), the HAL's close()
 * or the exit hook gets there first.
 */
import { halError } from '../../../firmware/hal/errors.js';
import type { PinId } from '../../../firmware/hal/pins.js';
import type { Logger } from '../../log/logger.js';
import type { ExitRelease } from './exit-release.js';
import { SYSFS_GPIO, type Direction, type GpioClass, type GpioEdge, type GpioLine, type SysfsGpio } from './gpio-api.js';
import { exportFailed, heldElsewhere, type BaseInUse, type ExportAttempt } from './gpio-errors.js';

/** What every line of one HAL shares, resolved at the first open. */
export interface LineContext {
  Gpio: GpioClass;
  /** Undefined when tests inject a Gpio without a fake sysfs: no leftover check then. */
  sysfs: SysfsGpio | undefined;
  base: BaseInUse;
  log: Logger;
  exitRelease: ExitRelease;
}

export class ExportedLine {
  private state: 'exported' | 'released' = 'exported';

  private constructor(private readonly ctx: LineContext, readonly pin: PinId, readonly gpio: GpioLine, readonly number: number) {
    ctx.exitRelease.add(number, () => this.release());
  }

  /** Exports BCM `bcm` for `pin`, or throws a HalError that says what to fix. */
  static open(ctx: LineContext, pin: PinId, bcm: number, direction: Direction, edge?: GpioEdge): ExportedLine {
    const attempt: ExportAttempt = { pin, gpio: bcm + ctx.base.value, base: ctx.base };
    const n = attempt.gpio;
    if (ctx.exitRelease.has(n)) {
      throw halError('E_HAL_PIN_IN_USE', pin, `GPIO ${pin} (sysfs GPIO ${n}) is already open in this process, through another OnoffHal`);
    }
    if (ctx.sysfs?.exists(`${SYSFS_GPIO}/gpio${n}`)) {
      ctx.log.warn('gpio.leftover-export', { pin, gpio: n, action: 'unexported and exported again', cause: 'left exported by a run that did not stop cleanly' });
      unexport(ctx.sysfs, n);
    }
    const make = (): GpioLine => (edge === undefined ? new ctx.Gpio(n, direction) : new ctx.Gpio(n, direction, edge));
    try {
      return new ExportedLine(ctx, pin, make(), n);
    } catch (err) {
      if (codeOf(err) !== 'EBUSY') throw failed(ctx, attempt, err);
      if (ctx.sysfs === undefined) throw heldElsewhere(attempt);
      ctx.log.warn('gpio.busy-reexport', { pin, gpio: n, action: 'unexported and exported again', cause: 'export refused with EBUSY' });
      unexport(ctx.sysfs, n);
      try {
        return new ExportedLine(ctx, pin, make(), n);
      } catch (again) {
        throw failed(ctx, attempt, again);
      }
    }
  }

  /** Stops the watch and unexports; later calls do nothing. */
  release(): void {
    if (this.state === 'released') return;
    this.state = 'released';
    this.ctx.exitRelease.remove(this.number);
    try {
      this.gpio.unwatchAll();
    } finally {
      this.gpio.unexport();
    }
  }
}

/** The HalError for a failed open, after unexporting whatever the attempt left exported. */
function failed(ctx: LineContext, attempt: ExportAttempt, err: unknown): Error {
  if (ctx.sysfs?.exists(`${SYSFS_GPIO}/gpio${attempt.gpio}`)) unexport(ctx.sysfs, attempt.gpio);
  return exportFailed(attempt, err);
}

function unexport(sysfs: SysfsGpio, n: number): void {
  try {
    sysfs.write(`${SYSFS_GPIO}/unexport`, String(n));
  } catch {
    // Not exported after all, or no permission: the export that follows says what is wrong.
  }
}

function codeOf(err: unknown): unknown {
  return (err as { code?: unknown } | null)?.code;
}
