/**
 * `kerb command`: an operator signs one command with their key (kerb-command/1,
 * docs/commands.md), publishes it to the gateway's command topic, waits for the gateway's
 * answer on cmd-result and prints it.
 *
 * The counter: the gateway accepts from each key only counters above the last it accepted. The
 * laptop keeps the last one it used per site, gateway and key in a state file
 * ($KERB_COUNTERS_FILE, else $XDG_CONFIG_HOME/kerb/counters.json, else ~/.config/kerb/counters.json)
 * and takes the next; it is saved before the command leaves, so it is never used twice. `--counter N`
 * overrides it. When the gateway answers E_CMD_REPLAY it says its last counter: the file catches up
 * and the next run goes through.
 */
import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { commandKeyId, operatorKeys } from '../../gateway/commands/operator-keys.js';
import { MAX_AHEAD_MS } from '../../gateway/commands/verify.js';
import { MAX_ENVELOPE_BYTES, signEnvelope, targetName, type CommandArgs, type CommandBody, type CommandEnvelope } from '../../gateway/commands/envelope.js';
import type { CommandReply } from '../../gateway/commands/rejection.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { brokerUrl, formatHelp, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { PROFILES_DIR } from '../paths.js';
import { asCli } from '../sign/exit-code.js';
import { readPrivateKey } from '../sign/keys.js';
import { loadSiteOrFail } from '../site-config.js';

const help = {
  usage: 'kerb command --site FILE --key KEYFILE (--device ID | --corridor NAME) --name NAME [--arg k=v ...] --broker URL [options]',
  description: 'Signs one command with your operator key, sends it to the gateway of the site file and prints the\n' +
    "gateway's answer. The gateway accepts it only if your public key is in the site file's operators.\n" +
    'Exit 0: the gateway carried it out; 1: the gateway refused it (the answer says why); 4: no broker or no answer.',
  options: [
    ['--site FILE', 'the site file of the gateway (its site and gateway ids, its corridors)'],
    ['--key KEYFILE', 'your private key (BASE.key from `kerb keygen`; mode 0600)'],
    ['--device ID', 'the device to command'],
    ['--corridor NAME', 'a corridor of the site file (--name corridor --arg minutes=N, or --name corridor-end)'],
    ['--name NAME', 'override, clear-override, emergency, schedule (lamps); recalibrate (parking); measure (bins); corridor, corridor-end'],
    ['--arg k=v', 'an argument, repeatable: numbers and true/false are typed, anything else is text'],
    ['--expires DURATION', 'how long the signed command stays valid: 30s, 10m (default), 2h; at most 24h'],
    ['--broker URL', 'the broker the gateway uses, e.g. mqtt://broker.city:1883 (not needed with --dry-run)'],
    ['--counter N', "the command's counter instead of the next one from the state file"],
    ['--timeout DURATION', "how long to wait for the gateway's answer (default 15s)"],
    ['--tls-ca FILE', 'CA certificate to verify an mqtts:// broker with'],
    ['--tls-cert FILE', 'your client certificate for the broker'],
    ['--tls-key FILE', "that certificate's private key"],
    ['--dry-run', 'print the signed envelope and send nothing (its counter is used up all the same)'],
    ['--json', "print the gateway's answer as JSON"],
  ] as Array<[string, string]>,
  examples: [
    'kerb command --site elm-street.yaml --key ~/.kerb/ops-1.key --device lamp-03 --name override --arg level=1 --arg durationS=600 --broker mqtt://broker:1883',
    'kerb command --site elm-street.yaml --key ~/.kerb/ops-1.key --corridor school-route --name corridor --arg minutes=20 --broker mqtt://broker:1883',
    'kerb command --site elm-street.yaml --key ~/.kerb/ops-1.key --device lamp-03 --name schedule --arg duskOffsetMin=-15 --dry-run',
  ],
};

/** '90s', '10m', '2h' -> ms. */
export function durationMs(text: string, option: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (m === null || Number(m[1]) === 0) throw new CliError(`--${option} must be a duration like 30s, 10m or 2h; got '${text}'`, EXIT.usage);
  return Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

export function parseArg(text: string): [string, CommandArgs[string]] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new CliError(`--arg must be name=value, e.g. --arg level=0.5; got '${text}'`, EXIT.usage);
  const name = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  if (raw === 'true' || raw === 'false') return [name, raw === 'true'];
  if (raw.trim() !== '' && Number.isFinite(Number(raw))) return [name, Number(raw)];
  return [name, raw];
}

