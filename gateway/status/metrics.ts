/**
 * `/metrics`: the status snapshot and the process's runtime sample in the Prometheus text
 * exposition format 0.0.4. Every family has HELP and TYPE lines; counters end in `_total`;
 * units are in the names (`_seconds`, `_bytes`, `_ratio`); label values are escaped, so a device
 * id with a quote or a backslash cannot break a scrape. Families that concern no device right
 * now keep their HELP and TYPE and have no samples. Runtime families use the names of Node's
 * usual Prometheus client (process_resident_memory_bytes, nodejs_eventloop_lag_*), so existing
 * dashboards read them.
 */
import { LAMP_MODES } from '../../firmware/devices/lamp.js';
import type { StateValue } from '../../firmware/devices/types.js';
import { DROP_REASONS } from '../uplink/message-queue.js';
import type { LinkState } from '../uplink/mqtt-uplink.js';
import type { RuntimeSample } from './runtime-metrics.js';
import type { DeviceSnapshot, StatusSnapshot } from './status-source.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export const LINK_STATES: readonly LinkState[] = ['idle', 'connecting', 'online', 'backoff', 'stopped'];

type MetricType = 'counter' | 'gauge';
type Labels = Record<string, string>;
type Sample = [labels: Labels, value: number];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Label values: backslash, double quote and line feed escaped, as the format requires. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Collects metric families and writes them in the text format. */
class Exposition {
  private readonly out: string[] = [];
  private readonly seen = new Set<string>();

  add(name: string, type: MetricType, help: string, samples: readonly Sample[]): void {
    if (!METRIC_NAME.test(name)) throw new Error(`metric name '${name}' does not match ${METRIC_NAME}`);
    if (type === 'counter' && !name.endsWith('_total')) throw new Error(`counter '${name}' must end in _total`);
    if (this.seen.has(name)) throw new Error(`metric '${name}' written twice`);
    this.seen.add(name);
    this.out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) {
      const pairs = Object.entries(labels).map(([k, v]) => {
        if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new Error(`label name '${k}' of '${name}' is not allowed`);
        return `${k}="${escapeLabelValue(v)}"`;
      });
      this.out.push(`${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`);
    }
  }

  one(name: string, type: MetricType, help: string, value: number, labels: Labels = {}): void {
    this.add(name, type, help, [[labels, value]]);
  }

  text(): string {
    return this.out.join('\n') + '\n';
  }
}

