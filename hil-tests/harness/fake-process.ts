/**
 * A stand-in for `process` where code hooks exit and signals (gateway/hal/onoff/exit-release.ts):
 * tests emit 'exit' or 'SIGTERM' on it and see which signals were raised again, and benches use
 * it so nothing is ever hooked into the test runner's own process.
 */
import { EventEmitter } from 'node:events';
import type { ProcessLike } from '../../gateway/hal/onoff/exit-release.js';

export class FakeProcess extends EventEmitter implements ProcessLike {
  readonly pid = 4242;
  /** Signals sent with kill(), in order. */
  readonly kills: Array<{ pid: number; signal: string }> = [];

  kill(pid: number, signal: string): boolean {
    this.kills.push({ pid, signal });
    return true;
  }

  /** Listeners on 'exit' and the signals, for checking that hooks come and go. */
  hooks(): number {
    return ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP'].reduce((n, e) => n + this.listenerCount(e), 0);
  }
}
