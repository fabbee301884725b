/**
 * The node's persistent state in Espruino's Storage (flash). Names are at most 28 characters
 * on Espruino; ours are short fixed keys.
 */
import type { KeyStore } from '../../node/key-store.js';

export function espruinoStore(): KeyStore {
  const storage = require('Storage');
  return {
    read: function (key: string): string | undefined {
      const text = storage.read(key);
      return text === undefined ? undefined : String(text);
    },
    write: function (key: string, text: string): void {
      storage.write(key, text);
    },
  };
}
