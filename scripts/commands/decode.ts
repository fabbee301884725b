/** `kerb decode [--json] <file|->`: prints a batch readably, or as one JSON object. */
import fs from 'node:fs';
import { BatchError, decodeBatch } from '../../gateway/batch/decode.js';
import { parse } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { batchJson, formatBatch } from '../format-batch.js';

const help = {
  usage: 'kerb decode [--json] <file|->',
  description: 'Decodes one Kerb batch (CBOR, as published on kerb/v1/<site>/<gateway>/batch or /alert).\n' +
    "Reads standard input when the file is '-'. A malformed batch exits 3 naming the place and the reason.",
  options: [['--json', 'print one JSON object with gateway, epoch, seq, series and events']] as Array<[string, string]>,
  examples: ['kerb decode batch.cbor', 'mosquitto_sub -t "kerb/v1/#" -C 1 | kerb decode --json -'],
};

async function readInput(source: string): Promise<Buffer> {
  if (source !== '-') {
    try {
      return fs.readFileSync(source);
    } catch (err) {
      throw new CliError(`cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.invalid);
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, { json: { type: 'boolean' } }, help, true);
  if (args === undefined) return EXIT.ok;
  if (args.positionals.length !== 1) throw new CliError(`decode takes exactly one file (or '-')\n\nusage: ${help.usage}`, EXIT.usage);
  const source = args.positionals[0]!;
  const bytes = await readInput(source);
  try {
    const batch = decodeBatch(bytes);
    process.stdout.write((args.values.json ? JSON.stringify(batchJson(batch)) : formatBatch(batch, bytes.length)) + '\n');
    return EXIT.ok;
  } catch (err) {
    if (err instanceof BatchError) throw new CliError(`${source}: ${err.message} [${err.code}]`, EXIT.invalid);
    throw err;
  }
}
