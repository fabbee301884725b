/**
 * Which Storage files a boot evaluates, after Espruino's jsfLoadBootCodeFromFlash: .boot0 to
 * .boot3 always, then .bootrst if it exists, else .bootcde, except after reset(): reset()
 * clears the interpreter without loading the saved code (.bootrst is "run even after reset()").
 * load(file) restarts and runs that one file.
 */
import type { FakeStorage } from './fake-storage.js';

export type BootKind = 'power' | 'reset' | { file: string };

const PRE = ['.boot0', '.boot1', '.boot2', '.boot3'];

export function bootFiles(storage: FakeStorage, kind: BootKind): string[] {
  if (typeof kind === 'object') return [...PRE, kind.file];
  if (storage.read('.bootrst') !== undefined) return [...PRE, '.bootrst'];
  return kind === 'power' ? [...PRE, '.bootcde'] : PRE;
}
