/**
 * Decodes and checks a batch of any version this gateway knows (0 and 1), compressed or not.
 * Anything malformed is refused with a BatchError naming the place (`series[3][2]`) and the
 * reason, never a TypeError from deep inside; consumers and `kerb decode` rely on that.
 */
import zlib from 'node:zlib';
import { decodeCbor } from './cbor.js';
import { BatchError, describe, map, oneOf, shape, str, uint } from './decode-checks.js';
import { decodeBodyV0, type DecodedBody } from './decode-v0.js';
import { decodeBodyV1 } from './decode-v1.js';
import { batchDictionary } from './dictionary.js';
import { BATCH_VERSION, type DecodedBatch } from './format.js';

export { BatchError, type BatchErrorCode } from './decode-checks.js';

/** A compressed body may not inflate beyond this: a few hundred bytes must not claim gigabytes. */
export const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

const HEADER = new Set(['v', 'gateway', 'site', 'epoch', 'seq', 'z', 'dict', 'body']);

function cbor(bytes: Uint8Array, what: string): unknown {
  try {
    return decodeCbor(bytes);
  } catch (err) {
    throw new BatchError('E_BATCH_CBOR', what, `not well-formed CBOR (${(err as Error).message})`);
  }
}

/** The members of a compressed body, inflated with the dictionary the batch names. */
function inflated(top: Record<string, unknown>): Record<string, unknown> {
  oneOf(top.z, ['deflate'] as const, 'z');
  const id = uint(top.dict, 'dict');
  if (id > 1) throw new BatchError('E_BATCH_DEFLATE', 'dict', `dictionary ${id} is not known to this decoder (it knows 0 and 1)`);
  if (!(top.body instanceof Uint8Array)) shape('body', `expected a byte string, found ${describe(top.body)}`);
  for (const key of Object.keys(top)) if (!HEADER.has(key)) shape(key, 'a compressed batch carries this inside its body, not beside it');
  let raw: Buffer;
  try {
    raw = zlib.inflateRawSync(top.body, { maxOutputLength: MAX_INFLATED_BYTES, ...(id === 0 ? {} : { dictionary: batchDictionary(id) }) });
  } catch (err) {
    throw new BatchError('E_BATCH_DEFLATE', 'body', `cannot be inflated (${(err as Error).message})`);
  }
  return map(cbor(raw, 'body'), 'body');
}

export function decodeBatch(bytes: Uint8Array): DecodedBatch {
  const raw = cbor(bytes, '');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof Uint8Array) shape('', `expected a map at the top, found ${describe(raw)}`);
  const top = raw as Record<string, unknown>;
  const v = uint(top.v, 'v');
  if (v > BATCH_VERSION) throw new BatchError('E_BATCH_VERSION', 'v', `batch format ${v} is not supported (this decoder reads 0 to ${BATCH_VERSION})`);
  const header = {
    v, gateway: str(top.gateway, 'gateway'), site: str(top.site, 'site'), epoch: uint(top.epoch, 'epoch'), seq: uint(top.seq, 'seq'),
  };
  let body: DecodedBody;
  let members = top;
  if (v === 0) body = decodeBodyV0(top);
  else {
    if (top.z !== undefined) members = inflated(top);
    body = decodeBodyV1(members);
  }
  const out: DecodedBatch = { ...header, time: body.time, series: body.series, events: body.events, values: body.values };
  if (members !== top) out.compression = 'deflate';
  if (members.drops !== undefined) {
    const drops = map(members.drops, 'drops');
    out.drops = {};
    for (const [reason, count] of Object.entries(drops)) out.drops[reason] = uint(count, `drops.${reason}`);
  }
  return out;
}
