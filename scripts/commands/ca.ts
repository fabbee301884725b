/**
 * `kerb ca`: a certificate authority for a lab or a test broker (scripts/tls/lab-ca.ts). It makes
 * the CA, the broker's certificate and one client certificate per gateway whose CN is the
 * gateway id: what a mosquitto with `require_certificate true` and `use_identity_as_username true`
 * expects. A city's own PKI replaces it in the field; the gateway only reads PEM files.
 */
import { formatHelp, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { CaError } from '../tls/openssl.js';
import { initCa, issueClient, issueServer, type IssuedCert } from '../tls/lab-ca.js';

const help = {
  usage: 'kerb ca init|issue|server --dir DIR [options]',
  description: 'A lab certificate authority (uses the openssl command):\n' +
    '  kerb ca init   --dir DIR                   the CA: DIR/ca.key (mode 0600) and DIR/ca.crt\n' +
    '  kerb ca issue  --dir DIR --gateway ID      a client certificate with CN=ID: DIR/ID.key (0600), DIR/ID.crt\n' +
    '  kerb ca server --dir DIR --host NAME ...   the broker\'s certificate for NAME(s): DIR/server.key, DIR/server.crt\n' +
    'Give the gateway --tls-ca DIR/ca.crt --tls-cert DIR/ID.crt --tls-key DIR/ID.key; give the broker\n' +
    'ca.crt, server.crt and server.key (docs/cli.md, "TLS to the broker", shows a mosquitto configuration and ACL).\n' +
    'Keys are EC P-256; certificates start an hour back (clock skew). For labs and tests: a city runs its own PKI.',
  options: [
    ['--dir DIR', 'the CA directory'],
    ['--gateway ID', 'issue: the gateway id (the site file\'s gateway:), the certificate\'s CN and the broker username'],
    ['--client NAME', 'issue: another client instead (a monitor or operator), same rules as an id'],
    ['--host NAME', 'server: a DNS name or IP address gateways connect to; repeat for more'],
    ['--days N', 'validity (default 365; init: 3650)'],
    ['--not-before DATE', 'issue/server: start of validity, e.g. 2020-01-01 (default: an hour ago); with a past date and few --days, an expired certificate to test with'],
    ['--out BASE', 'issue/server: write BASE.key and BASE.crt instead'],
    ['--name TEXT', 'init: the CA\'s name (default "Kerb lab CA (<dir name>)")'],
    ['--force', 'replace existing files'],
    ['--json', 'print what was written as JSON'],
  ] as Array<[string, string]>,
  examples: [
    'kerb ca init --dir ~/kerb-lab-ca',
    'kerb ca server --dir ~/kerb-lab-ca --host broker.lab --host 192.168.1.10',
    'kerb ca issue --dir ~/kerb-lab-ca --gateway gw-main-street',
    'kerb ca issue --dir ~/kerb-lab-ca --gateway gw-main-street --not-before 2020-01-01 --days 1 --out /tmp/expired',
  ],
};

function days(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--days must be a whole number >= 1, got '${value}'`, EXIT.usage);
  return n;
}

function date(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new CliError(`--not-before must be a date such as 2025-01-31 or 2025-01-31T12:00:00Z, got '${value}'`, EXIT.usage);
  return ms;
}

function print(what: string, c: IssuedCert, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(c, null, 2) + '\n');
    return;
  }
  process.stdout.write([
    `${what}  ${c.subject}`,
    `certificate  ${c.cert}`,
    `private key  ${c.key}  (mode 0600)`,
    `valid        ${c.notBefore} .. ${c.notAfter}`,
  ].join('\n') + '\n');
}

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, {
    dir: { type: 'string' }, gateway: { type: 'string' }, client: { type: 'string' }, host: { type: 'string', multiple: true },
    days: { type: 'string' }, 'not-before': { type: 'string' }, out: { type: 'string' }, name: { type: 'string' },
    force: { type: 'boolean' }, json: { type: 'boolean' },
  }, help, true);
  if (args === undefined) return EXIT.ok;
  const v = args.values;
  const [action, ...extra] = args.positionals;
  const dir = stringOption(v, 'dir');
  if (action === undefined || extra.length > 0 || !['init', 'issue', 'server'].includes(action)) {
    throw new CliError(`expected one of init, issue, server${action ? `, got '${args.positionals.join(' ')}'` : ''}\n\n${formatHelp(help)}`, EXIT.usage);
  }
  if (dir === undefined) throw new CliError(`--dir DIR is required\n\n${formatHelp(help)}`, EXIT.usage);
  const common = { dir, force: v.force === true };
  const n = days(stringOption(v, 'days'));
  const valid = n !== undefined ? { days: n } : {};
  const start = date(stringOption(v, 'not-before'));
  const out = stringOption(v, 'out');
  const json = v.json === true;
  try {
    if (action === 'init') {
      const name = stringOption(v, 'name');
      print('CA', initCa({ ...common, ...valid, ...(name ? { name } : {}) }), json);
    } else if (action === 'issue') {
      const gateway = stringOption(v, 'gateway');
      const client = stringOption(v, 'client');
      if ((gateway === undefined) === (client === undefined)) throw new CliError('issue needs --gateway ID (or --client NAME for a monitor or operator)', EXIT.usage);
      print('client', issueClient({ ...common, ...valid, cn: (gateway ?? client)!, ...(start !== undefined ? { notBefore: start } : {}), ...(out ? { out } : {}) }), json);
    } else {
      const hosts = (v.host as unknown as string[] | undefined) ?? [];
      if (hosts.length === 0) throw new CliError('server needs --host NAME (repeat it for more names or addresses)', EXIT.usage);
      print('server', issueServer({ ...common, ...valid, hosts, ...(start !== undefined ? { notBefore: start } : {}), ...(out ? { out } : {}) }), json);
    }
  } catch (err) {
    if (!(err instanceof CaError)) throw err;
    const code = err.code === 'E_BAD_NAME' || err.code === 'E_BAD_VALIDITY' ? EXIT.usage : err.code === 'E_CA_MISSING' || err.code === 'E_CA_EXISTS' || err.code === 'E_CERT_EXISTS' ? EXIT.invalid : EXIT.failed;
    throw new CliError(err.message, code);
  }
  return EXIT.ok;
}
