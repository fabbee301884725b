/**
 * A Kerb node on a serial port, presented to the gateway as one more Controller: its readings
 * and events come out of `emit` exactly as a hosted controller's would (timed on the gateway's
 * clock), `command()` answers at once, `state()` is the node's last snapshot plus the link's.
 *
 * NodePort keeps the port open (an injected opener, serialport's `SerialPort` by default) with a
 * Link over it, reopening with backoff after a pulled cable or a long silence; LinkHealth turns
 * that into 'up' / 'silent' / 'down' and one fault per outage. This class reads what the node says (hello,
 * outputs, state, answers), sends it time, place and commands. Nothing from the line is ever
 * thrown out of the driver: a malformed payload is counted and logged with its reason.
 *
 * A node says hello when it boots and again when a new gateway hello reaches it (each of the
 * driver's connections sends one), so after a gateway restart or a reopened port its hello
 * follows soon. A frame heard before it (already in flight, or from firmware that does not answer)
 * is taken as the site's device, 'unverified', until the hello; a repeated hello from the same
 * boot is not a restart.
 */
import type { Command, CommandResult, Controller, DeviceKind, Severity, StateValue } from '../../firmware/devices/types.js';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { Hello } from '../../firmware/link/messages.js';
import type { Logger } from '../log/logger.js';
import { checkHello } from './hello-check.js';
import { LinkHealth } from './link-health.js';
import { checkNodeCommand, CommandLedger, type SentCommand } from './node-commands.js';
import { decodeHello, decodeNodePayload, encodeCommand, encodeGatewayHello, encodeSetup, type NodeCommandResult } from './node-messages.js';
import { NodePort, type PortStats } from './node-port.js';
import { NodeState } from './node-state.js';
import { openSerialPort } from './serial-line.js';
import { DEFAULT_BAUD, type NodeIdentity, type SerialNodeOptions, type SerialNodeStats } from './serial-node-options.js';

export type { NodeIdentity, NodeLinkState, SerialNodeDevice, SerialNodeOptions, SerialNodeStats } from './serial-node-options.js';
export { DEFAULT_BAUD } from './serial-node-options.js';

const WATCH_MS = 1_000;

type Counters = Omit<SerialNodeStats, keyof PortStats | 'link' | 'identity' | 'outages' | 'stateKeysDropped'>;

export class SerialNode implements Controller {
  readonly kind: DeviceKind;
  readonly port: string;
  readonly baud: number;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly health: LinkHealth;
  private readonly line: NodePort;
  private readonly ledger = new CommandLedger();
  private readonly c: Counters = {
    hellos: 0, hellosRefused: 0, payloadsRefused: 0, outputs: 0, ignoredOutputs: 0,
    setupsSent: 0, commandsSent: 0, commandsAnswered: 0, commandsFailed: 0, commandsLost: 0, commandsRefused: 0, errors: 0,
  };
  private watchTimer: TimerId | undefined;
  private hello: Hello | undefined;
  private identity: NodeIdentity = 'unverified';
  private readonly nodeState: NodeState;
  /** A setup with the time is owed (a hello, a new connection): sent once the wall clock is trusted. */
  private setupDue = false;
  /** While the wall clock is not trusted: the place-only setup owed to the latest hello or connection. */
  private placeDue = false;
  private lastSetupAt = -Infinity;
  private saidUnverified = false;

  constructor(private readonly o: SerialNodeOptions) {
    const t = o.device.transport;
    if (t.type !== 'serial' || typeof t.port !== 'string' || t.port === '') {
      throw new Error(`device ${o.device.id}: a serial node needs transport {type: serial, port}, got ${JSON.stringify(t)}`);
    }
    this.kind = o.device.kind;
    this.port = t.port;
    this.baud = t.baud ?? DEFAULT_BAUD;
    this.clock = o.clock;
    this.log = o.log.child({ device: o.device.id, port: this.port });
    const silentAfterMs = o.silentAfterMs ?? 90_000;
    this.health = new LinkHealth(o.clock, this.port, silentAfterMs, (e) => {
      this.log[e.severity === 'fault' ? 'error' : 'info'](`node.${e.name}`, { detail: e.detail });
      this.event(e.name, e.severity, e.value, e.detail);
    });
    this.line = new NodePort({
      port: this.port, baud: this.baud, clock: o.clock, log: this.log, open: o.open ?? openSerialPort, health: this.health,
      helloFor: (session) => encodeGatewayHello(o.gateway, o.epoch, session),
      retryMs: o.retryMs ?? 500, queueLength: o.queueLength ?? 16, reopenFirstMs: o.reopenFirstMs, reopenMaxMs: o.reopenMaxMs,
      reopenAfterSilentMs: o.reopenAfterSilentMs ?? 3 * silentAfterMs,
      onHello: (payload) => this.onHello(payload),
      onData: (payload) => this.onData(payload),
      onRetired: (why) => this.lost(this.ledger.abandon(), why),
      guard: (what, fn) => this.guard(what, fn),
    });
    this.nodeState = new NodeState((kind, key, reason) => {
      this.log.warn('node.state-dropped', { kind, key, reason, note: 'logged once per node boot; stats().stateKeysDropped counts them all' });
    });
  }

