/**
 * A Kerb node: one device's controller on a microcontroller, talking to its gateway over the
 * serial link. Target-independent: the Espruino target hands it a HAL, a clock and a key store;
 * tests hand it the mock ones.
 *
 * What it does: counts the boot (safe mode after a crash loop), says hello, runs the controller
 * (once the gateway has said what time it is and where the device stands, or after 5 s alone),
 * packs what the controller emits into link frames (everything emitted in one turn of the event
 * loop goes in one frame where it fits), sends the controller's state when it changes (and at
 * least every heartbeat, so the gateway can tell a quiet node from a dead one), applies commands
 * and answers them, and takes the wall time and its place from the gateway's setup message.
 * Everything it holds is bounded: a node out of touch with its gateway for a day drops the
 * oldest outputs (counted) rather than run out of memory.
 */
import type { Command, CommandResult, Controller, ControllerContext, DeviceKind, Location, Output, StateValue } from '../devices/types.js';
import type { TimerId } from '../hal/clock.js';
import type { ByteStream, Hal, PinId, PwmOut } from '../hal/pins.js';
import { copyBytes } from '../link/bytes.js';
import { CborWriter } from '../link/cbor-writer.js';
import { MAX_PAYLOAD } from '../link/frame.js';
import { Link } from '../link/link.js';
import { encodeHello, encodeOutputs, encodeResult, encodeState, readGatewayPayload, type GatewayMessage } from '../link/messages.js';
import { markStable, recordBoot, type BootInfo } from './boot-record.js';
import { startFailSafe } from './fail-safe.js';
import type { KeyStore } from './key-store.js';
import { SyncedClock } from './synced-clock.js';
import { WearLimitedStore } from './wear-limited-store.js';

/** What `kerb build` bakes into a bundle: one device's identity and configuration. */
export interface NodeBuild {
  id: string;
  kind: DeviceKind;
  /** Firmware version. */
  fw: string;
  /** Hash of kind, pins and config: the gateway compares it with the site file's. */
  profile: string;
  pins: { [role: string]: PinId };
  config: unknown;
  /** The link's serial port and speed. */
  port: string;
  baud: number;
  /** Unclean boots in a row before safe mode. */
  safeAfter: number;
  /** Running this long marks a boot clean. */
  stableMs: number;
}

export interface NodeOptions {
  build: NodeBuild;
  hal: Hal;
  store: KeyStore;
  createController: (ctx: ControllerContext<never>) => Controller;
  /**
   * The gateway end asked for maintenance (`kerb flash` on the node's cable): the target stops
   * the node and gives the port back to its REPL. Called once the request's ack has gone out.
   */
  onMaintenance?: () => void;
}

export interface NodeStats {
  /** Outputs dropped because the link stayed down longer than the node can hold them. */
  dropped: number;
  /** Exceptions that reached the event loop (Espruino's process 'uncaughtException'). */
  uncaught: number;
  /** Downlink payloads refused as malformed. */
  refused: number;
  commands: number;
}

const LOCATION_KEY = 'kerb.loc';
/** The device id `kerb provision` (or `kerb flash --device-id`) stored: it wins over the build's. */
export const ID_KEY = 'kerb.id';
/** Time for the maintenance request's ack to leave the UART before the port changes hands. */
const MAINTENANCE_DELAY_MS = 100;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HEARTBEAT_MS = 30000;
/** How long the controller waits for the gateway's setup after boot. */
export const SETUP_WAIT_MS = 5000;
const STATE_CHECK_MS = 5000;
/** Outputs held while the link is backed up (its own queue full): beyond this the oldest go. */
const MAX_PENDING = 46;
/** Payloads the link holds; with MAX_PENDING what a node keeps through a gateway outage. */
const LINK_QUEUE = 8;
/** How soon a backed-up flush tries again. */
const RETRY_FLUSH_MS = 250;
/** Uncaught exceptions in this long that make the node reboot: it is broken, not unlucky. */
const UNCAUGHT_LIMIT = 3;
const UNCAUGHT_WINDOW_MS = 600000;
/** Flash writes of the place: at most one an hour. */
const STORE_INTERVAL_MS = 3600000;

