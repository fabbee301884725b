/**
 * Crash-loop detection, as ESPHome does it: every boot counts itself as unclean before anything
 * else runs, and only a node that then runs `stableMs` marks the boot clean. After `safeAfter`
 * unclean boots in a row the node starts in safe mode: only the link and a lamp's fail-safe
 * level, so a firmware or profile that kills the node still leaves the street lit and the node
 * reachable for a fix. Two writes per boot, whatever happens: bounded wear.
 */
import { readJson, type KeyStore } from './key-store.js';

export const BOOT_KEY = 'kerb.boot';

export interface BootInfo {
  /** Boots since the firmware was first started (also in the hello). */
  boot: number;
  /** Boots in a row that did not reach `stableMs`, this one included. */
  unclean: number;
  safe: boolean;
}

function count(v: unknown): number {
  return typeof v === 'number' && v >= 0 && v % 1 === 0 ? v : 0;
}

/** Counts this boot as unclean and decides the mode. */
export function recordBoot(store: KeyStore, safeAfter: number): BootInfo {
  const saved = readJson(store, BOOT_KEY) as { boot?: unknown; unclean?: unknown } | undefined;
  const boot = count(saved ? saved.boot : 0) + 1;
  const unclean = count(saved ? saved.unclean : 0) + 1;
  store.write(BOOT_KEY, JSON.stringify({ boot: boot, unclean: unclean }));
  return { boot: boot, unclean: unclean, safe: unclean > safeAfter };
}

/** This boot ran long enough: the crash-loop count starts again. */
export function markStable(store: KeyStore, info: BootInfo): void {
  store.write(BOOT_KEY, JSON.stringify({ boot: info.boot, unclean: 0 }));
}