  start(): void {
    if (this.health.state() !== 'stopped') return;
    this.watchTimer = this.clock.setInterval(() => this.guard('watch', () => this.watch()), WATCH_MS);
    this.line.start();
  }

  stop(): void {
    if (this.health.state() === 'stopped') return;
    this.health.stopped();
    if (this.watchTimer !== undefined) this.clock.clearTimer(this.watchTimer);
    this.watchTimer = undefined;
    this.line.stop();
    this.log.info('node.stopped', {});
  }

  command(cmd: Command): CommandResult {
    const invalid = checkNodeCommand(this.kind, cmd);
    const refusal = invalid ?? this.cannotSend();
    if (refusal !== undefined || !this.line.isOpen()) {
      this.c.commandsRefused++;
      return refusal ?? { ok: false, code: 'E_CMD_OFFLINE', message: `the node on ${this.port} has no open port` };
    }
    const { sent, evicted } = this.ledger.add(cmd.name, this.clock.now());
    if (evicted) this.lost([evicted], 'too many commands waited for an answer');
    let bytes: Uint8Array;
    try {
      bytes = encodeCommand(sent.id, cmd);
    } catch (err) {
      this.ledger.answer(sent.id);
      this.c.commandsRefused++;
      return { ok: false, code: 'E_CMD_ARGS', message: (err as Error).message };
    }
    if (!this.line.send(bytes)) this.log.warn('node.queue-full', { dropped: 'the oldest payload waiting for the node' });
    this.c.commandsSent++;
    this.log.info('node.command-sent', { id: sent.id, command: cmd.name, args: cmd.args });
    return { ok: true, code: 'OK', message: `sent to node on ${this.port} as command ${sent.id}; its answer is logged, a refusal reported as a 'command-refused' event` };
  }

  state(): { [key: string]: StateValue } {
    const heard = this.health.lastHeard();
    return {
      ...this.nodeState.snapshot(),
      link: this.health.state(),
      port: this.port,
      identity: this.identity,
      nodeId: this.hello?.id ?? '',
      boot: this.hello?.boot ?? -1,
      fw: this.hello?.fw ?? '',
      nodeMode: this.hello?.mode ?? '',
      lastHeardS: heard < 0 ? -1 : Math.round((this.clock.now() - heard) / 1000),
    };
  }

  stats(): SerialNodeStats {
    return { ...this.c, stateKeysDropped: this.nodeState.dropped(), ...this.line.stats(), link: this.health.state(), identity: this.identity, outages: this.health.outages() };
  }

  private watch(): void {
    this.health.check();
    this.line.check();
    this.sendSetupIfDue();
  }

  private heard(): void {
    if (this.line.heard()) this.owesSetup(); // a node heard on a new connection may have missed the last setup
  }

  private owesSetup(): void {
    this.setupDue = true;
    this.placeDue = true;
  }

  private onHello(payload: Uint8Array): void {
    this.heard();
    let hello: Hello;
    try {
      hello = decodeHello(payload);
    } catch (err) {
      this.c.hellosRefused++;
      const reason = (err as Error).message;
      this.log.warn('node.hello-refused', { reason });
      this.event('hello-refused', 'fault', this.c.hellosRefused, `the node's hello could not be read (${reason}): does its firmware match this gateway's?`);
      this.identity = 'unverified';
      return;
    }
    this.c.hellos++;
    const previous = this.hello;
    this.hello = hello;
    // The same boot saying hello again is the node answering our reconnect, not a restart: its
    // state and the commands it is working on stand.
    const restarted = previous === undefined || previous.boot !== hello.boot || previous.id !== hello.id;
    if (restarted) {
      this.nodeState.clear();
      this.lost(this.ledger.abandon(), 'the node restarted');
    }
    const verdict = checkHello({ id: this.o.device.id, kind: this.kind, port: this.port, profileHash: this.o.expectedProfileHash }, hello);
    this.identity = verdict.matches ? 'verified' : 'mismatch';
    this.log.info('node.hello', { node: hello.id, kind: hello.kind, fw: hello.fw, profile: hello.profile, boot: hello.boot, mode: hello.mode, identity: this.identity });
    if (verdict.matches && previous !== undefined && previous.boot !== hello.boot) {
      this.event('node-restarted', 'info', hello.boot, `boot ${previous.boot} -> ${hello.boot}, fw ${hello.fw}`);
    }
    for (const f of verdict.faults) this.event(f.name, 'fault', f.value, f.detail);
    this.owesSetup(); // a node replaced, or rebooted without a stored place, needs it again
    this.sendSetupIfDue();
  }

