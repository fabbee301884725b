/**
 * Where a new message finds room, by the rule the MessageQueue contract states (and the
 * in-memory outbox keeps): payload bytes stay within maxBytes; telemetry never uses the alert
 * reserve; to make room the oldest pending telemetry is evicted, one message at a time; a
 * message larger than its class may ever hold is refused before anything is evicted. Pure: the
 * spool commits the plan in one transaction, so memory and file change together or not at all.
 */
import type { DropReason, MessageClass, QueueLimits } from '../uplink/message-queue.js';

export interface Candidate {
  id: number;
  bytes: number;
}

export interface RoomPlan<C extends Candidate> {
  accepted: boolean;
  /** Telemetry to delete first, oldest first (empty when refused as too large). */
  victims: C[];
  drops: Partial<Record<DropReason, number>>;
}

/**
 * `held` is the payload bytes per class now; `oldestTelemetry` yields the pending telemetry,
 * oldest first, and is read only as far as needed.
 */
export function planRoom<C extends Candidate>(
  size: number, cls: MessageClass, limits: QueueLimits, held: Record<MessageClass, number>, oldestTelemetry: Iterable<C>,
): RoomPlan<C> {
  const { maxBytes, alertReserveBytes } = limits;
  if (size > (cls === 'alert' ? maxBytes : maxBytes - alertReserveBytes)) {
    return { accepted: false, victims: [], drops: { 'too-large': 1 } };
  }
  let telemetry = held.telemetry;
  const fits = (): boolean => telemetry + held.alert + size <= maxBytes &&
    (cls === 'alert' || telemetry + size <= maxBytes - alertReserveBytes);
  const victims: C[] = [];
  if (!fits()) {
    for (const candidate of oldestTelemetry) {
      victims.push(candidate);
      telemetry -= candidate.bytes;
      if (fits()) break;
    }
  }
  if (!fits()) {
    // Even evicting every pending telemetry message would not make room (what is in flight
    // cannot be evicted): refuse the newcomer and keep what is stored.
    return { accepted: false, victims: [], drops: { [cls === 'alert' ? 'alert-full' : 'telemetry-full']: 1 } };
  }
  return { accepted: true, victims, drops: victims.length > 0 ? { 'telemetry-full': victims.length } : {} };
}
