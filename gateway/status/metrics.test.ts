/**
 * `/metrics` parsed back by a small strict parser of the text format 0.0.4: every sample line
 * is `name{labels} value`, every family has HELP then TYPE before its samples, names and label
 * values are well formed, and the values are the snapshot's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { noDrops } from '../uplink/message-queue.js';
import { escapeLabelValue, formatMetrics } from './metrics.js';
import type { RuntimeSample } from './runtime-metrics.js';
import type { StatusSnapshot } from './status-source.js';

interface ParsedSample { name: string; labels: Record<string, string>; value: number }
interface Family { help: string; type: string; samples: ParsedSample[] }

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Parses label pairs with escapes, strictly: anything unexpected throws with the line. */
function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq);
    if (eq < 0 || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name)) throw new Error(`bad label name in: ${line}`);
    if (text[eq + 1] !== '"') throw new Error(`label value not quoted in: ${line}`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      const ch = text[j];
      if (ch === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (ch === '"') break;
      if (ch === '\n') throw new Error(`raw newline in: ${line}`);
      if (ch === '\\') {
        const next = text[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`bad escape \\${next} in: ${line}`);
        j += 2;
        continue;
      }
      value += ch;
      j++;
    }
    if (name in labels) throw new Error(`label ${name} twice in: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (i < text.length) {
      if (text[i] !== ',') throw new Error(`expected ',' in: ${line}`);
      i++;
    }
  }
  return labels;
}

function parse(text: string): Map<string, Family> {
  assert.ok(text.endsWith('\n'), 'ends with a line feed');
  const families = new Map<string, Family>();
  let help: string | undefined;
  let current: string | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^# HELP (\S+) (.*)$/.exec(line))) {
      if (!NAME.test(m[1]!)) throw new Error(`bad name in: ${line}`);
      if (families.has(m[1]!)) throw new Error(`family ${m[1]} twice`);
      help = m[1];
      families.set(m[1]!, { help: m[2]!, type: '', samples: [] });
      current = undefined;
    } else if ((m = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line))) {
      if (m[1] !== help) throw new Error(`TYPE without its HELP just before: ${line}`);
      families.get(m[1]!)!.type = m[2]!;
      current = m[1];
    } else if (line.startsWith('#')) {
      throw new Error(`unexpected comment: ${line}`);
    } else {
      m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not 'name{labels} value': ${JSON.stringify(line)}`);
      if (m[1] !== current) throw new Error(`sample of ${m[1]} outside its family (HELP and TYPE first): ${line}`);
      const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
      if (m[3] !== 'NaN' && Number.isNaN(value)) throw new Error(`bad value in: ${line}`);
      families.get(current)!.samples.push({ name: m[1]!, labels: parseLabels(m[2] ?? '', line), value });
    }
  }
  for (const [name, f] of families) {
    if (f.type === 'counter') assert.ok(name.endsWith('_total'), `counter ${name} ends in _total`);
    if (f.type === '') throw new Error(`${name} has no TYPE`);
  }
  return families;
}

const TRICKY = 'lamp-"7"\\north\nside';

function snapshot(): StatusSnapshot {
  return {
    site: 'demo', gateway: 'gw-1', version: '0.1.0', epoch: 3, startedAt: Date.UTC(2026, 5, 21), uptimeS: 3600.5,
    clock: { wall: Date.UTC(2026, 5, 21, 1), synced: true },
    devices: [
      { id: TRICKY, kind: 'lamp', lastSeenAgeS: 1.5, state: { level: 0.3, mode: 'base', night: true }, faults: ['pir-stuck'] },
      { id: 'park-1', kind: 'parking', lastSeenAgeS: null, state: { occupied: true }, faults: [], link: 'silent' },
      { id: 'bin-1', kind: 'bin', lastSeenAgeS: 12, state: { fill: 85, lid: 'closed', tempC: 21.5 }, faults: ['sensor-range', 'lid-stuck'] },
    ],
    failedDevices: [{ id: 'lamp-9', error: 'no such pin' }],
    uplink: { state: 'backoff', reconnects: 4, sent: 120, bytesSent: 65_000, lastError: 'ECONNREFUSED' },
    spool: { durable: true, pending: 17, bytes: 9_000, oldestAgeS: 42 },
    drops: { ...noDrops(), 'telemetry-full': 5, 'write-failed': 1 },
    counters: { readings: 1000, events: 20, alerts: 2, batches: 60, batchBytes: 70_000, values: 4321, invalidReadings: 3 },
    alerts: [], series: [],
  };
}

const runtime: RuntimeSample = {
  eventLoopLagS: { p50: 0.011, p99: 0.05, max: 0.25, mean: 0.012 }, eventLoopSamples: 100,
  rssBytes: 80_000_000, heapUsedBytes: 20_000_000, heapTotalBytes: 30_000_000,
};

const families = parse(formatMetrics(snapshot(), runtime));

function value(name: string, labels: Record<string, string> = {}): number | undefined {
  const f = families.get(name);
  assert.ok(f, `family ${name} exists`);
  const hit = f!.samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.ok(hit.length <= 1, `one sample of ${name} ${JSON.stringify(labels)}`);
  return hit[0]?.value;
}

