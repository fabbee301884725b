/**
 * De-duplication for consumers. Batches travel at QoS 1 (at least once) and a gateway resends
 * what was in flight when its link or its power went, so a consumer sees some batches twice.
 * `{gateway, epoch, seq}` names a batch uniquely: the epoch increases at every gateway start and
 * seq within it. Memory stays bounded: per gateway and epoch, the highest seq below which all
 * were seen, plus the few seen above it.
 */
import { decodeBatch } from './decode.js';
import type { DecodedBatch } from './format.js';

interface EpochSeen {
  /** Every seq <= contiguous has been seen. */
  contiguous: number;
  above: Set<number>;
}

export interface DeduplicatorOptions {
  /** Seqs remembered above the contiguous mark per epoch before a gap is taken as lost. */
  maxAbove?: number;
  /** Epochs remembered per gateway (a restarted gateway still resends its old epoch's spool). */
  maxEpochs?: number;
}

export class Deduplicator {
  private readonly seen = new Map<string, Map<number, EpochSeen>>();
  private readonly maxAbove: number;
  private readonly maxEpochs: number;
  duplicates = 0;

  constructor(options: DeduplicatorOptions = {}) {
    this.maxAbove = options.maxAbove ?? 10_000;
    this.maxEpochs = options.maxEpochs ?? 16;
  }

  /** True the first time this batch is seen; false for a duplicate (and counts it). */
  firstSeen(gateway: string, epoch: number, seq: number): boolean {
    let epochs = this.seen.get(gateway);
    if (epochs === undefined) {
      epochs = new Map();
      this.seen.set(gateway, epochs);
    }
    let e = epochs.get(epoch);
    if (e === undefined) {
      e = { contiguous: 0, above: new Set() };
      epochs.set(epoch, e);
      if (epochs.size > this.maxEpochs) epochs.delete(Math.min(...epochs.keys()));
    }
    if (seq <= e.contiguous || e.above.has(seq)) {
      this.duplicates++;
      return false;
    }
    e.above.add(seq);
    this.compact(e);
    return true;
  }

  private compact(e: EpochSeen): void {
    while (e.above.delete(e.contiguous + 1)) e.contiguous++;
    if (e.above.size <= this.maxAbove) return;
    // A gap this old will not be filled (the gateway dropped that batch and said so in its
    // drop counts): move past it rather than remember ever more seqs.
    e.contiguous = Math.min(...e.above);
    e.above.delete(e.contiguous);
    while (e.above.delete(e.contiguous + 1)) e.contiguous++;
  }
}

/** A decoder that drops duplicates: returns the batch the first time, undefined after that. */
export function createDedupDecoder(options: DeduplicatorOptions = {}): ((bytes: Uint8Array) => DecodedBatch | undefined) & { dedup: Deduplicator } {
  const dedup = new Deduplicator(options);
  const decode = (bytes: Uint8Array): DecodedBatch | undefined => {
    const batch = decodeBatch(bytes);
    return dedup.firstSeen(batch.gateway, batch.epoch, batch.seq) ? batch : undefined;
  };
  return Object.assign(decode, { dedup });
}
