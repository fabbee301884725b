/**
 * The emergency corridor: every lamp along a named route (the site file's `corridors`) at full
 * level for 1..240 minutes, then back to whatever it would be doing by then (its schedule,
 * motion, an override with time left), not to what it did before.
 *
 * Each lamp is sent its own timed emergency (`emergency {on: true, durationS}`): the lamp's
 * controller, on the gateway or on a serial node, ends it by itself. Nothing on the gateway has
 * to remember to switch the corridor off, so a gateway restart mid-corridor never leaves a street
 * at full: a node ends it on time, a lamp hosted by the gateway restarts on its normal behaviour.
 *   corridor {minutes}   corridor-end {}  (switches the emergency off along the route at once)
 */
import { checkNumber, refuse, unknownCommand } from '../../firmware/devices/command-args.js';
import type { Command, CommandResult } from '../../firmware/devices/types.js';
import type { CommandReply } from './rejection.js';

export const CORRIDOR_COMMANDS = ['corridor', 'corridor-end'];
export const MAX_CORRIDOR_MIN = 240;

export interface CommandTarget {
  command(deviceId: string, cmd: Command): CommandResult;
}

type CorridorResult = Omit<CommandReply, 'counter' | 'target'>;

/** The per-lamp command for a corridor command, or the refusal of its arguments. */
export function corridorLampCommand(cmd: Command): Command | CommandResult {
  if (cmd.name === 'corridor') {
    const bad = checkNumber(cmd, 'minutes', 1, MAX_CORRIDOR_MIN, false, false);
    if (bad) return bad;
    if (!Number.isInteger(cmd.args.minutes)) return refuse('E_CMD_ARGS', `corridor arg 'minutes' must be a whole number of minutes, got ${String(cmd.args.minutes)}`);
    return { name: 'emergency', args: { on: true, durationS: (cmd.args.minutes as number) * 60 } };
  }
  if (cmd.name === 'corridor-end') return { name: 'emergency', args: { on: false } };
  return unknownCommand(cmd, CORRIDOR_COMMANDS);
}

const isResult = (v: Command | CommandResult): v is CommandResult => (v as CommandResult).code !== undefined;

/** Sends the corridor command to every lamp of the route; ok only when every lamp took it. */
export function runCorridor(route: string, lamps: string[], cmd: Command, target: CommandTarget): CorridorResult {
  const extra = Object.keys(cmd.args).filter((k) => k !== 'minutes' || cmd.name !== 'corridor');
  if (extra.length > 0) return { ok: false, code: 'E_CMD_ARGS', message: `${cmd.name} takes ${cmd.name === 'corridor' ? "only 'minutes'" : 'no arguments'}; found ${extra.join(', ')}` };
  const perLamp = corridorLampCommand(cmd);
  if (isResult(perLamp)) return { ok: perLamp.ok, code: perLamp.code, message: perLamp.message };
  const results = lamps.map((device) => ({ device, ...target.command(device, perLamp) }));
  const failed = results.filter((r) => !r.ok);
  const what = cmd.name === 'corridor' ? `at full for ${cmd.args.minutes} min` : 'emergency ended';
  if (failed.length === 0) return { ok: true, code: 'OK', message: `corridor ${route}: ${lamps.length} lamps ${what}`, lamps: results };
  const code = failed.length === results.length ? failed[0]!.code : 'E_CMD_PARTIAL';
  return {
    ok: false, code, lamps: results,
    message: `corridor ${route}: ${results.length - failed.length} of ${results.length} lamps ${what}; refused: ${failed.map((f) => `${f.device} (${f.code} ${f.message})`).join('; ')}`,
  };
}
