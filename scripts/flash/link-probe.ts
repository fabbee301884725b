/**
 * The flasher as the gateway end of a node's link, for the two moments it needs one: before
 * flashing, to find a node that already runs Kerb (its REPL is off the port) and ask it to hand
 * the port back (maintenance, docs/serial-link.md); after flashing, to hear the new firmware's
 * hello. The real Link and the gateway's real hello decoder, so what the flasher accepts is what
 * the gateway will.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import { Link } from '../../firmware/link/link.js';
import type { Hello } from '../../firmware/link/messages.js';
import { decodeHello, encodeGatewayHello, encodeMaintenance } from '../../gateway/node/node-messages.js';
import { interrupted } from './repl-session.js';
import type { FlashLine } from './flash-line.js';

export interface LinkProbeResult {
  hello: Hello | undefined;
  /** Frames that failed their checks: many of them mean the wrong speed, not no node. */
  badFrames: number;
}

export class LinkProbe {
  private readonly link: Link;
  private hello: Hello | undefined;
  private helloError = '';
  private wakeUp: (() => void) | undefined;
  private readonly onData = (chunk: Buffer): void => {
    this.link.receive(chunk);
    this.wakeUp?.();
  };

  constructor(private readonly line: FlashLine, private readonly clock: Clock, private readonly signal?: AbortSignal) {
    this.link = new Link({
      clock, retryMs: 500, queueLength: 4,
      write: (bytes) => {
        if (line.isOpen) line.write(Buffer.from(bytes), () => undefined);
      },
      onHello: (payload) => {
        try {
          this.hello = decodeHello(payload);
        } catch (err) {
          this.helloError = (err as Error).message;
        }
        this.wakeUp?.();
      },
      onData: () => this.wakeUp?.(),
    });
    line.on('data', this.onData);
    // A session number of our own makes the hello new to the node, which answers with its own.
    this.link.start(encodeGatewayHello('kerb-flash', 0, Math.floor(Math.random() * 0xffffff)));
  }

  /** Waits up to `ms` for the node's hello. */
  async listen(ms: number): Promise<LinkProbeResult> {
    await this.until(() => this.hello !== undefined, ms);
    return { hello: this.hello, badFrames: this.link.stats.frameErrors };
  }

  /** Why the last hello could not be read ('' when it could, or none came). */
  helloProblem(): string {
    return this.helloError;
  }

  /** Asks the node for maintenance and waits until it acknowledged; false if it never did. */
  async maintenance(ms: number): Promise<boolean> {
    this.link.send(encodeMaintenance());
    return this.until(() => this.link.waiting() === 0, ms);
  }

  stop(): void {
    this.link.stop();
    this.line.removeListener('data', this.onData);
    this.wakeUp?.();
  }

  private until(check: () => boolean, ms: number): Promise<boolean> {
    if (this.signal?.aborted) return Promise.reject(interrupted());
    if (check()) return Promise.resolve(true);
    return new Promise<boolean>((resolve, reject) => {
      const finish = (value: boolean | Error): void => {
        this.wakeUp = undefined;
        this.clock.clearTimer(timer);
        this.signal?.removeEventListener('abort', onAbort);
        if (value instanceof Error) reject(value);
        else resolve(value);
      };
      const onAbort = (): void => finish(interrupted());
      const timer = this.clock.setTimeout(() => finish(check()), ms);
      this.wakeUp = () => {
        if (check()) finish(true);
      };
      this.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
