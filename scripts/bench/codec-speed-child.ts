/**
 * The process codec-speed.ts times the codecs in, holding nothing but the sample.
 *
 *   node --expose-gc codec-speed-child.js < {"rounds": 9, "payloads": ["<base64 batch>", ...]}
 *
 * Prints one JSON line (CodecSpeed) on stdout; a payload that is not a Kerb batch exits 1 with
 * decodeBatch's error on stderr.
 */
import { readStdin } from './bench-child.js';
import { measureCodecSpeedOn, type CodecChildInput } from './codec-speed.js';

async function main(): Promise<void> {
  const input = JSON.parse(await readStdin()) as CodecChildInput;
  if (!Array.isArray(input.payloads) || input.payloads.length === 0 || !(input.rounds >= 1)) {
    throw new Error('usage: codec-speed-child.js < {"rounds": N >= 1, "payloads": [base64, ...]} (at least one payload)');
  }
  const payloads = input.payloads.map((p) => new Uint8Array(Buffer.from(p, 'base64')));
  global.gc?.();
  process.stdout.write(JSON.stringify(measureCodecSpeedOn(payloads, input.rounds)) + '\n');
}

main().catch((err: Error) => {
  process.stderr.write(`codec-speed-child: ${err.stack ?? err.message}\n`);
  process.exitCode = 1;
});
