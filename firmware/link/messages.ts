/**
 * What a node says over the link, as CBOR payloads (docs/serial-link.md):
 *   hello:   { id, kind, fw, profile, boot }                      (a map: rare, and read by people)
 *   outputs: [ [1, metric, value, ageMs] | [2, name, severity, value, ageMs, detail?] ... ]
 * `ageMs` is how long before sending the reading was taken: the node's clock and the gateway's
 * never need to agree, the gateway subtracts the age from the time it received the frame.
 */
import type { Output } from '../devices/types.js';
import { CborWriter } from './cbor-writer.js';
import { MAX_PAYLOAD } from './frame.js';

export const MSG_READING = 1;
export const MSG_EVENT = 2;

export const SEVERITY_CODES = ['info', 'alert', 'fault'];

export interface Hello {
  id: string;
  kind: string;
  fw: string;
  profile: string;
  boot: number;
}

export function encodeHello(writer: CborWriter, hello: Hello): Uint8Array | undefined {
  writer.reset();
  writer.mapHeader(5);
  writer.text('id');
  writer.text(hello.id);
  writer.text('kind');
  writer.text(hello.kind);
  writer.text('fw');
  writer.text(hello.fw);
  writer.text('profile');
  writer.text(hello.profile);
  writer.text('boot');
  writer.number(hello.boot);
  return writer.ok() && writer.bytes().length <= MAX_PAYLOAD ? writer.bytes() : undefined;
}

function writeOutput(writer: CborWriter, out: Output, now: number): void {
  const age = Math.max(0, Math.round(now - out.time));
  if (out.type === 'reading') {
    writer.arrayHeader(4);
    writer.number(MSG_READING);
    writer.text(out.metric);
    writer.number(out.value);
    writer.number(age);
    return;
  }
  const hasDetail = out.detail.length > 0;
  writer.arrayHeader(hasDetail ? 6 : 5);
  writer.number(MSG_EVENT);
  writer.text(out.name);
  writer.number(SEVERITY_CODES.indexOf(out.severity));
  writer.number(out.value);
  writer.number(age);
  if (hasDetail) writer.text(out.detail);
}

/**
 * Packs as many of `outputs` (from `from`, at most 23 so the array head is one byte) as fit one
 * frame into `writer`; returns how many it took. Two passes: sizes first (in `scratch`), then
 * the frame. 0 means even one does not fit: a bug (a detail string too long) for the caller.
 */
export function encodeOutputs(writer: CborWriter, scratch: CborWriter, outputs: Output[], from: number, now: number): number {
  let size = 1;
  let n = 0;
  while (from + n < outputs.length && n < 23) {
    scratch.reset();
    writeOutput(scratch, outputs[from + n], now);
    if (!scratch.ok() || size + scratch.bytes().length > MAX_PAYLOAD) break;
    size += scratch.bytes().length;
    n++;
  }
  writer.reset();
  if (n === 0) return 0;
  writer.arrayHeader(n);
  for (let i = 0; i < n; i++) writeOutput(writer, outputs[from + i], now);
  return n;
}
