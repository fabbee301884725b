/**
 * The messages waiting for the broker's acknowledgement, in memory and bounded. A message stays
 * here from enqueue until its PUBACK; what is in flight when the link drops goes back to the
 * front. When full, telemetry drops its oldest first; alerts have a reserved share telemetry
 * cannot take. Every drop is counted by reason.
 */
export type MessageClass = 'telemetry' | 'alert';

export interface OutboundMessage {
  id: number;
  topic: string;
  payload: Buffer;
  cls: MessageClass;
  retain: boolean;
  /** Times the broker refused this message on a live link. */
  refusals: number;
}

export interface OutboxLimits {
  maxBytes: number;
  /** Bytes that only alerts may use. */
  alertReserveBytes: number;
}

export type DropReason = 'telemetry-full' | 'alert-full' | 'too-large' | 'refused';

export class Outbox {
  private pending: OutboundMessage[] = [];
  private inflight = new Map<number, OutboundMessage>();
  private nextId = 1;
  private bytes = { telemetry: 0, alert: 0 };
  readonly drops: Record<DropReason, number> = { 'telemetry-full': 0, 'alert-full': 0, 'too-large': 0, refused: 0 };

  constructor(private readonly limits: OutboxLimits) {}

  /** Accepts a message; false when it had to be dropped (and the drop is counted). */
  add(topic: string, payload: Buffer, cls: MessageClass, retain = false): boolean {
    const size = payload.length;
    if (size > (cls === 'alert' ? this.limits.maxBytes : this.limits.maxBytes - this.limits.alertReserveBytes)) {
      this.drops['too-large']++; // refused before it can evict anything
      return false;
    }
    const telemetryCap = this.limits.maxBytes - this.limits.alertReserveBytes;
    const fits = (): boolean => this.totalBytes() + size <= this.limits.maxBytes &&
      (cls === 'alert' || this.bytes.telemetry + size <= telemetryCap);
    while (!fits() && this.dropOldest('telemetry')) this.drops['telemetry-full']++;
    if (!fits()) {
      this.drops[cls === 'alert' ? 'alert-full' : 'telemetry-full']++;
      return false;
    }
    this.pending.push({ id: this.nextId++, topic, payload, cls, retain, refusals: 0 });
    this.bytes[cls] += size;
    return true;
  }

  /** Next message to send, now counted as in flight; undefined when none waits. */
  next(): OutboundMessage | undefined {
    const msg = this.pending.shift();
    if (msg !== undefined) this.inflight.set(msg.id, msg);
    return msg;
  }

  acknowledge(id: number): void {
    const msg = this.inflight.get(id);
    if (msg === undefined) return;
    this.inflight.delete(id);
    this.bytes[msg.cls] -= msg.payload.length;
  }

  /**
   * The broker refused an in-flight message on a live link. After `limit` refusals it is set
   * aside and counted, so one message a broker will never take cannot block all the others.
   * Returns true when it was set aside.
   */
  refuse(id: number, limit: number): boolean {
    const msg = this.inflight.get(id);
    if (msg === undefined) return false;
    msg.refusals++;
    if (msg.refusals < limit) return false;
    this.acknowledge(id);
    this.drops.refused++;
    return true;
  }

  /** The link dropped: everything in flight is sent again, in its original order. */
  requeueInflight(): void {
    const back = [...this.inflight.values()].sort((a, b) => a.id - b.id);
    this.inflight.clear();
    this.pending.unshift(...back);
  }

  inflightCount(): number { return this.inflight.size; }
  pendingCount(): number { return this.pending.length; }
  totalBytes(): number { return this.bytes.telemetry + this.bytes.alert; }

  private dropOldest(cls: MessageClass): boolean {
    const i = this.pending.findIndex((m) => m.cls === cls);
    if (i < 0) return false;
    const [msg] = this.pending.splice(i, 1);
    this.bytes[cls] -= msg!.payload.length;
    return true;
  }
}
