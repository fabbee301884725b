/**
 * cbor-x configured to write and read plain RFC 8949 CBOR: no record extension, no shared
 * structures, no bundled strings, no tags of its own, shortest map headers. Any conforming
 * decoder reads what we write; that is the promise docs/batch-format.md makes.
 */
import { Decoder, Encoder } from 'cbor-x';

const options = {
  useRecords: false,
  mapsAsObjects: true,
  variableMapSize: true,
  tagUint8Array: false,
  bundleStrings: false,
  pack: false,
} as const;

const encoder = new Encoder(options);
// 64-bit integer heads (a millisecond timestamp from another encoder) decode as numbers, not
// BigInt: every integer in a batch fits a double, and the batch checks expect numbers.
const decoder = new Decoder({ ...options, int64AsNumber: true } as ConstructorParameters<typeof Decoder>[0]);

export function encodeCbor(value: unknown): Buffer {
  return encoder.encode(value);
}

export function decodeCbor(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}
