/**
 * The MessageQueue in memory, bounded: for a gateway whose data directory cannot be written (it
 * keeps lamps and data flowing, saying loudly that a power cut now loses the backlog) and for
 * tests of the uplink's state machine. The durable one is gateway/spool/.
 */
import {
  DEFAULT_QUEUE_LIMITS, noDrops, queueLimits, type DropReason, type MessageClass, type MessageQueue, type OutboundMessage, type QueueLimits,
} from './message-queue.js';

export class Outbox implements MessageQueue {
  private pending: Record<MessageClass, OutboundMessage[]> = { alert: [], telemetry: [] };
  private inflight = new Map<number, OutboundMessage>();
  private nextId = 1;
  private bytes: Record<MessageClass, number> = { telemetry: 0, alert: 0 };
  private readonly dropped = noDrops();
  private readonly limits: QueueLimits;

  /** Without a spool the backlog costs RAM: a much smaller default bound than the spool's. */
  constructor(limits: Partial<QueueLimits> = {}) {
    this.limits = queueLimits(limits, { ...DEFAULT_QUEUE_LIMITS, maxBytes: 16 * 1024 * 1024, alertReserveBytes: 1024 * 1024 });
  }

  add(topic: string, payload: Buffer, cls: MessageClass, now: number): boolean {
    const size = payload.length;
    const { maxBytes, alertReserveBytes } = this.limits;
    if (size > (cls === 'alert' ? maxBytes : maxBytes - alertReserveBytes)) {
      this.dropped['too-large']++; // refused before it can evict anything
      return false;
    }
    const fits = (telemetry: number): boolean => telemetry + this.bytes.alert + size <= maxBytes &&
      (cls === 'alert' || telemetry + size <= maxBytes - alertReserveBytes);
    // Plan first: if evicting every pending telemetry message would still not make room (what is
    // in flight cannot be evicted), refuse the newcomer and keep what is stored.
    let telemetry = this.bytes.telemetry;
    let victims = 0;
    for (const m of this.pending.telemetry) {
      if (fits(telemetry)) break;
      telemetry -= m.payload.length;
      victims++;
    }
    if (!fits(telemetry)) {
      this.dropped[cls === 'alert' ? 'alert-full' : 'telemetry-full']++;
      return false;
    }
    for (let i = 0; i < victims; i++) this.dropOldestTelemetry();
    this.dropped['telemetry-full'] += victims;
    this.pending[cls].push({ id: this.nextId++, topic, payload, cls, created: now, refusals: 0 });
    this.bytes[cls] += size;
    return true;
  }

  next(): OutboundMessage | undefined {
    const msg = this.pending.alert.shift() ?? this.pending.telemetry.shift();
    if (msg !== undefined) this.inflight.set(msg.id, msg);
    return msg;
  }

  acknowledge(id: number): void {
    const msg = this.inflight.get(id);
    if (msg === undefined) return;
    this.inflight.delete(id);
    this.bytes[msg.cls] -= msg.payload.length;
  }

  refuse(id: number, limit: number): boolean {
    const msg = this.inflight.get(id);
    if (msg === undefined) return false;
    msg.refusals++;
    if (msg.refusals < limit) return false;
    this.acknowledge(id);
    this.dropped.refused++;
    return true;
  }

  requeueInflight(): void {
    const back = [...this.inflight.values()].sort((a, b) => b.id - a.id);
    this.inflight.clear();
    for (const msg of back) this.pending[msg.cls].unshift(msg);
  }

  expire(now: number): number {
    let n = 0;
    for (const cls of ['telemetry', 'alert'] as const) {
      const maxAge = cls === 'alert' ? this.limits.alertMaxAgeMs : this.limits.telemetryMaxAgeMs;
      const queue = this.pending[cls];
      while (queue.length > 0 && now - queue[0]!.created > maxAge) {
        this.bytes[cls] -= queue.shift()!.payload.length;
        this.dropped[cls === 'alert' ? 'alert-expired' : 'telemetry-expired']++;
        n++;
      }
    }
    return n;
  }

  pendingCount(): number { return this.pending.alert.length + this.pending.telemetry.length; }
  inflightCount(): number { return this.inflight.size; }
  outstanding(): number { return this.inflight.size; }
  settle(): void {}
  totalBytes(): number { return this.bytes.telemetry + this.bytes.alert; }

  oldest(): number | undefined {
    let t: number | undefined;
    for (const m of [this.pending.alert[0], this.pending.telemetry[0], ...this.inflight.values()]) {
      if (m !== undefined && (t === undefined || m.created < t)) t = m.created;
    }
    return t;
  }

  drops(): Record<DropReason, number> {
    return { ...this.dropped };
  }

  close(): void {}

  private dropOldestTelemetry(): boolean {
    const msg = this.pending.telemetry.shift();
    if (msg === undefined) return false;
    this.bytes.telemetry -= msg.payload.length;
    return true;
  }
}