export function countersFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KERB_COUNTERS_FILE) return path.resolve(env.KERB_COUNTERS_FILE);
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(os.homedir(), '.config');
  return path.join(config, 'kerb', 'counters.json');
}

function readCounters(file: string): Record<string, number> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read the counter file ${file}: ${(err as Error).message}`, EXIT.failed);
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.values(v).every((n) => Number.isSafeInteger(n))) throw new Error('expected {"site/gateway/keyId": counter, ...}');
    return v as Record<string, number>;
  } catch (err) {
    throw new CliError(`the counter file ${file} is corrupt (${(err as Error).message}); fix it, or delete it and pass --counter N ` +
      '(a refused E_CMD_REPLAY answer says the last counter the gateway accepted)', EXIT.failed);
  }
}

/** Records `counter` as the last used for `slot` (never lowering it); written whole, mode 0600. */
function saveCounter(file: string, slot: string, counter: number): void {
  const all = readCounters(file);
  all[slot] = Math.max(all[slot] ?? 0, counter);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function readFileOption(file: string | undefined, what: string): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new CliError(`cannot read the ${what} ${file}: ${(err as Error).message}`, EXIT.invalid);
  }
}

function formatReply(r: CommandReply): string {
  const head = `${r.ok ? 'done' : 'refused'}  ${r.code}  ${r.target ?? ''}${r.counter !== undefined ? `  counter ${r.counter}` : ''}`;
  const lamps = (r.lamps ?? []).map((l) => `  ${l.device.padEnd(16)} ${l.ok ? 'ok' : l.code}  ${l.message}`);
  return [head, `  ${r.message}`, ...lamps].join('\n') + '\n';
}

interface Sent {
  reply: CommandReply | undefined;
}

async function sendAndWait(url: string, tls: { ca?: Buffer; cert?: Buffer; key?: Buffer }, topic: string, resultTopic: string,
  envelope: CommandEnvelope, timeoutMs: number): Promise<Sent> {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: timeoutMs, protocolVersion: 4, clean: true, ...tls });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', (err) => reject(new CliError(`cannot connect to ${url}: ${err.message}`, EXIT.unreachable)));
      client.once('close', () => reject(new CliError(`cannot connect to ${url}: the connection closed`, EXIT.unreachable)));
    });
    const reply = new Promise<CommandReply | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      client.on('message', (_t, payload: Buffer) => {
        let r: CommandReply;
        try {
          r = JSON.parse(payload.toString('utf8')) as CommandReply;
        } catch {
          return;
        }
        if (r.counter === envelope.counter && r.target === targetName(envelope.command)) {
          clearTimeout(timer);
          resolve(r);
        }
      });
    });
    await client.subscribeAsync(resultTopic, { qos: 1 });
    await client.publishAsync(topic, JSON.stringify(envelope), { qos: 1 });
    return { reply: await reply };
  } finally {
    await client.endAsync(true).catch(() => undefined);
  }
}

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, {
    site: { type: 'string' }, key: { type: 'string' }, device: { type: 'string' }, corridor: { type: 'string' }, name: { type: 'string' },
    arg: { type: 'string', multiple: true }, expires: { type: 'string' }, broker: { type: 'string' }, counter: { type: 'string' },
    timeout: { type: 'string' }, 'tls-ca': { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' },
    'dry-run': { type: 'boolean' }, json: { type: 'boolean' },
  }, help);
  if (args === undefined) return EXIT.ok;
  const v = args.values;
  const need = (name: string): string => {
    const value = stringOption(v, name);
    if (value === undefined || value === '') throw new CliError(`--${name} is required\n\n${formatHelp(help)}`, EXIT.usage);
    return value;
  };
  const siteFile = need('site');
  const keyFile = need('key');
  const name = need('name');
  const device = stringOption(v, 'device');
  const corridor = stringOption(v, 'corridor');
  if ((device === undefined) === (corridor === undefined)) throw new CliError('give exactly one of --device ID and --corridor NAME', EXIT.usage);
  const dryRun = v['dry-run'] === true;
  const broker = dryRun ? undefined : brokerUrl(need('broker'));
  const expiresMs = durationMs(stringOption(v, 'expires') ?? '10m', 'expires');
  if (expiresMs > MAX_AHEAD_MS) throw new CliError(`--expires may be at most 24h (the gateway refuses longer); got ${stringOption(v, 'expires')}`, EXIT.usage);
  const timeoutMs = durationMs(stringOption(v, 'timeout') ?? '15s', 'timeout');
  const cmdArgs: CommandArgs = Object.fromEntries(((v.arg as unknown as string[] | undefined) ?? []).map(parseArg));

  const site = loadSiteOrFail(siteFile, PROFILES_DIR);
  if (device !== undefined && !site.devices.some((d) => d.id === device)) {
    throw new CliError(`no device '${device}' in ${siteFile}; it has ${site.devices.map((d) => d.id).join(', ') || 'none'}`, EXIT.invalid);
  }
  if (corridor !== undefined && site.corridors[corridor] === undefined) {
    const known = Object.keys(site.corridors);
    throw new CliError(`no corridor '${corridor}' in ${siteFile}; ${known.length ? `it has ${known.join(', ')}` : 'it lists none (add corridors: to the site file)'}`, EXIT.invalid);
  }
  const privateKey: KeyObject = asCli(() => readPrivateKey(keyFile));
  const keyId = commandKeyId(privateKey);
  if (!operatorKeys(site.operators).has(keyId)) {
    process.stderr.write(`kerb: warning: key ${keyId} is not among the operators of ${siteFile}; the gateway will refuse it (E_CMD_KEY)\n`);
  }

  const file = countersFile();
  const slot = `${site.site}/${site.gateway}/${keyId}`;
  const counterText = stringOption(v, 'counter');
  let counter: number;
  if (counterText !== undefined) {
    counter = Number(counterText);
    if (!Number.isSafeInteger(counter) || counter < 1) throw new CliError(`--counter must be a whole number >= 1; got '${counterText}'`, EXIT.usage);
  } else {
    counter = (readCounters(file)[slot] ?? 0) + 1;
  }
  const now = Date.now();
  const command: CommandBody = device !== undefined ? { device, name, args: cmdArgs } : { corridor: corridor!, name, args: cmdArgs };
  const envelope = signEnvelope({
    v: 1, site: site.site, gateway: site.gateway, counter, keyId,
    issued: new Date(now).toISOString(), expires: new Date(now + expiresMs).toISOString(), command,
  }, privateKey);
  const bytes = Buffer.byteLength(JSON.stringify(envelope));
  if (bytes > MAX_ENVELOPE_BYTES) throw new CliError(`the signed command has ${bytes} bytes; the gateway takes at most ${MAX_ENVELOPE_BYTES}`, EXIT.usage);
  saveCounter(file, slot, counter); // used up from here on, whatever happens next

  if (dryRun) {
    process.stdout.write(JSON.stringify(envelope, null, 2) + '\n');
    return EXIT.ok;
  }
  const topics = topicsFor(site.site, site.gateway);
  const topic = device !== undefined ? topics.cmd(device) : `${topics.prefix}/cmd/corridor/${corridor}`;
  const tls = {
    ...(v['tls-ca'] ? { ca: readFileOption(stringOption(v, 'tls-ca'), 'CA certificate')! } : {}),
    ...(v['tls-cert'] ? { cert: readFileOption(stringOption(v, 'tls-cert'), 'client certificate')! } : {}),
    ...(v['tls-key'] ? { key: readFileOption(stringOption(v, 'tls-key'), 'client key')! } : {}),
  };
  const { reply } = await sendAndWait(broker!, tls, topic, topics.cmdResult, envelope, timeoutMs);
  if (reply === undefined) {
    throw new CliError(`sent ${name} to ${targetName(command)} (counter ${counter}) on ${topic}, but the gateway did not answer within ${timeoutMs / 1000} s: ` +
      'it may be offline (its status topic says), or not subscribed to commands', EXIT.unreachable);
  }
  if (reply.code === 'E_CMD_REPLAY' && typeof reply.last === 'number') {
    saveCounter(file, slot, reply.last);
    process.stderr.write(`kerb: the gateway had accepted counter ${reply.last} from this key; the counter file is updated: run the command again\n`);
  }
  process.stdout.write(v.json ? JSON.stringify(reply) + '\n' : formatReply(reply));
  return reply.ok ? EXIT.ok : EXIT.failed;
}