export class KerbNode {
  readonly clock: SyncedClock;
  readonly boot: BootInfo;
  readonly stats: NodeStats = { dropped: 0, uncaught: 0, refused: 0, commands: 0 };
  private readonly o: NodeOptions;
  private readonly store: WearLimitedStore;
  private readonly writer = new CborWriter(MAX_PAYLOAD);
  private readonly scratch = new CborWriter(MAX_PAYLOAD);
  private readonly location: Location;
  private readonly link: Link;
  private readonly pending: Output[] = [];
  private readonly inbox: GatewayMessage[] = [];
  private stream: ByteStream | undefined;
  private controller: Controller | undefined;
  /** waiting: for the gateway's setup; failed: the controller would not start. */
  private phase: 'waiting' | 'running' | 'failed' | 'safe' = 'waiting';
  private startError = '';
  private readonly uncaughtAt: number[] = [];
  private failSafe: PwmOut | undefined;
  /** The state last sent, as JSON: compared, never parsed. */
  private lastState: string | undefined;
  private lastSentAt = 0;
  private flushTimer: TimerId | undefined;
  private readonly timers: TimerId[] = [];
  private setupTimer: TimerId | undefined;
  private hello: Uint8Array | undefined;

  constructor(options: NodeOptions) {
    this.o = options;
    this.clock = new SyncedClock(options.hal.clock);
    this.boot = recordBoot(options.store, options.build.safeAfter);
    this.store = new WearLimitedStore(options.store, this.clock, STORE_INTERVAL_MS);
    const saved = this.store.get(LOCATION_KEY) as Location | undefined;
    this.location = { latitude: saved ? saved.latitude : 0, longitude: saved ? saved.longitude : 0 };
    this.link = new Link({
      clock: this.clock,
      write: (bytes) => {
        if (this.stream !== undefined) this.stream.write(bytes);
      },
      onData: (payload) => this.onGateway(payload),
      onHello: () => {
        // A new gateway hello (the link drops repeats): the gateway started, restarted or
        // reopened its port, and may never have heard this node's hello: say it again (at the
        // start of both it arrives twice; the gateway takes the same boot as no restart).
        if (this.hello !== undefined) this.link.rehello(this.hello);
        this.lastState = undefined; // tell it everything again
        this.scheduleFlush();
      },
      retryMs: 500,
      queueLength: LINK_QUEUE,
    });
  }

  get mode(): 'run' | 'safe' {
    return this.boot.safe ? 'safe' : 'run';
  }

  /** The provisioned id when one is stored and well formed, else the build's. */
  get id(): string {
    const stored = this.o.store.read(ID_KEY);
    return stored !== undefined && stored.length <= 32 && ID_PATTERN.test(stored) ? stored : this.o.build.id;
  }

  start(): void {
    const b = this.o.build;
    this.stream = this.o.hal.byteStream({ port: b.port, baud: b.baud, onData: (bytes) => this.link.receive(bytes) });
    const hello = encodeHello(this.writer, { id: this.id, kind: b.kind, fw: b.fw, profile: b.profile, boot: this.boot.boot, mode: this.mode });
    // kerb build checks the id and version fit; a hello that does not is a build bug.
    if (hello === undefined) throw new Error('hello does not fit a frame');
    this.hello = copyBytes(hello);
    this.link.start(this.hello);
    if (this.boot.safe) {
      this.phase = 'safe';
      this.startFailSafe();
    } else {
      // The controller waits for the gateway's setup (wall time and place) so a lamp starts on
      // the right schedule, but not for long: without a gateway it starts anyway, assuming night.
      this.setupTimer = this.clock.setTimeout(() => {
        this.setupTimer = undefined;
        this.startController();
      }, SETUP_WAIT_MS);
    }
    this.timers.push(this.clock.setTimeout(() => markStable(this.o.store, this.boot), b.stableMs));
    this.timers.push(this.clock.setInterval(() => this.checkState(), STATE_CHECK_MS));
  }

