/**
 * Command results and argument checks shared by the controllers. A check returns a failed
 * CommandResult whose message names the command, the argument and what is allowed, or
 * undefined when the argument is fine, so a controller can list its checks in order.
 */
import type { Command, CommandResult } from './types.js';

export type CommandCode = 'OK' | 'E_CMD_UNKNOWN' | 'E_CMD_ARGS' | 'E_CMD_RANGE' | 'E_CMD_STATE';

export function done(message: string): CommandResult {
  return { ok: true, code: 'OK', message };
}

export function refuse(code: CommandCode, message: string): CommandResult {
  return { ok: false, code, message };
}

export function unknownCommand(cmd: Command, known: string[]): CommandResult {
  return refuse('E_CMD_UNKNOWN', "unknown command '" + String(cmd.name) + "'; this device accepts " + known.join(', '));
}

function rangeText(min: number, max: number, minExclusive: boolean): string {
  const low = minExclusive ? '> ' + min : '>= ' + min;
  if (max === Infinity) return low;
  if (!minExclusive) return 'within ' + min + '..' + max;
  return low + ' and <= ' + max;
}

/**
 * `args[name]` must be a finite number in range (`minExclusive`: the minimum itself is not
 * allowed). `optional`: a missing argument passes.
 */
export function checkNumber(cmd: Command, name: string, min: number, max: number, minExclusive: boolean,
  optional: boolean): CommandResult | undefined {
  const args = cmd.args || {};
  const v = args[name];
  const allowed = rangeText(min, max, minExclusive);
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !isFinite(v)) {
    return refuse('E_CMD_ARGS', cmd.name + " needs arg '" + name + "', a number " + allowed + ', got ' + String(v));
  }
  if ((minExclusive ? v <= min : v < min) || v > max) {
    return refuse('E_CMD_RANGE', cmd.name + " arg '" + name + "' must be " + allowed + ', got ' + v);
  }
  return undefined;
}

export function checkBoolean(cmd: Command, name: string): CommandResult | undefined {
  const v = (cmd.args || {})[name];
  if (typeof v !== 'boolean') {
    return refuse('E_CMD_ARGS', cmd.name + " needs arg '" + name + "', true or false, got " + String(v));
  }
  return undefined;
}
