/**
 * `kerb keygen`: makes the ed25519 key pair that signs firmware bundles (`kerb build --sign`).
 * BASE.key stays on the release machine; BASE.pub goes into every technician laptop's trusted
 * directory, where `kerb flash` looks for it.
 */
import path from 'node:path';
import { formatHelp, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { asCli } from '../sign/exit-code.js';
import { writeKeyPair } from '../sign/keys.js';

const TRUSTED = '~/.config/kerb/trusted';

const help = {
  usage: 'kerb keygen --out BASE [--force] [--json]',
  description: 'Makes an ed25519 key pair for signing firmware: BASE.key (the private key, PKCS#8 PEM, created\n' +
    'with mode 0600) and BASE.pub (the public key). Prints the key id bundles signed with it carry.\n' +
    `Copy BASE.pub into ${TRUSTED} (or $KERB_TRUST_DIR) on every technician\n` +
    'laptop; keep BASE.key off laptops in the field. Refuses to replace an existing key unless --force.',
  options: [
    ['--out BASE', 'where to write BASE.key and BASE.pub (a trailing .key or .pub is dropped)'],
    ['--force', 'replace an existing key pair (bundles signed with the old key then fail to verify)'],
    ['--json', 'print key id and paths as JSON'],
  ] as Array<[string, string]>,
  examples: [
    'kerb keygen --out ~/kerb-release/release',
    'kerb build --profile lamp-pir-pwm --sign ~/kerb-release/release.key --out lamp.kerb',
  ],
};

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, { out: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } }, help);
  if (args === undefined) return EXIT.ok;
  const out = stringOption(args.values, 'out');
  if (out === undefined || out === '') throw new CliError(`--out BASE is required\n\n${formatHelp(help)}`, EXIT.usage);
  const base = path.resolve(out.replace(/\.(key|pub)$/, ''));
  const written = asCli(() => writeKeyPair(base, { force: args.values.force === true }));
  if (args.values.json) {
    process.stdout.write(JSON.stringify({ keyId: written.keyId, privateKey: written.privateFile, publicKey: written.publicFile }, null, 2) + '\n');
    return EXIT.ok;
  }
  const pub = path.basename(written.publicFile);
  process.stdout.write([
    `key id       ${written.keyId}`,
    `private key  ${written.privateFile}  (mode 0600; keep it on the release machine, never on laptops in the field)`,
    `public key   ${written.publicFile}`,
    '',
    `next: copy ${pub} into the trusted directory of every technician laptop:`,
    `  mkdir -p ${TRUSTED} && cp ${written.publicFile} ${TRUSTED}/`,
    `then sign builds with: kerb build --profile NAME --sign ${written.privateFile} --out NAME.kerb`,
  ].join('\n') + '\n');
  return EXIT.ok;
}
