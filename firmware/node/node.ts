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
import type { Controller, ControllerContext, DeviceKind, Location, Output } from '../devices/types.js';
import type { TimerId } from '../hal/clock.js';
import type { ByteStream, Hal, PinId, PwmOut } from '../hal/pins.js';
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
}

export interface NodeStats {
  /** Outputs dropped because the link stayed down longer than the node can hold them. */
  dropped: number;
  /** Downlink payloads refused as malformed. */
  refused: number;
  commands: number;
}

const LOCATION_KEY = 'kerb.loc';
const HEARTBEAT_MS = 30000;
/** How long the controller waits for the gateway's setup after boot. */
export const SETUP_WAIT_MS = 5000;
const STATE_CHECK_MS = 5000;
/** Two frames' worth: a burst beyond this while the link is backed up drops the oldest. */
const MAX_PENDING = 46;
/** Flash writes of the place: at most one an hour. */
const STORE_INTERVAL_MS = 3600000;

export class KerbNode {
  readonly clock: SyncedClock;
  readonly boot: BootInfo;
  readonly stats: NodeStats = { dropped: 0, refused: 0, commands: 0 };
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
  private failSafe: PwmOut | undefined;
  /** The state last sent, as JSON: compared, never parsed. */
  private lastState: string | undefined;
  private lastSentAt = 0;
  private flushTimer: TimerId | undefined;
  private readonly timers: TimerId[] = [];
  private setupTimer: TimerId | undefined;
  private hello: Uint8Array | undefined;
  private gatewayHello: Uint8Array | undefined;

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
      onHello: (payload) => {
        // A gateway that says hello differently from before restarted (or reopened its port)
        // while this node ran and never saw its hello: say it again. The first gateway hello
        // after boot needs none: the node's own boot hello reaches that gateway anyway.
        if (this.hello !== undefined && this.gatewayHello !== undefined && !sameBytes(payload, this.gatewayHello)) this.link.rehello(this.hello);
        this.gatewayHello = copyBytes(payload);
        this.lastState = undefined; // tell it everything again
        this.scheduleFlush();
      },
      retryMs: 500,
      queueLength: 8,
    });
  }

  get mode(): 'run' | 'safe' {
    return this.boot.safe ? 'safe' : 'run';
  }

  start(): void {
    const b = this.o.build;
    this.stream = this.o.hal.byteStream({ port: b.port, baud: b.baud, onData: (bytes) => this.link.receive(bytes) });
    const hello = encodeHello(this.writer, { id: b.id, kind: b.kind, fw: b.fw, profile: b.profile, boot: this.boot.boot, mode: this.mode });
    // kerb build checks the id and version fit; a hello that does not is a build bug.
    if (hello === undefined) throw new Error('hello does not fit a frame');
    this.hello = copyBytes(hello);
    this.link.start(this.hello);
    if (this.boot.safe) {
      this.failSafe = startFailSafe(b.kind, this.o.hal, b.pins, b.config);
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
    } catch (e) {
      // A controller that cannot start (a pin the board does not have) leaves the node on the
      // link, saying why, with a lamp at its fail-safe level.
      this.controller = undefined;
      this.queue({ type: 'event', name: 'start-failed', severity: 'fault', value: 0, time: this.clock.now(), detail: String((e as Error).message).substring(0, 120) });
      this.failSafe = startFailSafe(b.kind, this.o.hal, b.pins, b.config);
    }
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

  private flush(): void {
    const now = this.clock.now();
    let from = 0;
    while (from < this.pending.length) {
      const n = encodeOutputs(this.writer, this.scratch, this.pending, from, now);
      if (n === 0) {
        from++; // cannot fit a frame on its own (a bug in a detail text): drop it, counted
        this.stats.dropped++;
        continue;
      }
      this.send(this.writer.bytes());
      from += n;
    }
    this.pending.length = 0;
    this.checkState();
  }

  /** Sends the controller's state if it changed, or if nothing went out for a heartbeat. */
  private checkState(): void {
    if (this.controller === undefined && !this.boot.safe) return; // still waiting for the setup
    const state = this.controller !== undefined ? this.controller.state() : { mode: 'safe' };
    // The node's own health, for the operator beside the controller's: outputs it had to drop,
    // frames that arrived broken, downlinks it refused.
    state.dropped = this.stats.dropped;
    state.linkErrors = this.link.stats.frameErrors;
    state.refused = this.stats.refused;
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
        if (m.wallMs !== undefined) this.clock.setWall(m.wallMs);
        this.location.latitude = m.latitude;
        this.location.longitude = m.longitude;
        this.store.set(LOCATION_KEY, { latitude: m.latitude, longitude: m.longitude });
        if (this.setupTimer !== undefined) {
          this.clock.clearTimer(this.setupTimer);
          this.setupTimer = undefined;
          this.startController();
        }
      } else {
        this.stats.commands++;
        const result = this.controller !== undefined
          ? this.controller.command(m.command)
          : this.boot.safe
            ? { ok: false, code: 'E_SAFE_MODE', message: 'the node is in safe mode after ' + this.boot.unclean + ' failed boots' }
            : { ok: false, code: 'E_NOT_READY', message: 'the controller is starting' };
        this.send(encodeResult(this.writer, m.id, result));
      }
    }
    this.inbox.length = 0;
    this.scheduleFlush();
  }
}

function copyBytes(bytes: Uint8Array): Uint8Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
