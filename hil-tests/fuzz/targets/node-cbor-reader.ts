/**
 * The node's side: its small CBOR reader (firmware/link/cbor-reader.ts) and readGatewayPayload,
 * which reads what the gateway sends. Neither may throw at all: they return an error message,
 * because an exception on the microcontroller would take the link down.
 */
import fc from 'fast-check';
import { decodeCbor } from '../../../firmware/link/cbor-reader.js';
import { readGatewayPayload, type GatewayMessage } from '../../../firmware/link/messages.js';
import { encodeCommand, encodeMaintenance, encodeSetup } from '../../../gateway/node/node-messages.js';
import { cborBytes } from '../cbor-arbitrary.js';
import { CBOR_SEEDS } from '../cbor-seeds.js';
import { showBytes, violation, type FuzzTarget } from '../fuzz-target.js';

const GOOD = encodeCommand(3, { name: 'override', args: { level: 0.5, minutes: 10 } });

const wellFormed = fc.oneof(
  fc.constantFrom(GOOD, encodeMaintenance(), encodeSetup(null, 52.3, 4.9), encodeSetup(1.7e12, 91, 0)),
  fc.tuple(fc.nat(70000), fc.string({ maxLength: 12 }), fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.boolean()), { maxKeys: 4 }))
    .map(([id, name, args]) => {
      try {
        return encodeCommand(id, { name, args });
      } catch {
        return GOOD;
      }
    }),
);

function depth(v: unknown): number {
  if (v === null || typeof v !== 'object') return 0;
  return 1 + Math.max(0, ...Object.values(v as object).map(depth));
}

export const nodeCborReader: FuzzTarget<Uint8Array> = {
  name: 'node-cbor-reader',
  parser: 'firmware decodeCbor + readGatewayPayload',
  arbitrary: cborBytes({ texts: ['override', 'level', 'minutes', 'clear-override', 'lamp'], ints: [5, 6, 7, 0, 1, 65535, 65536] }, wellFormed),
  seeds: CBOR_SEEDS,
  run(bytes) {
    const r = decodeCbor(bytes);
    violation((r.error === '') !== (r.value === undefined), 'decodeCbor gave both a value and an error, or neither');
    if (r.error === '') violation(depth(r.value) <= 4, 'decodeCbor returned a value nested deeper than its limit of 4');
    const into: GatewayMessage[] = [];
    const error = readGatewayPayload(bytes, into);
    violation(typeof error === 'string', 'readGatewayPayload did not return a string');
    if (error !== '') violation(into.length === 0, 'a refused payload left messages behind (half-applied)');
    for (const m of into) {
      if (m.type !== 'command') continue;
      violation(Object.getPrototypeOf(m.command.args) === Object.prototype, 'command arguments with a prototype other than Object.prototype');
    }
  },
  isTyped: () => false,
  stillWorks() {
    const into: GatewayMessage[] = [];
    violation(readGatewayPayload(GOOD, into) === '' && into.length === 1, 'a good command is not read');
  },
  show: showBytes,
};
