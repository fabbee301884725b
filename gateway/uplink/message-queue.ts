/**
 * What the uplink sends from: messages waiting for the broker's acknowledgement. A message
 * stays from add() until acknowledge(); what is in flight when the link drops is sent again.
 * Two implementations pass one contract suite (hil-tests/spool/message-queue-contract.ts): the
 * SQLite spool that survives power cuts (gateway/spool/) and a bounded in-memory outbox
 * (outbox.ts) for when no disk can be had.
 */
export type MessageClass = 'telemetry' | 'alert';

export type DropReason =
  | 'telemetry-full' // oldest telemetry evicted to make room (or new telemetry refused)
  | 'alert-full' // an alert refused: even evicting all telemetry left no room
  | 'too-large' // larger than its class may ever hold
  | 'refused' // the broker refused it on live links, again and again
  | 'telemetry-expired' // older than the telemetry age bound
  | 'alert-expired' // older than the alert age bound
  | 'write-failed'; // the store could not write it (disk full, I/O error)

export const DROP_REASONS: readonly DropReason[] = [
  'telemetry-full', 'alert-full', 'too-large', 'refused', 'telemetry-expired', 'alert-expired', 'write-failed',
];

export function noDrops(): Record<DropReason, number> {
  return { 'telemetry-full': 0, 'alert-full': 0, 'too-large': 0, refused: 0, 'telemetry-expired': 0, 'alert-expired': 0, 'write-failed': 0 };
}

export interface OutboundMessage {
  id: number;
  topic: string;
  payload: Buffer;
  cls: MessageClass;
  /** Wall ms when it was added. */
  created: number;
  /** Times the broker refused this message on a live link. */
  refusals: number;
}

export interface QueueLimits {
  /** Payload bytes the queue may hold in all. */
  maxBytes: number;
  /** Bytes within maxBytes that only alerts may use. */
  alertReserveBytes: number;
  /** Messages older than these (wall ms) are dropped and counted. */
  telemetryMaxAgeMs: number;
  alertMaxAgeMs: number;
}

export const DEFAULT_QUEUE_LIMITS: QueueLimits = {
  maxBytes: 256 * 1024 * 1024,
  alertReserveBytes: 16 * 1024 * 1024,
  telemetryMaxAgeMs: 30 * 24 * 3_600_000,
  alertMaxAgeMs: 90 * 24 * 3_600_000,
};

/**
 * The limits with defaults applied, checked: a reserve as large as the whole queue would make
 * every telemetry message "too large", silently, for ever.
 */
export function queueLimits(given: Partial<QueueLimits>, defaults: QueueLimits = DEFAULT_QUEUE_LIMITS): QueueLimits {
  const l = { ...defaults, ...given };
  const problems: string[] = [];
  if (!(l.maxBytes > 0)) problems.push(`maxBytes must be > 0, got ${l.maxBytes}`);
  if (!(l.alertReserveBytes >= 0 && l.alertReserveBytes < l.maxBytes)) {
    problems.push(`alertReserveBytes must be >= 0 and below maxBytes (${l.maxBytes}), got ${l.alertReserveBytes}`);
  }
  if (!(l.telemetryMaxAgeMs > 0) || !(l.alertMaxAgeMs > 0)) problems.push('the age bounds must be > 0 ms');
  if (problems.length > 0) throw new RangeError(`queue limits: ${problems.join('; ')}`);
  return l;
}

export interface MessageQueue {
  /**
   * Stores a message (durably, for the spool, before returning). False when it was refused;
   * the refusal is counted in drops(). May evict the oldest telemetry to make room.
   */
  add(topic: string, payload: Buffer, cls: MessageClass, now: number): boolean;
  /** The next message to send, now in flight: alerts before telemetry, oldest first. */
  next(): OutboundMessage | undefined;
  /** The broker acknowledged it: delete it. Unknown ids are ignored. */
  acknowledge(id: number): void;
  /** The broker refused it on a live link; after `limit` refusals it is dropped. True if dropped. */
  refuse(id: number, limit: number): boolean;
  /** The link dropped: every in-flight message is pending again, in its original order. */
  requeueInflight(): void;
  /** Drops messages past their class's age bound at wall time `now`; returns how many. */
  expire(now: number): number;
  pendingCount(): number;
  inflightCount(): number;
  /**
   * Messages handed out whose fate is not yet durable: in flight, plus acknowledged ones whose
   * deletion is not yet committed. A crash resends at most this many, so the uplink keeps it
   * within its in-flight window: duplicates after a power cut stay within that window.
   */
  outstanding(): number;
  /** Commits what acknowledge() has gathered, so outstanding() falls to inflightCount(). */
  settle(): void;
  /** Payload bytes held (pending and in flight). */
  totalBytes(): number;
  /** Wall ms of the oldest message held, undefined when empty. */
  oldest(): number | undefined;
  /** Drops so far, by reason (the spool keeps them across restarts). */
  drops(): Record<DropReason, number>;
  close(): void;
}
