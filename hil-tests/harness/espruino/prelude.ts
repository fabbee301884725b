/**
 * The fake Espruino's guest side, assembled: one function expression that QuickJS evaluates
 * before the node's code. Called with the host functions and the board data, it installs the
 * Espruino globals, takes away what Espruino lacks (prelude-absent.ts) and returns the
 * dispatcher, the only way the host calls back into the guest:
 * dispatch(kind, ...args) with kind 'timer' | 'watch' | 'serial' | 'events' | 'init' | 'kill'.
 */
import { PRELUDE_ABSENT } from './prelude-absent.js';
import { PRELUDE_CORE } from './prelude-core.js';
import { PRELUDE_IO } from './prelude-io.js';

/** Board data the guest side reads once per boot. */
export interface PreludeConfig {
  env: Record<string, string>;
  totalVars: number;
  serial: string;
  /** Pin names installed as global Pin objects. */
  pins: string[];
  /** Alias → pin name (LED1 → 'B2'), installed as global Pin objects. */
  aliases: Record<string, string>;
  /** Serial devices installed as globals: 'Serial1', 'USB', 'LoopbackA', ... */
  serialPorts: string[];
}

export function preludeSource(): string {
  return `(function (H, cfg) {
'use strict';
${PRELUDE_CORE}
${PRELUDE_IO}
${PRELUDE_ABSENT}
return function dispatch(kind, a, b, c, d, e, f) {
  var handler = handlers[kind];
  if (handler !== undefined) handler(a, b, c, d, e, f);
};
})`;
}