const num = (v: StateValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** One sample per device of `kind` whose state has a usable value. */
function perDevice(devices: readonly DeviceSnapshot[], kind: string, value: (d: DeviceSnapshot) => number | undefined): Sample[] {
  const out: Sample[] = [];
  for (const d of devices) {
    if (d.kind !== kind) continue;
    const v = value(d);
    if (v !== undefined) out.push([{ device: d.id }, v]);
  }
  return out;
}

export function formatMetrics(s: StatusSnapshot, runtime: RuntimeSample): string {
  const m = new Exposition();
  const devices = s.devices;
  const dk = (d: DeviceSnapshot): Labels => ({ device: d.id, kind: d.kind });

  m.one('kerb_gateway_info', 'gauge', 'Always 1; the labels say which gateway, release and epoch this is.', 1,
    { site: s.site, gateway: s.gateway, version: s.version, epoch: String(s.epoch) });
  m.one('kerb_start_time_seconds', 'gauge', 'Wall time the gateway process started, seconds since the Unix epoch.', s.startedAt / 1000);
  m.one('kerb_uptime_seconds', 'gauge', 'Seconds since the gateway process started (monotonic).', s.uptimeS);
  m.one('kerb_clock_synced', 'gauge', '1 once wall time is trusted (NTP or RTC), 0 before.', s.clock.synced ? 1 : 0);

  const c = s.counters;
  m.one('kerb_readings_total', 'counter', 'Readings received from devices.', c.readings);
  m.one('kerb_invalid_readings_total', 'counter', 'Readings rejected as invalid.', c.invalidReadings);
  m.one('kerb_events_total', 'counter', 'Events received from devices.', c.events);
  m.one('kerb_alerts_total', 'counter', 'Alerts sent upstream.', c.alerts);
  m.one('kerb_values_total', 'counter', 'Values written into batches.', c.values);
  m.one('kerb_batches_total', 'counter', 'Batches encoded.', c.batches);
  m.one('kerb_batch_bytes_total', 'counter', 'Bytes of encoded batches.', c.batchBytes);

  const u = s.uplink;
  m.add('kerb_uplink_state', 'gauge', 'Uplink state: 1 for the current state, 0 for the others.',
    LINK_STATES.map((state) => [{ state }, u.state === state ? 1 : 0]));
  m.one('kerb_uplink_reconnects_total', 'counter', 'Times the uplink connected again after losing the broker.', u.reconnects);
  m.one('kerb_uplink_messages_sent_total', 'counter', 'Messages the broker acknowledged.', u.sent);
  m.one('kerb_uplink_sent_bytes_total', 'counter', 'Payload bytes the broker acknowledged.', u.bytesSent);
  if (u.certificateValidTo !== undefined) {
    m.one('kerb_uplink_certificate_expiry_timestamp_seconds', 'gauge', "When the gateway's TLS client certificate ends, seconds since the Unix epoch.", u.certificateValidTo / 1000);
  }

  const q = s.spool;
  m.one('kerb_spool_durable', 'gauge', '1 when the spool is on disk, 0 when messages wait in memory only.', q.durable ? 1 : 0);
  m.one('kerb_spool_messages', 'gauge', 'Messages waiting in the spool (pending and in flight).', q.pending);
  m.one('kerb_spool_bytes', 'gauge', 'Payload bytes waiting in the spool.', q.bytes);
  m.one('kerb_spool_oldest_age_seconds', 'gauge', 'Seconds the oldest waiting message has waited; 0 when none waits.', q.oldestAgeS ?? 0);
  m.add('kerb_dropped_messages_total', 'counter', 'Messages dropped and never sent, by reason.',
    DROP_REASONS.map((reason) => [{ reason }, s.drops[reason] ?? 0]));

  const kinds = [...new Set(devices.map((d) => d.kind))].sort();
  m.add('kerb_devices', 'gauge', 'Devices running, by kind.', kinds.map((kind) => [{ kind }, devices.filter((d) => d.kind === kind).length]));
  m.one('kerb_devices_failed', 'gauge', 'Devices the site file names that could not start.', s.failedDevices.length);
  m.add('kerb_device_last_seen_age_seconds', 'gauge', 'Seconds since the device was last heard; absent before it ever was.',
    devices.filter((d) => d.lastSeenAgeS !== null).map((d) => [dk(d), d.lastSeenAgeS!]));
  m.add('kerb_device_open_faults', 'gauge', 'Faults open on the device.', devices.map((d) => [dk(d), d.faults.length]));
  m.add('kerb_device_fault', 'gauge', 'Each fault open on a device, 1 while it is open.',
    devices.flatMap((d) => d.faults.map((fault): Sample => [{ ...dk(d), fault }, 1])));

  m.add('kerb_lamp_level_ratio', 'gauge', 'Lamp output level, 0 to 1.', perDevice(devices, 'lamp', (d) => num(d.state['level'])));
  m.add('kerb_lamp_mode', 'gauge', 'Lamp mode: 1 for the current mode, 0 for the others.',
    devices.filter((d) => d.kind === 'lamp' && typeof d.state['mode'] === 'string')
      .flatMap((d) => LAMP_MODES.map((mode): Sample => [{ device: d.id, mode }, d.state['mode'] === mode ? 1 : 0])));
  m.add('kerb_parking_occupied', 'gauge', '1 when the parking bay is occupied, 0 when free.',
    perDevice(devices, 'parking', (d) => (typeof d.state['occupied'] === 'boolean' ? (d.state['occupied'] ? 1 : 0) : undefined)));
  m.add('kerb_bin_fill_ratio', 'gauge', 'Bin fill level, 0 to 1.', perDevice(devices, 'bin', (d) => {
    const fill = num(d.state['fill']);
    return fill === undefined ? undefined : fill / 100;
  }));
  m.add('kerb_bin_lid_open', 'gauge', '1 while the bin lid is open.',
    perDevice(devices, 'bin', (d) => (typeof d.state['lid'] === 'string' ? (d.state['lid'] === 'open' ? 1 : 0) : undefined)));
  m.add('kerb_bin_temperature_celsius', 'gauge', 'Temperature at the bin sensor.', perDevice(devices, 'bin', (d) => num(d.state['tempC'])));

  const nodes = devices.filter((d) => d.link !== undefined);
  m.add('kerb_node_link_up', 'gauge', 'Serial nodes: 1 while the link to the node is up.', nodes.map((d) => [{ device: d.id }, d.link === 'up' ? 1 : 0]));
  m.add('kerb_node_link_state', 'gauge', 'Serial nodes: the link state, 1 for the current one.', nodes.map((d) => [{ device: d.id, state: d.link! }, 1]));

  const lag = runtime.eventLoopLagS;
  m.one('nodejs_eventloop_lag_p50_seconds', 'gauge', 'Median event-loop lag since the previous scrape.', lag.p50);
  m.one('nodejs_eventloop_lag_p99_seconds', 'gauge', '99th percentile event-loop lag since the previous scrape.', lag.p99);
  m.one('nodejs_eventloop_lag_max_seconds', 'gauge', 'Largest event-loop lag since the previous scrape.', lag.max);
  m.one('process_resident_memory_bytes', 'gauge', 'Resident set size of the gateway process.', runtime.rssBytes);
  m.one('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use.', runtime.heapUsedBytes);
  m.one('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap allocated.', runtime.heapTotalBytes);
  return m.text();
}
