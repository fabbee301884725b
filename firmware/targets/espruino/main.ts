/**
 * The entry point of a node's bundle. `kerb build` generates the call to `boot` with the
 * device's build (identity, pins, config) and its controller's constructor, so a lamp bundle
 * carries no parking code. Everything starts from E.on('init'): Espruino fires it when the
 * saved code runs after power-on or reset, so the node comes up by itself, every time.
 */
import type { Controller, ControllerContext } from '../../devices/types.js';
import { KerbNode } from '../../node/node.js';
import type { EspruinoBuild } from './espruino-build.js';
import { EspruinoClock } from './espruino-clock.js';
import { EspruinoHal } from './espruino-hal.js';
import { espruinoStore } from './espruino-store.js';

/**
 * Kicked from a timer, so only a running event loop keeps the board alive: a callback stuck in
 * a loop stops the kicks and the hardware resets the node (auto-kick would kick from the idle
 * loop and miss nothing but a hard lock). ESP8266 builds accept the call and do nothing; a port
 * that throws instead runs without, rather than not at all.
 */
function startWatchdog(seconds: number): void {
  if (seconds <= 0) return;
  try {
    E.enableWatchdog(seconds, false);
  } catch (e) {
    return;
  }
  setInterval(function () {
    E.kickWatchdog();
  }, Math.max(250, (seconds * 1000) / 2));
}

export function boot(build: EspruinoBuild, createController: (ctx: ControllerContext<never>) => Controller): void {
  E.on('init', function () {
    // The link owns Serial1: were the REPL listening there, link bytes would be run as code.
    if (build.port === 'Serial1') LoopbackA.setConsole(true);
    startWatchdog(build.watchdogS);
    const clock = new EspruinoClock();
    const node = new KerbNode({
      build: build, hal: new EspruinoHal(clock), store: espruinoStore(), createController: createController,
      // reset() stops everything and brings the REPL back on the default console (Serial1 on
      // a board without USB), where `kerb flash` is waiting; the saved code stays in Storage.
      onMaintenance: function () {
        reset();
      },
    });
    // Without a listener Espruino prints "Uncaught ..." to a console nobody reads and runs on,
    // perhaps half-broken: the node reports it instead, and reboots if it keeps happening.
    process.on('uncaughtException', function (e) {
      node.uncaught(e, function () {
        E.reboot();
      });
    });
    node.start();
  });
}
