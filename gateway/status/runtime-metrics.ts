/**
 * The gateway process's own health for `/metrics`: event-loop lag from
 * perf_hooks.monitorEventLoopDelay and memory from process.memoryUsage().
 *
 * Lag is measured between scrapes: `sample()` reads the histogram and resets it, so each scrape
 * reports the p50, p99 and max lag seen since the previous one (the first since start()).
 * A stuck loop shows up on the next scrape even if it recovered in between. `peek()` reads
 * without resetting, for a second reader (the status page) that must not steal the window.
 * Nothing runs until start(); stop() disables the histogram, leaving no timer behind.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface RuntimeSample {
  eventLoopLagS: { p50: number; p99: number; max: number; mean: number };
  /** Lag samples behind the figures above (0 before the first one). */
  eventLoopSamples: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
}

/** What the sampler needs of the histogram: Node's IntervalHistogram, or a fake in tests. */
export type LagHistogram = Pick<IntervalHistogram, 'enable' | 'disable' | 'reset' | 'percentile' | 'max' | 'mean' | 'count'>;

export interface RuntimeSamplerOptions {
  /** Sampling resolution of the lag histogram, ms; default 20. */
  resolutionMs?: number;
  memoryUsage?: () => Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed' | 'heapTotal'>;
  histogram?: (resolutionMs: number) => LagHistogram;
}

const NS_PER_S = 1e9;

export class RuntimeSampler {
  private readonly resolutionMs: number;
  private readonly memoryUsage: () => Pick<NodeJS.MemoryUsage, 'rss' | 'heapUsed' | 'heapTotal'>;
  private readonly makeHistogram: (resolutionMs: number) => LagHistogram;
  private histogram: LagHistogram | undefined;

  constructor(o: RuntimeSamplerOptions = {}) {
    this.resolutionMs = o.resolutionMs ?? 20;
    if (!(Number.isInteger(this.resolutionMs) && this.resolutionMs >= 1)) {
      throw new RangeError(`resolutionMs must be an integer >= 1, got ${this.resolutionMs}`);
    }
    this.memoryUsage = o.memoryUsage ?? (() => process.memoryUsage());
    this.makeHistogram = o.histogram ?? ((resolution) => monitorEventLoopDelay({ resolution }));
  }

  running(): boolean {
    return this.histogram !== undefined;
  }

  start(): void {
    if (this.histogram !== undefined) return;
    this.histogram = this.makeHistogram(this.resolutionMs);
    this.histogram.enable();
  }

  stop(): void {
    this.histogram?.disable();
    this.histogram = undefined;
  }

  /** The lag since the last sample() (then reset) and memory now. */
  sample(): RuntimeSample {
    const s = this.peek();
    this.histogram?.reset();
    return s;
  }

  /** Like sample(), without resetting the lag window. */
  peek(): RuntimeSample {
    const h = this.histogram;
    const count = h?.count ?? 0;
    // An empty histogram reports min as 2^63 and percentiles as garbage: say 0 instead.
    const lag = h === undefined || count === 0
      ? { p50: 0, p99: 0, max: 0, mean: 0 }
      : { p50: h.percentile(50) / NS_PER_S, p99: h.percentile(99) / NS_PER_S, max: h.max / NS_PER_S, mean: h.mean / NS_PER_S };
    const m = this.memoryUsage();
    return { eventLoopLagS: lag, eventLoopSamples: count, rssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal };
  }
}
