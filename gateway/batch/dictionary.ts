/**
 * The preset DEFLATE dictionary of compressed batches (RFC 1951 with a preset dictionary, as
 * zlib's `dictionary` option takes it). A small batch is mostly its header, its metric table and
 * its names: with them in the dictionary even a batch of a hundred values compresses well.
 *
 * Dictionary 1 is the CBOR encoding (RFC 8949 preferred serialisation) of the array below, whose
 * bytes docs/batch-format.md gives by SHA-256. It must never change: batches in spools and
 * archives name it by number. A better dictionary is a new number, and decoders keep the old.
 */
import { encodeCbor } from './cbor.js';

export const BATCH_DICTIONARY_ID = 1;

const LAMP_MODES = ['day', 'base', 'full', 'fade', 'failsafe', 'override', 'emergency'];

/** The content of dictionary 1; frozen (see above). Least useful first: deflate reaches the end cheapest. */
export const DICTIONARY_1_ITEMS: readonly unknown[] = [
  ['telemetry-full', 'alert-full', 'too-large', 'refused', 'telemetry-expired', 'alert-expired'],
  ['pir-stuck-high', 'pir-silent', 'pir-recovered', 'sensor-range', 'baseline-relearned', 'override', 'clear-override',
    'emergency', 'full', 'emptied', 'fire', 'occupied', 'free', 'lid'],
  [60000, 300000, 3600000, 0, 1, -1],
  ['lamp-', 'park-', 'bin-', 'gw-'],
  ['bin', [['fill', 'gauge', '%', 0], ['distance', 'gauge', 'cm', 1], ['temp', 'gauge', '\u00b0C', 1], ['lid', 'state', '', 0, ['closed', 'open']]]],
  ['parking', [['occupied', 'state', '', 0, ['free', 'occupied']], ['field', 'gauge', '\u00b5T', 1], ['distance', 'gauge', 'cm', 0]]],
  ['lamp', [['level', 'level', '', 3], ['motion', 'count', '', 0], ['mode', 'state', '', 0, LAMP_MODES]]],
  { z: 'deflate', dict: 1, body: 0 },
  { t: 0, devices: [], metrics: [], series: [], events: [], drops: {} },
  { v: 1, gateway: '', site: '', epoch: 0, seq: 0 },
];

let dictionary: Buffer | undefined;

export function batchDictionary(id = BATCH_DICTIONARY_ID): Buffer {
  if (id !== 1) throw new RangeError(`no batch dictionary ${id}`);
  dictionary ??= encodeCbor(DICTIONARY_1_ITEMS);
  return dictionary;
}