  private onData(payload: Uint8Array): void {
    this.heard();
    if (this.hello === undefined && !this.saidUnverified) {
      this.saidUnverified = true;
      this.log.info('node.unverified', { reason: 'data before any hello (the gateway started while the node ran): taken as this device until its next hello' });
    }
    this.sendSetupIfDue();
    let p;
    try {
      p = decodeNodePayload(payload, this.clock.now());
    } catch (err) {
      this.c.payloadsRefused++;
      this.log.warn('node.payload-refused', { reason: (err as Error).message, refused: this.c.payloadsRefused });
      return;
    }
    if (this.identity === 'mismatch') {
      this.c.ignoredOutputs += p.outputs.length; // the wrong node's readings are not this device's
    } else {
      if (p.state) this.nodeState.merge(p.state); // a large state comes in parts
      for (const out of p.outputs) {
        this.c.outputs++;
        this.o.emit(out);
      }
    }
    for (const r of p.results) this.onResult(r);
  }

  /**
   * The node's answer to a command. A refusal is emitted as an 'info' event, not a fault: it is
   * the outcome of an operator's request (a space occupied, a lid open), not a device failing,
   * and faults go out at once as alerts that page people. As an info event it still reaches the
   * platform in the next batch, and the log has it at once: never lost silently.
   */
  private onResult(r: NodeCommandResult): void {
    const sent = this.ledger.answer(r.id);
    const fields = { id: r.id, command: sent?.name ?? 'unknown (not sent by this gateway run)', code: r.code, message: r.message, ms: sent ? this.clock.now() - sent.at : -1 };
    if (r.code === 'OK') {
      this.c.commandsAnswered++;
      this.log.info('node.command-done', fields);
      return;
    }
    this.c.commandsFailed++;
    this.log.warn('node.command-refused', fields);
    this.event('command-refused', 'info', r.id, `${sent?.name ?? `command ${r.id}`}: ${r.code} ${r.message}`.substring(0, 200));
  }

  private sendSetupIfDue(): void {
    if (this.health.state() !== 'up' || this.identity === 'mismatch') return;
    if (!this.setupDue && this.clock.now() - this.lastSetupAt < (this.o.setupEveryMs ?? 3_600_000)) return;
    const { latitude, longitude } = this.o.device.location;
    if (!this.clock.wallSynced()) {
      // A node told 1970 would trust it: after each hello and on each new connection it gets its
      // place (so it need not wait to start, nor run at 0°, 0°) and the time once NTP has set
      // ours (the watch checks every second).
      if (this.placeDue) {
        this.log.info('node.setup-waiting', { reason: "the gateway's wall clock is not set yet: the place goes now, the time later" });
        this.line.send(encodeSetup(null, latitude, longitude));
        this.c.setupsSent++;
        this.placeDue = false;
      }
      this.setupDue = true;
      return;
    }
    this.placeDue = false;
    const wallMs = this.clock.wallTime();
    this.line.send(encodeSetup(wallMs, latitude, longitude));
    this.setupDue = false;
    this.lastSetupAt = this.clock.now();
    this.c.setupsSent++;
    this.log.debug('node.setup-sent', { wallMs, latitude, longitude });
  }

  /** Why a valid command cannot be sent now, or undefined. */
  private cannotSend(): CommandResult | undefined {
    const offline = this.health.offline();
    if (offline !== undefined) return { ok: false, code: 'E_CMD_OFFLINE', message: offline };
    if (this.identity === 'mismatch') {
      return { ok: false, code: 'E_CMD_NODE_MISMATCH', message: `the node on ${this.port} is '${this.hello?.id}' (${this.hello?.kind}), not '${this.o.device.id}': commands are not sent to it` };
    }
    if (this.hello?.mode === 'safe') {
      return { ok: false, code: 'E_SAFE_MODE', message: `the node on ${this.port} is in safe mode (boot ${this.hello.boot}): it runs no controller until it is fixed` };
    }
    return undefined;
  }

  private lost(commands: SentCommand[], why: string): void {
    for (const cmd of commands) {
      this.c.commandsLost++;
      this.log.warn('node.command-lost', { id: cmd.id, command: cmd.name, reason: `${why} before it answered` });
    }
  }

  private event(name: string, severity: Severity, value: number, detail: string): void {
    this.o.emit({ type: 'event', name, severity, value, time: this.clock.now(), detail });
  }

  /** Runs a handler called from the port or a timer: nothing thrown there may escape the driver. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.c.errors++;
      this.log.error('node.error', { while: what, error: (err as Error).message, stack: (err as Error).stack });
    }
  }
}
