/**
 * Whether a node is reachable, as a state machine over the gateway's clock:
 *
 *   stopped -> connecting (port opening, or open and nothing heard yet; again after a reopen)
 *   connecting | silent | down -> up      a frame from the node
 *   connecting | up -> silent             nothing heard for silentAfterMs (port still open)
 *   any but stopped -> down               the port failed to open or was lost
 *
 * An outage starts at the first 'down' or 'silent' and ends when the node is heard again: one
 * fault when it starts ('link-down' or 'link-silent'), one info event when it ends ('link-up',
 * its value the outage in seconds), however many reopen attempts and errors happen in between.
 */
import type { Clock } from '../../firmware/hal/clock.js';

export type NodeLinkState = 'stopped' | 'connecting' | 'up' | 'silent' | 'down';

export interface HealthEvent {
  name: 'link-down' | 'link-silent' | 'link-up';
  severity: 'fault' | 'info';
  value: number;
  detail: string;
}

export class LinkHealth {
  private current: NodeLinkState = 'stopped';
  private outage: { since: number; reason: string } | undefined;
  private lastReason = '';
  private heardAt = -1;
  /** When the open port last heard from the node, or opened if it has not yet. */
  private quietSince = 0;
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly port: string,
    private readonly silentAfterMs: number,
    private readonly report: (event: HealthEvent) => void,
  ) {}

  state(): NodeLinkState {
    return this.current;
  }

  /** Monotonic ms of the last frame from the node; -1 before the first. */
  lastHeard(): number {
    return this.heardAt;
  }

  /** How long the open port has heard nothing: since the last frame, or since it opened. */
  quietMs(): number {
    return this.clock.now() - this.quietSince;
  }

  /** Outages reported so far. */
  outages(): number {
    return this.count;
  }

  /** The port is being opened (at start) or has just opened. */
  connecting(): void {
    this.current = 'connecting';
    this.quietSince = this.clock.now();
  }

  heard(): void {
    const now = this.clock.now();
    this.heardAt = now;
    this.quietSince = now;
    if (this.current === 'up' || this.current === 'stopped') return;
    this.current = 'up';
    if (this.outage === undefined) return;
    const seconds = Math.round((now - this.outage.since) / 1000);
    this.report({ name: 'link-up', severity: 'info', value: seconds, detail: `the node on ${this.port} is back after ${seconds} s (${this.outage.reason})` });
    this.outage = undefined;
  }

  /** The port failed to open or was lost; `reason` says why and what to do. */
  down(reason: string): void {
    this.current = 'down';
    this.lastReason = reason;
    this.begin('link-down', reason);
  }

  /** Checks for silence; call it often (the driver does every second). */
  check(): void {
    if (this.current !== 'up' && this.current !== 'connecting') return;
    const quietMs = this.clock.now() - this.quietSince;
    if (quietMs < this.silentAfterMs) return;
    this.current = 'silent';
    const seconds = Math.round(quietMs / 1000);
    this.begin('link-silent', this.heardAt < 0
      ? `nothing heard from the node on ${this.port} in ${seconds} s since the port opened: is the node powered and flashed, and its TX wired to the adapter's RX?`
      : `nothing heard from the node on ${this.port} for ${seconds} s: it may have hung or lost power`);
  }

  stopped(): void {
    this.current = 'stopped';
  }

  /** Why a command cannot be sent now, or undefined when the node is up. */
  offline(): string | undefined {
    const quiet = Math.round((this.clock.now() - this.quietSince) / 1000);
    switch (this.current) {
      case 'up': return undefined;
      case 'stopped': return `the driver for the node on ${this.port} is stopped`;
      case 'connecting': return `the node on ${this.port} has not been heard from yet`;
      case 'silent': return `nothing heard from the node on ${this.port} for ${quiet} s`;
      case 'down': return `the node on ${this.port} is offline: ${this.lastReason}`;
    }
  }

  private begin(name: 'link-down' | 'link-silent', reason: string): void {
    if (this.outage !== undefined) return;
    this.outage = { since: this.clock.now(), reason };
    this.count++;
    this.report({ name, severity: 'fault', value: this.count, detail: reason });
  }
}