test('the output parses strictly: HELP and TYPE before every family, well-formed lines and names', () => {
  assert.ok(families.size > 30);
  for (const [name, f] of families) assert.ok(f.help.length > 0, `${name} has help`);
});

test('label values with quotes, backslashes and newlines are escaped and read back intact', () => {
  assert.is(escapeLabelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  assert.is(value('kerb_device_last_seen_age_seconds', { device: TRICKY, kind: 'lamp' }), 1.5);
  assert.is(value('kerb_lamp_level_ratio', { device: TRICKY }), 0.3);
});

test('counters carry the snapshot counts', () => {
  assert.is(families.get('kerb_readings_total')!.type, 'counter');
  assert.is(value('kerb_readings_total'), 1000);
  assert.is(value('kerb_values_total'), 4321);
  assert.is(value('kerb_batches_total'), 60);
  assert.is(value('kerb_batch_bytes_total'), 70_000);
  assert.is(value('kerb_uplink_reconnects_total'), 4);
  assert.is(value('kerb_uplink_sent_bytes_total'), 65_000);
});

test('spool, drops by reason and link state', () => {
  assert.is(value('kerb_spool_messages'), 17);
  assert.is(value('kerb_spool_bytes'), 9_000);
  assert.is(value('kerb_spool_oldest_age_seconds'), 42);
  assert.is(value('kerb_dropped_messages_total', { reason: 'telemetry-full' }), 5);
  assert.is(value('kerb_dropped_messages_total', { reason: 'write-failed' }), 1);
  assert.is(value('kerb_dropped_messages_total', { reason: 'alert-full' }), 0);
  assert.is(families.get('kerb_dropped_messages_total')!.samples.length, 7);
  assert.is(value('kerb_uplink_state', { state: 'backoff' }), 1);
  assert.is(families.get('kerb_uplink_state')!.samples.reduce((a, s) => a + s.value, 0), 1, 'exactly one state is 1');
});

test('per-device gauges: faults, lamp, parking, bin, node link; never-seen devices have no age', () => {
  assert.is(value('kerb_device_last_seen_age_seconds', { device: 'park-1' }), undefined);
  assert.is(value('kerb_device_open_faults', { device: 'bin-1', kind: 'bin' }), 2);
  assert.is(value('kerb_device_fault', { device: TRICKY, fault: 'pir-stuck' }), 1);
  assert.is(value('kerb_lamp_mode', { device: TRICKY, mode: 'base' }), 1);
  assert.is(value('kerb_lamp_mode', { device: TRICKY, mode: 'full' }), 0);
  assert.is(value('kerb_parking_occupied', { device: 'park-1' }), 1);
  assert.is(value('kerb_bin_fill_ratio', { device: 'bin-1' }), 0.85);
  assert.is(value('kerb_bin_lid_open', { device: 'bin-1' }), 0);
  assert.is(value('kerb_bin_temperature_celsius', { device: 'bin-1' }), 21.5);
  assert.is(value('kerb_node_link_up', { device: 'park-1' }), 0);
  assert.is(value('kerb_node_link_state', { device: 'park-1', state: 'silent' }), 1);
  assert.is(value('kerb_devices', { kind: 'lamp' }), 1);
  assert.is(value('kerb_devices_failed'), 1);
});

test('runtime and gateway facts', () => {
  assert.is(value('nodejs_eventloop_lag_p99_seconds'), 0.05);
  assert.is(value('nodejs_eventloop_lag_max_seconds'), 0.25);
  assert.is(value('process_resident_memory_bytes'), 80_000_000);
  assert.is(value('kerb_uptime_seconds'), 3600.5);
  assert.is(value('kerb_clock_synced'), 1);
  assert.is(value('kerb_gateway_info', { site: 'demo', gateway: 'gw-1', version: '0.1.0', epoch: '3' }), 1);
});

test("the TLS client certificate's end is a timestamp gauge, and absent without a certificate", () => {
  const validTo = Date.UTC(2027, 0, 31, 12);
  const withCert = parse(formatMetrics({ ...snapshot(), uplink: { ...snapshot().uplink, certificateValidTo: validTo } }, runtime));
  assert.is(withCert.get('kerb_uplink_certificate_expiry_timestamp_seconds')!.type, 'gauge');
  assert.is(withCert.get('kerb_uplink_certificate_expiry_timestamp_seconds')!.samples[0]!.value, validTo / 1000);
  assert.not.ok(families.has('kerb_uplink_certificate_expiry_timestamp_seconds'), 'a plain mqtt:// gateway has no certificate to end');
});

test('a gateway with no devices and nothing waiting still gives a valid exposition', () => {
  const empty = { ...snapshot(), devices: [], failedDevices: [], spool: { durable: false, pending: 0, bytes: 0, oldestAgeS: null } };
  const f = parse(formatMetrics(empty, runtime));
  assert.is(f.get('kerb_lamp_level_ratio')!.samples.length, 0);
  assert.is(f.get('kerb_spool_oldest_age_seconds')!.samples[0]!.value, 0);
  assert.is(f.get('kerb_spool_durable')!.samples[0]!.value, 0);
});

test.run();
