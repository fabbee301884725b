/**
 * The demo's one-screen summary: what the street is doing, what the gateway made of it and what
 * the link is doing. Pure formatting from a snapshot, so it is testable without a terminal.
 */
import type { GatewayStats } from '../../gateway/gateway.js';
import type { DeviceStatus } from '../../gateway/host/device-host.js';
import type { UplinkStats } from '../../gateway/uplink/mqtt-uplink.js';

export interface SummarySnapshot {
  site: string;
  gateway: string;
  broker: string;
  embedded: boolean;
  speed: number;
  /** Simulated wall time, ms, and the street's offset from UTC in minutes. */
  simTime: number;
  utcOffsetMin: number;
  devices: DeviceStatus[];
  gatewayStats: GatewayStats;
  link: UplinkStats;
  failedDevices: number;
  /** False when the backlog lives in memory only (no spool could be opened). */
  durable: boolean;
}

const n = (v: number): string => v.toLocaleString('en-US');

function localTime(ms: number, offsetMin: number): string {
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}

function num(state: DeviceStatus['state'], key: string): number {
  const v = state[key];
  return typeof v === 'number' ? v : NaN;
}

export function renderSummary(s: SummarySnapshot): string[] {
  const lamps = s.devices.filter((d) => d.kind === 'lamp');
  const spaces = s.devices.filter((d) => d.kind === 'parking');
  const bins = s.devices.filter((d) => d.kind === 'bin');
  const lit = lamps.filter((d) => num(d.state, 'level') > 0).length;
  const full = lamps.filter((d) => d.state.mode === 'full').length;
  const faults = s.devices.filter((d) => typeof d.state.faults === 'string' && d.state.faults !== 'none' && d.state.faults !== '').length;
  const occupied = spaces.filter((d) => d.state.occupied === true || d.state.occupied === 1).length;
  const fills = bins.map((d) => num(d.state, 'fill')).filter((f) => Number.isFinite(f));
  const g = s.gatewayStats;
  const l = s.link;
  const drops = Object.values(l.drops).reduce((sum, n) => sum + n, 0);
  const alert = g.lastAlert
    ? `${localTime(g.lastAlert.time, s.utcOffsetMin).slice(11)} ${g.lastAlert.device} ${g.lastAlert.name} ${Math.round(g.lastAlert.value * 10) / 10}`
    : 'none yet';
  const linkLine = l.state === 'backoff'
    ? `retrying in ${(l.nextRetryInMs / 1000).toFixed(1)} s (${l.lastError || 'no connection'})`
    : l.state === 'online' ? `online (MQTT ${l.protocolVersion === 5 ? '5' : '3.1.1'})` : l.state;
  return [
    `Kerb demo street  ${s.site} / ${s.gateway}   simulated ${localTime(s.simTime, s.utcOffsetMin)} local (x${s.speed})`,
    `broker    ${s.broker}${s.embedded ? ' (embedded aedes)' : ''}`,
    `lamps     ${lamps.length} (lit ${lit}, at full ${full})   spaces ${spaces.length} (occupied ${occupied})   ` +
      `bins ${bins.length} (fullest ${fills.length ? `${Math.round(Math.max(...fills))} %` : 'not measured yet'})   faults ${faults}` +
      (s.failedDevices ? `   NOT RUNNING ${s.failedDevices}` : ''),
    `readings  ${n(g.readings)}   events ${n(g.events)}   alerts ${n(g.alerts)}`,
    `batches   ${n(g.batches)} made, ${n(l.sent)} acknowledged   ${n(g.batchBytes)} B for ${n(g.values)} values = ` +
      `${g.values ? (g.batchBytes / g.values).toFixed(2) : '-'} B/value`,
    `link      ${linkLine}   reconnects ${l.reconnects}`,
    `spool     ${s.durable ? '' : 'IN MEMORY ONLY  '}${n(l.pending + l.inflight)} waiting (${n(l.queuedBytes)} B)` +
      `${l.oldest !== undefined ? `, oldest from ${localTime(l.oldest, s.utcOffsetMin).slice(11)}` : ''}   drops ${drops}`,
    `alert     ${alert}`,
    '',
    'Ctrl-C stops the demo cleanly; what is not yet acknowledged waits in the spool for the next start.',
  ];
}
