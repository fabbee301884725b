/**
 * Which pin roles each kind of controller uses: a contract with the controllers in firmware/.
 * Some roles depend on the config (a lamp's light sensor, a parking space's sensor type).
 */
import type { DeviceKind } from '../firmware/devices/types.js';
import { issue, type Issue } from './issue.js';
import { closest, quotedList } from './suggest.js';

/** Every role a kind may use, whatever its config. profile.schema.json lists the same (tested). */
export const PIN_ROLES: { readonly [kind in DeviceKind]: readonly string[] } = {
  lamp: ['pir', 'driver', 'light'],
  parking: ['field', 'trigger', 'echo'],
  bin: ['trigger', 'echo', 'lid', 'temp'],
};

interface Need {
  role: string;
  /** Why the config asks for it, e.g. "config.sensor is 'distance'"; '' when the kind alone does. */
  because: string;
  /** The config field that decides, relative to the profile; null when the kind alone does. */
  decidedBy: Array<string | number> | null;
}

export interface PinNeeds {
  required: Need[];
  allowed: string[];
  /** Why only these roles are allowed, when the config decides it (a parking sensor type). */
  allowedBecause: Need | null;
}

const LIGHT: Need = { role: 'light', because: "config.schedule.source is 'light'", decidedBy: ['config', 'schedule', 'source'] };

function byKind(role: string): Need {
  return { role, because: '', decidedBy: null };
}

function bySensor(role: string, sensor: string): Need {
  return { role, because: "config.sensor is '" + sensor + "'", decidedBy: ['config', 'sensor'] };
}

export function pinNeeds(kind: DeviceKind, config: unknown): PinNeeds {
  const c = (config ?? {}) as { sensor?: unknown; schedule?: { source?: unknown } };
  if (kind === 'lamp') {
    const required = [byKind('pir'), byKind('driver')];
    if (c.schedule?.source === 'light') required.push(LIGHT);
    return { required, allowed: PIN_ROLES.lamp.slice(), allowedBecause: null };
  }
  if (kind === 'parking') {
    if (c.sensor === 'magnetometer' || c.sensor === 'distance') {
      const roles = c.sensor === 'magnetometer' ? ['field'] : ['trigger', 'echo'];
      const required = roles.map((role) => bySensor(role, String(c.sensor)));
      return { required, allowed: roles, allowedBecause: required[0] };
    }
    return { required: [], allowed: PIN_ROLES.parking.slice(), allowedBecause: null };
  }
  return { required: PIN_ROLES.bin.map(byKind), allowed: PIN_ROLES.bin.slice(), allowedBecause: null };
}

/**
 * Integers name pins too (BCM 17, Firmata 3); everything downstream sees strings. Values the
 * schema rejects are kept here too, so a bad pin is reported once (as a bad value), not again
 * as a missing role.
 */
export function normalisePins(raw: unknown): { [role: string]: string } {
  const pins: { [role: string]: string } = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return pins;
  for (const [role, pin] of Object.entries(raw as { [role: string]: unknown })) {
    if (pin !== null && typeof pin !== 'object') pins[role] = String(pin);
  }
  return pins;
}

/** Missing roles, roles the device does not use, and one pin given two roles. Paths: ['pins', role]. */
export function checkPins(kind: DeviceKind, config: unknown, pins: { [role: string]: string }): Issue[] {
  const needs = pinNeeds(kind, config);
  const issues: Issue[] = [];
  const given = Object.keys(pins);
  for (const need of needs.required) {
    if (need.role in pins) continue;
    const reason = need.because ? ' because ' + need.because : ' for a ' + kind;
    const has = given.length > 0 ? ' (given: ' + given.join(', ') + ')' : ' (no pins given)';
    issues.push(issue('E_CFG_PIN', ['pins', need.role], "pin role '" + need.role + "' is required" + reason + has,
      need.decidedBy ? [need.decidedBy] : undefined));
  }
  const used = given.filter((role) => needs.allowed.indexOf(role) >= 0);
  for (const role of given) {
    if (used.indexOf(role) >= 0) continue;
    const limit = needs.allowedBecause;
    const who = limit ? 'a ' + kind + ' device whose ' + limit.because : 'a ' + kind + ' device';
    const guess = closest(role, needs.allowed);
    const hint = guess ? "; did you mean '" + guess + "'?" : ' (roles: ' + quotedList(needs.allowed) + ')';
    issues.push({ ...issue('E_CFG_PIN', ['pins', role], 'is not a pin role of ' + who + hint,
      limit?.decidedBy ? [limit.decidedBy] : undefined), target: 'key' });
  }
  const owner: { [pin: string]: string } = {};
  for (const role of used) {
    const first = owner[pins[role]];
    if (first === undefined) owner[pins[role]] = role;
    else issues.push(issue('E_CFG_PIN', ['pins', role], 'uses pin ' + pins[role] + ", already the '" + first + "' pin", [['pins', first]]));
  }
  return issues;
}
