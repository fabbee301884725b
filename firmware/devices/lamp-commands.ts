/**
 * The lamp's commands, checked and turned into actions before they touch the controller:
 *   override {level 0..1, durationS}   clear-override {}   emergency {on, durationS?}
 * with durationS within 1..MAX_DURATION_S (a week): an override or emergency forgotten by its
 * operator still ends, and a duration in ms stays far inside what any timer can hold.
 */
import { checkBoolean, checkNumber, unknownCommand } from './command-args.js';
import type { Command, CommandResult } from './types.js';

export const LAMP_COMMANDS = ['override', 'clear-override', 'emergency'];

/** The longest override or emergency, seconds: 7 days. */
export const MAX_DURATION_S = 604800;

export interface LampAction {
  action: 'override' | 'clear-override' | 'emergency';
  /** override: the level to hold. */
  level: number;
  /** emergency: on or off. */
  on: boolean;
  /** How long the override or emergency lasts; 0 = until told otherwise (emergency only). */
  durationMs: number;
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
  return unknownCommand(cmd, LAMP_COMMANDS);
}

export function isCommandResult(value: LampAction | CommandResult): value is CommandResult {
  return (value as CommandResult).code !== undefined;
}
