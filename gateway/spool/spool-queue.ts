/**
 * The MessageQueue on disk: what add() accepted survives a crash or a power cut, and leaves
 * only when the broker acknowledges it. Counts and bytes live in memory (read once at open), so
 * the uplink's questions never scan; next() seeks the index from a cursor per class.
 *
 * Acknowledged messages are forgotten at once in memory but deleted from the file in batches —
 * inside the next add() (which commits anyway), after `deleteEvery` acknowledgements, at
 * expire() (which the uplink calls every minute) or at close(). One transaction per wave
 * instead of one per message is most of what keeps SD-card writes low (docs/spool.md). The
 * price: a crash before the batch commits makes those messages come back and be sent again,
 * which upstream de-duplication on {gateway, epoch, seq} absorbs. Nothing is ever lost by it.
 */
import type { Logger } from '../log/logger.js';
import {
  queueLimits, type DropReason, type MessageClass, type MessageQueue, type OutboundMessage, type QueueLimits,
} from '../uplink/message-queue.js';
import { planRoom } from './room.js';
import { SpoolError } from './spool-error.js';
import type { IndexEntry, SpoolStore } from './spool-store.js';

const CLASSES: readonly MessageClass[] = ['alert', 'telemetry']; // next() serves alerts first

/** What the spool keeps in memory about a message handed out by next(). */
interface InFlight {
  cls: MessageClass;
  bytes: number;
  refusals: number;
}

/** What the queue itself is given; openSpool's options add the logger and the clock. */
export interface SpoolQueueOptions {
  limits?: Partial<QueueLimits>;
  log?: Logger;
  /** Acknowledgements gathered before they are deleted in a transaction of their own; default 16. */
  deleteEvery?: number;
}

export class Spool implements MessageQueue {
  private readonly limits: QueueLimits;
  private readonly deleteEvery: number;
  private readonly count: Record<MessageClass, number> = { alert: 0, telemetry: 0 };
  private readonly bytes: Record<MessageClass, number> = { alert: 0, telemetry: 0 };
  /** Every message of the class up to this id has been handed out by next() since the last requeue. */
  private readonly cursor: Record<MessageClass, number> = { alert: 0, telemetry: 0 };
  private readonly inflight = new Map<number, InFlight>();
  /** Acknowledged (or refused for good) but still in the file until the next deletion batch. */
  private readonly gone = new Set<number>();
  private readonly dropped: Record<DropReason, number>;
  private nextId = 1;
  private state: 'open' | 'closed' = 'open';
  private readonly log: Logger | undefined;

  constructor(private readonly store: SpoolStore, readonly file: string, options: SpoolQueueOptions = {}) {
    this.limits = queueLimits(options.limits ?? {});
    this.deleteEvery = Math.max(1, options.deleteEvery ?? 16);
    this.log = options.log;
    for (const t of store.totals()) {
      this.count[t.cls] = t.count;
      this.bytes[t.cls] = t.bytes;
      this.nextId = Math.max(this.nextId, t.maxId + 1);
    }
    this.dropped = store.drops();
  }

  add(topic: string, payload: Buffer, cls: MessageClass, now: number): boolean {
    this.assertOpen();
    // The plan reads the index (no writes during a walk); then one fsynced transaction applies
    // the evictions, the drop counts, the batch of deletions and the new row.
    const plan = planRoom(payload.length, cls, this.limits, this.bytes, this.pendingEntries('telemetry'));
    const id = this.nextId;
    try {
      this.commit('durable', plan.victims, plan.drops, () => {
        if (plan.accepted) this.store.insert(id, cls, topic, payload, now);
      });
    } catch (err) {
      // A full disk or an I/O error: the batch is refused and counted, the gateway runs on, and
      // the next add() tries again. The count lives in memory: the disk just failed to take it.
      this.dropped['write-failed']++;
      this.log?.error('spool.write-failed', { file: this.file, topic, bytes: payload.length, error: (err as Error).message });
      return false;
    }
    if (!plan.accepted) return false;
    this.nextId++;
    this.count[cls]++;
    this.bytes[cls] += payload.length;
    return true;
  }

  next(): OutboundMessage | undefined {
    this.assertOpen();
    for (const cls of CLASSES) {
      for (let row = this.store.after(cls, this.cursor[cls]); row !== undefined; row = this.store.after(cls, row.id)) {
        this.cursor[cls] = row.id;
        if (this.gone.has(row.id)) continue;
        this.inflight.set(row.id, { cls, bytes: row.bytes, refusals: row.refusals });
        return { id: row.id, topic: row.topic, payload: row.payload, cls, created: row.created, refusals: row.refusals };
      }
    }
    return undefined;
  }

  acknowledge(id: number): void {
    this.assertOpen();
    if (!this.release(id)) return;
    if (this.gone.size >= this.deleteEvery) this.flushDeletes();
  }

