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
const decoder = new Decoder(options);

export function encodeCbor(value: unknown): Buffer {
  return encoder.encode(value);
}

export function decodeCbor(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}
