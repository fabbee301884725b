/**
 * Persistent state on a node: a few small named JSON values. On Espruino this is the Storage
 * module (flash, wear-levelled by Storage itself but each write still erases eventually); on the
 * test bench an in-memory map. Writes go through WearLimitedStore or BootRecord, never directly
 * from device logic.
 */
export interface KeyStore {
  /** The text last written under `key`, or undefined. */
  read(key: string): string | undefined;
  write(key: string, text: string): void;
}

/** Parses what `store` holds under `key`; undefined when absent or not valid JSON (a torn write). */
export function readJson(store: KeyStore, key: string): unknown {
  const text = store.read(key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (e) {
    return undefined;
  }
}
