/**
 * The lamp's commands, checked and turned into actions before they touch the controller:
 *   override {level 0..1, durationS}   clear-override {}   emergency {on, durationS?}
 *   schedule {duskOffsetMin?, dawnOffsetMin?}  (-240..240, at least one)
 * with durationS within 1..MAX_DURATION_S (a week): an override or emergency forgotten by its
 * operator still ends, and a duration in ms stays far inside what any timer can hold.
 * A schedule change holds until the controller restarts; the profile's offsets come back then.
 */
import { checkBoolean, checkNumber, refuse, unknownCommand } from './command-args.js';
import type { Command, CommandResult } from './types.js';

export const LAMP_COMMANDS = ['override', 'clear-override', 'emergency', 'schedule'];

/** The longest override or emergency, seconds: 7 days. */
export const MAX_DURATION_S = 604800;

/** The widest dusk or dawn offset, minutes (the profile schema's bound). */
export const MAX_OFFSET_MIN = 240;

export interface LampAction {
  action: 'override' | 'clear-override' | 'emergency' | 'schedule';
  /** override: the level to hold. */
  level: number;
  /** emergency: on or off. */
  on: boolean;
  /** How long the override or emergency lasts; 0 = until told otherwise (emergency only). */
  durationMs: number;
  /** schedule: the new offsets, minutes; absent keeps the current one. */
  duskOffsetMin?: number;
  dawnOffsetMin?: number;
}

function action(name: LampAction['action'], level: number, on: boolean, durationMs: number): LampAction {
  return { action: name, level, on, durationMs };
}

/** A valid command becomes an action; anything else a failed CommandResult. */
export function parseLampCommand(cmd: Command): LampAction | CommandResult {
  const args = cmd.args || {};
  if (cmd.name === 'override') {
    const bad = checkNumber(cmd, 'level', 0, 1, false, false) ||
      checkNumber(cmd, 'durationS', 1, MAX_DURATION_S, false, false);
    if (bad) return bad;
    return action('override', args.level as number, false, (args.durationS as number) * 1000);
  }
  if (cmd.name === 'clear-override') return action('clear-override', 0, false, 0);
  if (cmd.name === 'emergency') {
    const bad = checkBoolean(cmd, 'on') || checkNumber(cmd, 'durationS', 1, MAX_DURATION_S, false, true);
    if (bad) return bad;
    const duration = args.durationS === undefined ? 0 : (args.durationS as number) * 1000;
    return action('emergency', 0, args.on as boolean, duration);
  }
  if (cmd.name === 'schedule') {
    const bad = checkNumber(cmd, 'duskOffsetMin', -MAX_OFFSET_MIN, MAX_OFFSET_MIN, false, true) ||
      checkNumber(cmd, 'dawnOffsetMin', -MAX_OFFSET_MIN, MAX_OFFSET_MIN, false, true);
    if (bad) return bad;
    if (args.duskOffsetMin === undefined && args.dawnOffsetMin === undefined) {
      return refuse('E_CMD_ARGS', "schedule needs arg 'duskOffsetMin' or 'dawnOffsetMin' (or both), minutes within -240..240");
    }
    const a = action('schedule', 0, false, 0);
    if (args.duskOffsetMin !== undefined) a.duskOffsetMin = args.duskOffsetMin as number;
    if (args.dawnOffsetMin !== undefined) a.dawnOffsetMin = args.dawnOffsetMin as number;
    return a;
  }
  return unknownCommand(cmd, LAMP_COMMANDS);
}

export function isCommandResult(value: LampAction | CommandResult): value is CommandResult {
  return (value as CommandResult).code !== undefined;
}
