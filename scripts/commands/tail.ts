/**
 * `kerb tail --broker URL`: subscribes to Kerb topics and prints each batch or alert decoded as it
 * arrives. A malformed message is reported and skipped; tail itself keeps running.
 */
import mqtt from 'mqtt';
import { BatchError, decodeBatch } from '../../gateway/batch/decode.js';
import { Deduplicator } from '../../gateway/batch/dedup.js';
import { brokerUrl, numberOption, parse, stringOption } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { batchJson, formatBatch } from '../format-batch.js';

const help = {
  usage: 'kerb tail --broker URL [--topic FILTER] [--json] [--dedup] [--count N] [--connect-timeout S]',
  description: 'Prints decoded batches and alerts from an MQTT broker as they arrive; retained status\n' +
    'messages are printed as they are. Stops after --count messages, on Ctrl-C, or exits 4 when the\n' +
    'broker cannot be reached within --connect-timeout seconds (default 10).',
  options: [
    ['--broker URL', 'broker to subscribe to, e.g. mqtt://localhost:1883 (required)'],
    ['--topic FILTER', "topic filter, default 'kerb/v1/#'"],
    ['--json', 'one JSON object per line instead of the readable form'],
    ['--dedup', 'drop batches already seen (same gateway, epoch and seq): QoS 1 delivers at least once'],
    ['--count N', 'exit after N batches or alerts'],
    ['--connect-timeout S', 'give up (exit 4) if not connected within S seconds'],
  ] as Array<[string, string]>,
  examples: ['kerb tail --broker mqtt://localhost:1883 --dedup', 'kerb tail --broker mqtt://10.0.0.2 --topic "kerb/v1/demo-street/+/alert" --json'],
};

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, {
    broker: { type: 'string' }, topic: { type: 'string' }, json: { type: 'boolean' }, dedup: { type: 'boolean' },
    count: { type: 'string' }, 'connect-timeout': { type: 'string' },
  }, help);
  if (args === undefined) return EXIT.ok;
  const given = stringOption(args.values, 'broker');
  if (given === undefined) throw new CliError(`tail needs --broker URL\n\nusage: ${help.usage}`, EXIT.usage);
  const broker = brokerUrl(given);
  const topic = stringOption(args.values, 'topic') ?? 'kerb/v1/#';
  const limit = numberOption(stringOption(args.values, 'count'), 'count', Infinity, 1);
  const timeoutS = numberOption(stringOption(args.values, 'connect-timeout'), 'connect-timeout', 10, 1);
  const json = args.values.json === true;
  const dedup = args.values.dedup === true ? new Deduplicator() : undefined;

  const client = mqtt.connect(broker, { reconnectPeriod: 2000, connectTimeout: timeoutS * 1000, protocolVersion: 4 });
  let seen = 0;
  let connected = false;
  let lastError = '';
  return new Promise<number>((resolve) => {
    const finish = (code: number): void => {
      client.end(true);
      resolve(code);
    };
    const giveUp = setTimeout(() => {
      if (connected) return;
      process.stderr.write(`kerb tail: could not reach ${broker} within ${timeoutS} s: ${lastError || 'no answer'}\n`);
      finish(EXIT.unreachable);
    }, timeoutS * 1000);
    client.on('error', (err) => {
      lastError = err.message;
      process.stderr.write(`kerb tail: ${broker}: ${err.message}; retrying\n`);
    });
    client.on('connect', () => {
      connected = true;
      clearTimeout(giveUp);
      client.subscribe(topic, { qos: 1 }, (err) => {
        if (err) {
          process.stderr.write(`kerb tail: subscribe to ${topic} refused: ${err.message}\n`);
          finish(EXIT.failed);
        } else if (!json) {
          process.stderr.write(`kerb tail: subscribed to ${topic} on ${broker}\n`);
        }
      });
    });
    client.on('message', (t, payload) => {
      if (!/\/(batch|alert)$/.test(t)) {
        process.stdout.write(json ? JSON.stringify({ topic: t, text: payload.toString('utf8') }) + '\n' : `${t}: ${payload.toString('utf8')}\n`);
        return;
      }
      try {
        const batch = decodeBatch(payload);
        if (dedup && !dedup.firstSeen(batch.gateway, batch.epoch, batch.seq)) {
          if (!json) process.stderr.write(`kerb tail: ${t}: skipped a duplicate of ${batch.gateway} epoch ${batch.epoch} seq ${batch.seq}\n`);
          return;
        }
        process.stdout.write(json ? JSON.stringify({ topic: t, ...batchJson(batch) }) + '\n' : `${t}\n${formatBatch(batch, payload.length)}\n`);
      } catch (err) {
        // Whatever one message holds, tail goes on with the next.
        const why = err instanceof BatchError ? `${err.message} [${err.code}]` : `could not be shown: ${(err as Error).message}`;
        process.stderr.write(`kerb tail: ${t}: skipped a malformed batch of ${payload.length} B: ${why}\n`);
      }
      if (++seen >= limit) finish(EXIT.ok);
    });
    process.once('SIGINT', () => finish(EXIT.ok));
  });
}
