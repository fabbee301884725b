/**
 * `kerb bench` (`npm run bench`): one run, one table, and bench/results/latest.json. Every figure
 * is measured side by side with its baseline in the same run and reported as a ratio or next to
 * it, with the target it is held to; nothing here is a pass/fail test (docs/performance.md).
 */
import fs from 'node:fs';
import { parse, numberOption, stringOption } from '../args.js';
import { EXIT } from '../cli-error.js';
import { measureCodecSpeed } from '../bench/codec-speed.js';
import { measureLampLatency } from '../bench/lamp-latency.js';
import { measureGatewayRss } from '../bench/gateway-rss.js';
import { jsonPerReading } from '../bench/peers/json-per-reading.js';
import { senmlCbor } from '../bench/peers/senml-cbor.js';
import { sparkplugB } from '../bench/peers/sparkplug-b.js';
import { measurePipeline } from '../bench/pipeline.js';
import { onTmpfs, readIo } from '../bench/proc-io.js';
import { machine, writeResults } from '../bench/results.js';
import { backlogOf, benchDir, measureDrain, measureStartup } from '../bench/spool-bench.js';
import { measureWriteAmplification } from '../bench/spool-write-amplification.js';
import { standardWorkload } from '../bench/standard-street.js';
import { measureSmallGateway, measureWireSizes } from '../bench/wire-sizes.js';
import { PACKAGE_ROOT } from '../paths.js';

const help = {
  usage: 'kerb bench [--hours H] [--seed S] [--backlog N] [--devices D] [--baseline-messages M]',
  description: 'Runs the standard street (200 lamps, 300 parking spaces, 100 bins; seeded) for H simulated hours\n' +
    '(default 24) through the real gateway, then measures, each beside its baseline in the same run:\n' +
    'bytes per value on the wire against JSON, SenML-CBOR and Sparkplug B; encode and decode speed\n' +
    'against JSON; pipeline throughput against a naive JSON publisher; lamp reaction latency while a\n' +
    'backlog of N values (default 1,000,000) drains; gateway memory with D devices (default 1,000);\n' +
    'start-up with the backlog waiting; spool drain and disk writes. Prints one table and writes\n' +
    'bench/results/latest.json. Takes a few minutes; run it on an otherwise idle machine.',
  options: [
    ['--hours H', 'simulated hours of the standard street'],
    ['--seed S', 'seed of the simulated street'],
    ['--backlog N', 'values waiting in the spool for the drain, latency and start-up figures'],
    ['--devices D', 'devices on the gateway whose memory is measured'],
    ['--baseline-messages M', 'messages MQTT.js replays for its drain rate (it sends one per round trip)'],
  ] as Array<[string, string]>,
  examples: ['npm run bench', 'npx kerb bench --hours 6 --backlog 200000'],
};

/** A deployment's memory setting for a Pi (NODE_OPTIONS): young generation of 1 MB semi-spaces. */
const SMALL_YOUNG_GENERATION = '--max-semi-space-size=1';

const fmt = (n: number, digits = 2): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ratio = (n: number): string => `x${fmt(n, n >= 10 ? 1 : 2)}`;
/** A target's verdict: the figure meets it or it is flagged, never hidden. */
const verdict = (met: boolean, target: string): string => `${met ? 'met' : 'MISSED'} (${target})`;