  stop(): void {
    for (let i = 0; i < this.timers.length; i++) this.clock.clearTimer(this.timers[i]);
    this.timers.length = 0;
    if (this.setupTimer !== undefined) this.clock.clearTimer(this.setupTimer);
    this.setupTimer = undefined;
    if (this.flushTimer !== undefined) this.clock.clearTimer(this.flushTimer);
    this.flushTimer = undefined;
    if (this.controller !== undefined) this.controller.stop();
    if (this.failSafe !== undefined) this.failSafe.close();
    this.link.stop();
    this.store.stop();
    if (this.stream !== undefined) this.stream.close();
    this.stream = undefined;
  }

  private startController(): void {
    const b = this.o.build;
    try {
      this.controller = this.o.createController({
        hal: this.o.hal, clock: this.clock, pins: b.pins, config: b.config as never, location: this.location,
        emit: (output) => this.queue(output),
      });
      this.controller.start();
      this.phase = 'running';
    } catch (e) {
      // A controller that cannot start (a pin the board does not have) leaves the node on the
      // link, saying why, with a lamp at its fail-safe level.
      this.controller = undefined;
      this.phase = 'failed';
      this.startError = String((e as Error).message).substring(0, 80);
      this.queue({ type: 'event', name: 'start-failed', severity: 'fault', value: 0, time: this.clock.now(), detail: this.startError });
      this.startFailSafe();
    }
    this.scheduleFlush();
  }

  private startFailSafe(): void {
    const b = this.o.build;
    try {
      this.failSafe = startFailSafe(b.kind, this.o.hal, b.pins, b.config);
    } catch (e) {
      // The driver pin itself is what fails: nothing lights, but the node still talks.
      this.queue({ type: 'event', name: 'fail-safe-failed', severity: 'fault', value: 0, time: this.clock.now(), detail: String((e as Error).message).substring(0, 80) });
    }
  }

  /**
   * An exception that reached the event loop (the Espruino target routes 'uncaughtException'
   * here): reported as a fault; a node that keeps throwing is rebooted by `reboot`, so a broken
   * timer cannot leave it half-working for months (and a crash loop ends in safe mode).
   */
  uncaught(e: unknown, reboot: () => void): void {
    this.stats.uncaught++;
    const now = this.clock.now();
    this.uncaughtAt.push(now);
    while (this.uncaughtAt.length > 0 && now - this.uncaughtAt[0] > UNCAUGHT_WINDOW_MS) this.uncaughtAt.shift();
    this.queue({ type: 'event', name: 'uncaught', severity: 'fault', value: this.stats.uncaught, time: now, detail: String(e instanceof Error ? e.message : e).substring(0, 80) });
    if (this.uncaughtAt.length >= UNCAUGHT_LIMIT) reboot();
  }