  refuse(id: number, limit: number): boolean {
    this.assertOpen();
    const msg = this.inflight.get(id);
    if (msg === undefined) return false;
    msg.refusals++;
    if (msg.refusals < limit) {
      this.store.relaxed(() => this.store.setRefusals(id, msg.refusals));
      return false;
    }
    this.release(id);
    this.commit('relaxed', [], { refused: 1 });
    return true;
  }

  requeueInflight(): void {
    this.assertOpen();
    // Rewind each class's cursor to just before its oldest message in flight: next() walks
    // forward from there and serves them again in id order, skipping what was acknowledged.
    for (const [id, msg] of this.inflight) this.cursor[msg.cls] = Math.min(this.cursor[msg.cls], id - 1);
    this.inflight.clear();
  }

  expire(now: number): number {
    this.assertOpen();
    const expired: Record<MessageClass, IndexEntry[]> = { alert: [], telemetry: [] };
    for (const cls of CLASSES) {
      const cutoff = now - (cls === 'alert' ? this.limits.alertMaxAgeMs : this.limits.telemetryMaxAgeMs);
      for (const entry of this.pendingEntries(cls)) {
        if (entry.created >= cutoff) break;
        expired[cls].push(entry);
      }
    }
    const n = expired.alert.length + expired.telemetry.length;
    if (n > 0 || this.gone.size > 0) {
      this.commit('relaxed', [...expired.alert, ...expired.telemetry], { 'alert-expired': expired.alert.length, 'telemetry-expired': expired.telemetry.length });
    }
    return n;
  }

  pendingCount(): number { return this.count.alert + this.count.telemetry - this.inflight.size; }
  inflightCount(): number { return this.inflight.size; }
  outstanding(): number { return this.inflight.size + this.gone.size; }

  settle(): void {
    this.assertOpen();
    if (this.gone.size > 0) this.flushDeletes();
  }
  totalBytes(): number { return this.bytes.alert + this.bytes.telemetry; }

  oldest(): number | undefined {
    this.assertOpen();
    let oldest: number | undefined;
    for (const cls of CLASSES) {
      for (const entry of this.store.walk(cls, 0)) {
        if (this.gone.has(entry.id)) continue;
        if (oldest === undefined || entry.created < oldest) oldest = entry.created;
        break;
      }
    }
    return oldest;
  }

  drops(): Record<DropReason, number> {
    return { ...this.dropped };
  }

  /** Deletes what was acknowledged, checkpoints the WAL into the file and closes it. Idempotent. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    try {
      this.flushDeletes(); // if this fails, those messages are only sent again
    } finally {
      this.inflight.clear();
      this.store.close();
    }
  }

  /** Pending (not in flight, not acknowledged) messages of a class, oldest first. */
  private *pendingEntries(cls: MessageClass): Generator<IndexEntry> {
    for (const entry of this.store.walk(cls, this.cursor[cls])) if (!this.gone.has(entry.id)) yield entry;
  }

  /** Forgets an in-flight message in memory; its row joins the next deletion batch. */
  private release(id: number): boolean {
    const msg = this.inflight.get(id);
    if (msg === undefined) return false;
    this.inflight.delete(id);
    this.count[msg.cls]--;
    this.bytes[msg.cls] -= msg.bytes;
    this.gone.add(id);
    return true;
  }

  /**
   * One transaction: the batch of acknowledged rows, `removed` (telemetry evicted or messages
   * expired), the drop counts and `then`. Memory follows only once it has committed.
   */
  private commit(mode: 'durable' | 'relaxed', removed: readonly IndexEntry[], drops: Partial<Record<DropReason, number>>, then?: () => void): void {
    // Acknowledged rows are always deleted durably (see flushDeletes), whatever else commits.
    const how = this.gone.size > 0 ? 'durable' : mode;
    this.store[how](() => {
      this.store.remove(this.gone);
      this.store.remove(removed.map((e) => e.id));
      this.store.countDrops(drops);
      then?.();
    });
    this.gone.clear();
    for (const e of removed) {
      const cls = e.cls;
      this.count[cls]--;
      this.bytes[cls] -= e.bytes;
    }
    for (const [reason, n] of Object.entries(drops)) this.dropped[reason as DropReason] += n ?? 0;
  }

  /**
   * Deletes the acknowledged rows, fsynced: a power cut cannot bring back more than what is
   * outstanding (in flight plus acknowledged since the last wave), which the uplink keeps
   * within its window.
   */
  private flushDeletes(): void {
    if (this.gone.size > 0) this.commit('durable', [], {});
  }

  private assertOpen(): void {
    if (this.state === 'closed') throw new SpoolError('E_SPOOL_CLOSED', this.file, 'the spool was used after close()');
  }
}