export async function run(argv: string[]): Promise<number> {
  const args = parse(argv, {
    hours: { type: 'string' }, seed: { type: 'string' }, backlog: { type: 'string' }, devices: { type: 'string' }, 'baseline-messages': { type: 'string' },
  }, help);
  if (args === undefined) return EXIT.ok;
  const hours = numberOption(stringOption(args.values, 'hours'), 'hours', 24, 0.1);
  const seed = numberOption(stringOption(args.values, 'seed'), 'seed', 2026, 0);
  const backlogValues = numberOption(stringOption(args.values, 'backlog'), 'backlog', 1_000_000, 1_000);
  const rssDevices = numberOption(stringOption(args.values, 'devices'), 'devices', 1_000, 1);
  const baselineMessages = numberOption(stringOption(args.values, 'baseline-messages'), 'baseline-messages', 50, 5);
  const started = performance.now();
  const progress = (what: string) => process.stderr.write(`  ${what} (${fmt((performance.now() - started) / 1000, 0)} s)\n`);

  progress(`simulating the standard street for ${hours} h`);
  const w = standardWorkload({ hours, seed });
  progress('bytes on the wire');
  const sparkplug = sparkplugB();
  const sizes = measureWireSizes(w, [jsonPerReading, senmlCbor, sparkplug]);
  const small = measureSmallGateway(w, 20, 1);
  const smallLonger = measureSmallGateway(w, 20, 5);
  const bpv = (name: string) => sizes.bytesPerValue.get(name)!;
  progress('encode and decode speed');
  const speed = await measureCodecSpeed(w);
  const dir = benchDir();
  try {
    progress('pipeline throughput');
    const kinds = new Map(w.site.devices.map((d) => [d.id, d]));
    const pipeline = await measurePipeline({
      site: w.site.site, gateway: w.site.gateway, readings: w.readings,
      devices: [...kinds.values()].map((d) => ({ id: d.id, kind: d.kind, windowMs: d.reporting.windowS * 1000 })),
    }, dir);
    const backlog = backlogOf(w, backlogValues);
    progress(`lamp latency while ${int(backlog.values)} values drain`);
    // ~1,000 samples a phase, so the p99 is not the third-largest of a handful; copies of the
    // backlog keep the spool draining for all of them.
    const latency = await measureLampLatency(backlog, dir, { samples: 1000, maxCopies: 40 });
    progress(`gateway memory with ${rssDevices} devices`);
    const rss = await measureGatewayRss(rssDevices);
    const rssSmallYoung = await measureGatewayRss(rssDevices, { nodeFlags: [SMALL_YOUNG_GENERATION] });
    progress('spool: disk writes, drain, start-up');
    // Wear needs a real disk and Linux's /proc/self/io; elsewhere the row says why it is missing.
    const wearMissing = readIo() === undefined ? '/proc/self/io is not available here' : onTmpfs(dir) ? `${dir} is on tmpfs` : undefined;
    const wear = wearMissing ? undefined : measureWriteAmplification(dir, backlog.batches.map((b) => b.payload));
    const drain = await measureDrain(backlog, dir, baselineMessages);
    const startup = await measureStartup(backlog, dir);
    const startupMs = Math.max(startup.firstLampMs, startup.firstAckMs);

    const speedup = {
      encode: speed.encodeSpeedup, decode: speed.decodeSpeedup,
      pipeline: pipeline.speedup, drain: drain.kerbValuesPerS / drain.mqttjsValuesPerS,
    };
    const rows: string[][] = [
      ['figure', 'Kerb', 'beside it, same run', 'ratio', 'target'],
      ['bytes per value, MQTT included', `${fmt(bpv('Kerb'))} B`, `JSON per reading ${fmt(bpv(jsonPerReading.name))} B`, ratio(bpv(jsonPerReading.name) / bpv('Kerb')), verdict(bpv('Kerb') <= 5, '<= 5 B')],
      ['  with deflate', `${fmt(bpv('Kerb + deflate'))} B`, `SenML-CBOR ${fmt(bpv(senmlCbor.name))} B`, ratio(bpv(senmlCbor.name) / bpv('Kerb + deflate')), verdict(bpv('Kerb + deflate') <= 2, '<= 2 B')],
      ['', '', `Sparkplug B ${fmt(bpv(sparkplug.name))} B`, ratio(bpv(sparkplug.name) / bpv('Kerb + deflate')), ''],
      ['  per raw reading', `${fmt(sizes.kerbBytesPerReading)} B`, `${int(w.readings.length)} readings -> ${int(sizes.values)} values`, '', ''],
      [`  small gateway, ${small.devices} devices`, `${fmt(small.kerb)} B; deflate ${fmt(small.kerbDeflate)} B`, `${int(small.valuesPerBatch)} values per 1-min batch; 5-min batches: ${fmt(smallLonger.kerb)} B, deflate ${fmt(smallLonger.kerbDeflate)} B`, '', ''],
      ['encode, values/s', int(speed.encode.kerb), `JSON.stringify ${int(speed.encode.json)}; with deflate ${int(speed.encode.kerbDeflate)}`, ratio(speedup.encode), verdict(speedup.encode >= 3, '>= x3')],
      ['decode, values/s', int(speed.decode.kerb), `JSON.parse ${int(speed.decode.json)}; with deflate ${int(speed.decode.kerbDeflate)}`, ratio(speedup.decode), verdict(speedup.decode >= 2, '>= x2')],
      ['pipeline, values/s', int(pipeline.kerb.valuesPerS), `naive JSON at QoS 1 ${int(pipeline.naive.valuesPerS)}`, ratio(speedup.pipeline), verdict(speedup.pipeline >= 20, '>= x20')],
      ['lamp latency p50 / p99', `${fmt(latency.draining.p50)} / ${fmt(latency.draining.p99)} ms draining`, `idle ${fmt(latency.idle.p50)} / ${fmt(latency.idle.p99)} ms (after ${latency.debounceMs} ms debounce)`, '', verdict(latency.draining.p99 <= 5, 'p99 <= 5 ms')],
      [`gateway RSS, ${int(rss.devices)} devices`, `${fmt(rss.rssMb, 1)} MB`, `0 devices ${fmt(rss.baselineRssMb, 1)} MB; heap ${fmt(rss.heapUsedMb, 1)} MB`, '', verdict(rss.rssMb <= 80, '<= 80 MB')],
      [`  with ${SMALL_YOUNG_GENERATION}`, `${fmt(rssSmallYoung.rssMb, 1)} MB`, `0 devices ${fmt(rssSmallYoung.baselineRssMb, 1)} MB`, '', verdict(rssSmallYoung.rssMb <= 80, '<= 80 MB')],
      [`start-up, ${int(backlog.values)} values waiting`, `first lamp ${int(startup.firstLampMs)} ms`, `first batch acknowledged ${int(startup.firstAckMs)} ms; spool open ${int(startup.openMs)} ms`, '', verdict(startupMs <= 1000, '<= 1 s')],
      ['spool drain, 100 ms round trip', `${int(drain.kerbValuesPerS)} values/s`, `MQTT.js store replay ${int(drain.mqttjsValuesPerS)} values/s`, ratio(speedup.drain), ''],
      wear
        ? ['disk writes per value stored', `${fmt((wear.store.toDevice * backlog.bytes) / backlog.values)} B`, `x${fmt(wear.store.toDevice)} the encoded bytes; drained x${fmt(wear.drain.toDevice)}; online x${fmt(wear.online.toDevice)}`, '', '']
        : ['disk writes per value stored', `not measured: ${wearMissing}`, '', '', ''],
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    const m = machine(PACKAGE_ROOT);
    process.stdout.write(
      `standard street: ${w.site.devices.length} devices, ${hours} simulated h, seed ${seed}; ${int(sizes.batches)} batches (${sizes.smallBatches} under 100 values)\n` +
      `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}\n\n` +
      rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n');
    const file = writeResults(PACKAGE_ROOT, {
      when: new Date().toISOString(), machine: m, durationS: Math.round((performance.now() - started) / 1000),
      workload: { name: 'standard street', devices: w.site.devices.length, hours, seed, readings: w.readings.length, values: sizes.values, batches: sizes.batches },
      bytesPerValue: { kerb: bpv('Kerb'), kerbDeflate: bpv('Kerb + deflate'), json: bpv(jsonPerReading.name), senmlCbor: bpv(senmlCbor.name), sparkplugB: bpv(sparkplug.name) },
      smallGateway: [small, smallLonger],
      encodeSpeedupVsJson: speedup.encode, decodeSpeedupVsJson: speedup.decode, pipelineSpeedupVsNaive: speedup.pipeline,
      lampLatencyMsP99UnderDrain: latency.draining.p99, rssMbAt1000Devices: rss.devices === 1000 ? rss.rssMb : null,
      startupMsWith1MBacklog: backlog.values >= 1_000_000 ? startupMs : null,
      drainSpeedupVsMqttjsStore: speedup.drain, diskWriteAmplification: wear ? wear.store.toDevice : null,
      details: { speed, pipeline, latency: { ...latency, samplesMs: undefined }, rss, rssSmallYoung: { flags: [SMALL_YOUNG_GENERATION], ...rssSmallYoung }, startup, drain, wear: wear ?? wearMissing, backlog: { values: backlog.values, batches: backlog.batches.length, bytes: backlog.bytes } },
    });
    process.stdout.write(`\nwritten: ${file} (${fmt((performance.now() - started) / 1000, 0)} s)\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return EXIT.ok;
}