  private queue(output: Output): void {
    if (this.pending.length >= MAX_PENDING) {
      this.pending.shift();
      this.stats.dropped++;
    }
    this.pending.push(output);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = this.clock.setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, 0);
  }

  /**
   * Packs waiting outputs into frames while the link has room. While it is backed up (the
   * gateway away) outputs stay here, up to MAX_PENDING, and the flush tries again: the link's
   * queue and this one together are what the node keeps through an outage.
   */
  private flush(): void {
    const now = this.clock.now();
    let from = 0;
    while (from < this.pending.length && !this.link.full()) {
      const n = encodeOutputs(this.writer, this.scratch, this.pending, from, now);
      if (n === 0) {
        from++; // cannot fit a frame on its own (a bug in a detail text): drop it, counted
        this.stats.dropped++;
        continue;
      }
      this.send(this.writer.bytes());
      from += n;
    }
    this.pending.splice(0, from);
    if (this.pending.length > 0 && this.flushTimer === undefined) {
      this.flushTimer = this.clock.setTimeout(() => {
        this.flushTimer = undefined;
        this.flush();
      }, RETRY_FLUSH_MS);
    }
    this.checkState();
  }

  /**
   * Sends the state if it changed, or if nothing went out for a heartbeat: the controller's, plus
   * the node's own counters for the operator (outputs it had to drop, frames that arrived broken,
   * downlinks it refused, exceptions that reached the event loop). Nothing is sent while the link
   * is backed up: a state frame would push an output out, and a drop counted would change the
   * state again; the state goes once the link drains.
   */
  private checkState(): void {
    if (this.phase === 'waiting') return;
    if (this.link.waiting() > LINK_QUEUE / 2) return;
    const state: { [key: string]: StateValue } = this.controller !== undefined
      ? this.controller.state()
      : this.phase === 'safe' ? { mode: 'safe' } : { mode: 'start-failed', error: this.startError };
    state.dropped = this.stats.dropped;
    state.linkErrors = this.link.stats.frameErrors;
    state.refused = this.stats.refused;
    state.uncaught = this.stats.uncaught;
    const signature = JSON.stringify(state);
    const idle = this.clock.now() - this.lastSentAt >= HEARTBEAT_MS;
    if (!idle && signature === this.lastState) return;
    this.lastState = signature;
    const keys = Object.keys(state);
    let from = 0;
    while (from < keys.length) {
      const n = encodeState(this.writer, this.scratch, state, keys, from);
      if (n === 0) {
        from++; // a value too long for a frame: leave it out
        continue;
      }
      this.send(this.writer.bytes());
      from += n;
    }
  }

  /** Queues a copy of `bytes` (the writer's buffer is reused) on the link. */
  private send(bytes: Uint8Array): void {
    if (!this.link.send(copyBytes(bytes))) this.stats.dropped++;
    this.lastSentAt = this.clock.now();
  }

  private applySetup(wallMs: number | undefined, latitude: number, longitude: number): void {
    if (wallMs !== undefined) this.clock.setWall(wallMs);
    this.location.latitude = latitude;
    this.location.longitude = longitude;
    this.store.set(LOCATION_KEY, { latitude: latitude, longitude: longitude });
    if (this.setupTimer !== undefined) {
      this.clock.clearTimer(this.setupTimer);
      this.setupTimer = undefined;
      this.startController();
    }
  }

  /** A command's answer; a controller that throws is answered, never left to the link. */
  private apply(command: Command): CommandResult {
    if (this.controller === undefined) {
      if (this.phase === 'safe') return { ok: false, code: 'E_SAFE_MODE', message: 'the node is in safe mode after ' + this.boot.unclean + ' failed boots' };
      if (this.phase === 'failed') return { ok: false, code: 'E_START_FAILED', message: 'the controller did not start: ' + this.startError };
      return { ok: false, code: 'E_NOT_READY', message: 'the controller is starting' };
    }
    try {
      return this.controller.command(command);
    } catch (e) {
      return { ok: false, code: 'E_CMD_FAILED', message: String((e as Error).message).substring(0, 80) };
    }
  }

  /** A target without a REPL to hand over refuses, saying so, rather than go quiet. */
  private maintenance(): void {
    const handOver = this.o.onMaintenance;
    if (handOver === undefined) {
      this.queue({ type: 'event', name: 'downlink-refused', severity: 'info', value: this.stats.refused, time: this.clock.now(), detail: 'no maintenance on this target' });
      return;
    }
    this.clock.setTimeout(function () {
      handOver();
    }, MAINTENANCE_DELAY_MS);
  }

  private onGateway(payload: Uint8Array): void {
    this.inbox.length = 0;
    const error = readGatewayPayload(payload, this.inbox);
    if (error !== '') {
      this.stats.refused++;
      this.queue({ type: 'event', name: 'downlink-refused', severity: 'info', value: this.stats.refused, time: this.clock.now(), detail: error.substring(0, 120) });
      return;
    }
    for (let i = 0; i < this.inbox.length; i++) {
      const m = this.inbox[i];
      if (m.type === 'setup') {
        this.applySetup(m.wallMs, m.latitude, m.longitude);
      } else if (m.type === 'maintenance') {
        this.maintenance();
      } else {
        this.stats.commands++;
        this.send(encodeResult(this.writer, m.id, this.apply(m.command)));
      }
    }
    this.inbox.length = 0;
    this.scheduleFlush();
  }
}
