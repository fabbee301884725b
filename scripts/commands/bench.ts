/**
 * `kerb bench` (`npm run bench`): one run, one table. Every figure is measured side by side with
 * its baseline in the same process and reported as a ratio; nothing here is a pass/fail test.
 */
import fs from 'node:fs';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { decodeCbor, encodeCbor } from '../../gateway/batch/cbor.js';
import { parse, numberOption, stringOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import { compare } from '../bench/measure.js';
import { qos1PublishBytes } from '../bench/mqtt-size.js';
import { streetWorkload } from '../bench/workload.js';
import { backlogOf, benchDir, measureDrain, measureStartup } from '../bench/spool-bench.js';
import { onTmpfs, readIo } from '../bench/proc-io.js';
import { measureWriteAmplification } from '../bench/spool-write-amplification.js';

const help = {
  usage: 'kerb bench [--hours H] [--backlog N] [--baseline-messages M]',
  description: 'Simulates the demo street for H hours (default 6) through the real gateway, then measures\n' +
    'bytes on the wire and encode/decode speed of Kerb batches against JSON, and the spool:\n' +
    'disk writes per value, draining a backlog of N values (default 1,000,000) through a 100 ms\n' +
    'round-trip link against MQTT.js replaying M of the same messages (default 50) from its own\n' +
    'store, and start-up with that backlog waiting. Everything side by side, in one run.',
  options: [
    ['--hours H', 'simulated hours of workload'],
    ['--backlog N', 'values waiting in the spool for the drain and start-up figures'],
    ['--baseline-messages M', 'messages MQTT.js replays for its rate (it sends one per round trip)'],
  ] as Array<[string, string]>,
  examples: ['npm run bench', 'npx kerb bench --hours 24'],
};

const fmt = (n: number, digits = 2): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, { hours: { type: 'string' }, backlog: { type: 'string' }, 'baseline-messages': { type: 'string' } }, help);
  if (args === undefined) return EXIT.ok;
  const hours = numberOption(stringOption(args.values, 'hours'), 'hours', 6, 0.1);
  const backlogValues = numberOption(stringOption(args.values, 'backlog'), 'backlog', 1_000_000, 1_000);
  const baselineMessages = numberOption(stringOption(args.values, 'baseline-messages'), 'baseline-messages', 50, 5);
  const w = streetWorkload(hours);
  const readingTopic = 'kerb/v1/demo-street/gw-demo-01/reading';

  // Bytes: Kerb batches as published vs one JSON message per raw reading, MQTT framing included.
  const kerbWire = w.batches.reduce((sum, b) => sum + qos1PublishBytes(b.topic, b.payload.length), 0);
  const jsonWire = w.readings.reduce((sum, r) => sum + qos1PublishBytes(readingTopic, Buffer.byteLength(JSON.stringify(r))), 0);
  const decoded = w.batches.map((b) => decodeBatch(b.payload));
  const carried = decoded.reduce((sum, b) => sum + b.values, 0);

  // Speed: the same batches, as CBOR and as JSON text of the same wire structure.
  const wire = w.batches.map((b) => decodeCbor(b.payload));
  const json = wire.map((o) => Buffer.from(JSON.stringify(o)));
  const payloads = w.batches.map((b) => b.payload);
  const enc = compare([
    { name: 'JSON.stringify', run: () => wire.map((o) => Buffer.from(JSON.stringify(o))) },
    { name: 'Kerb CBOR', run: () => wire.map((o) => encodeCbor(o)) },
  ]);
  const dec = compare([
    { name: 'JSON.parse', run: () => json.map((b) => JSON.parse(b.toString())) },
    { name: 'Kerb decodeBatch (checked)', run: () => payloads.map((p) => decodeBatch(p)) },
  ]);

  const rows: string[][] = [
    ['workload', `demo street, ${hours} simulated h: ${w.readings.length.toLocaleString('en-US')} raw readings -> ${w.batches.length} batches`, ''],
    ['wire bytes per raw reading', `Kerb ${fmt(kerbWire / w.readings.length)} B`, `JSON per reading ${fmt(jsonWire / w.readings.length)} B (x${fmt(jsonWire / kerbWire, 1)})`],
    ['wire bytes per value carried', `Kerb ${fmt(kerbWire / carried)} B`, `${carried.toLocaleString('en-US')} values (window statistics and events)`],
    ['encode batches/s', `Kerb ${fmt(enc[1]!.opsPerS * w.batches.length, 0)}`, `JSON ${fmt(enc[0]!.opsPerS * w.batches.length, 0)} (ratio x${fmt(enc[1]!.opsPerS / enc[0]!.opsPerS)})`],
    ['decode batches/s', `Kerb ${fmt(dec[1]!.opsPerS * w.batches.length, 0)}`, `JSON ${fmt(dec[0]!.opsPerS * w.batches.length, 0)} (ratio x${fmt(dec[1]!.opsPerS / dec[0]!.opsPerS)})`],
  ];
  const backlog = backlogOf(w, backlogValues);
  const dir = benchDir();
  // Wear needs a real disk and Linux's /proc/self/io; elsewhere the row says why it is missing.
  const wearMissing = readIo() === undefined ? '/proc/self/io is not available here' : onTmpfs(dir) ? `${dir} is on tmpfs` : undefined;
  const wear = wearMissing ? undefined : measureWriteAmplification(dir, backlog.batches.map((b) => b.payload));
  const drain = await measureDrain(backlog, dir, baselineMessages);
  const startup = await measureStartup(backlog, dir);
  rows.push(
    ['backlog', `${backlog.values.toLocaleString('en-US')} values in ${backlog.batches.length.toLocaleString('en-US')} batches, ${fmt(backlog.bytes / 1e6)} MB encoded`, ''],
    wear
      ? ['disk writes per value stored', `Kerb spool ${fmt((wear.store.toDevice * backlog.bytes) / backlog.values)} B (write_bytes)`,
        `x${fmt(wear.store.toDevice)} the encoded bytes; write() calls x${fmt(wear.store.written)}; acknowledging all: x${fmt(wear.drain.toDevice)}; online: x${fmt(wear.online.toDevice)}`]
      : ['disk writes per value stored', `not measured: ${wearMissing}`, ''],
    ['drain, 100 ms round trip', `Kerb ${fmt(drain.kerbValuesPerS, 0)} values/s (${fmt(drain.kerbMessagesPerS, 1)} batches/s)`,
      `MQTT.js store replay ${fmt(drain.mqttjsValuesPerS, 0)} values/s (${fmt(drain.mqttjsMessagesPerS, 1)} batches/s, ${drain.mqttjsMessages} batches) -> x${fmt(drain.kerbValuesPerS / drain.mqttjsValuesPerS, 1)}`],
    ['start-up with the backlog', `spool open ${fmt(startup.openMs, 0)} ms, first lamp command ${fmt(startup.firstLampMs, 0)} ms`,
      `first batch acknowledged ${fmt(startup.firstAckMs, 0)} ms (${startup.waiting.toLocaleString('en-US')} batches waiting)`],
  );
  fs.rmSync(dir, { recursive: true, force: true });

  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write(rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n') + '\n');
  return EXIT.ok;
}
