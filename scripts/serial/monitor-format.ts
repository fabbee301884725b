/**
 * How `kerb monitor` shows what it hears: one time-stamped line per item for a person (colour
 * only when asked: the command asks when stdout is a terminal and NO_COLOR is unset), or one JSON
 * object per line for a machine, and the summary at the end in both forms.
 */
import type { MonitorItem, MonitorStats } from './monitor-session.js';

const CODES = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2 } as const;
type Colour = keyof typeof CODES | undefined;

function paint(text: string, colour: Colour, enabled: boolean): string {
  return enabled && colour !== undefined ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}

/** Local wall time as HH:MM:SS.mmm: a technician compares it with the watch on their wrist. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

function value(v: number | string | boolean): string {
  return typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : typeof v === 'string' ? JSON.stringify(v) : String(v);
}

export function statsText(s: MonitorStats): string {
  return `frames: ${s.hellos} hello, ${s.dataFrames} data, ${s.duplicates} repeated, ${s.badFrames} bad; ` +
    `${s.refusedPayloads} payload(s) refused; sent ${s.sent} (${s.retries} retries); ${s.bytesIn} B in`;
}

function describe(item: MonitorItem): [string, Colour] {
  switch (item.type) {
    case 'open':
      return [`${item.port} at ${item.baud} baud, as gateway 'kerb-monitor'; waiting for the node (Ctrl-C stops)`, 'dim'];
    case 'hello': {
      const h = item.hello;
      return [`${h.id} (${h.kind}) fw ${h.fw} profile ${h.profile} boot ${h.boot} mode ${h.mode}`, h.mode === 'safe' ? 'red' : 'green'];
    }
    case 'setup':
      return [`sent time ${item.wallMs === null ? 'unknown (this clock is not set)' : new Date(item.wallMs).toISOString()} and place ${item.latitude}, ${item.longitude}`, 'dim'];
    case 'reading':
      return [`${item.metric} = ${value(item.value)}`, undefined];
    case 'event':
      return [`${item.severity} ${item.name} ${value(item.value)}${item.detail ? ` ${JSON.stringify(item.detail)}` : ''}`,
        item.severity === 'fault' ? 'red' : item.severity === 'alert' ? 'yellow' : undefined];
    case 'state':
      return [Object.entries(item.state).map(([k, v]) => `${k}=${value(v)}`).join(' '), 'cyan'];
    case 'result':
      return [`command #${item.id} ${item.code}${item.message ? ` ${item.message}` : ''}`, item.code === 'OK' ? undefined : 'yellow'];
    case 'refused':
      return [`${item.what} payload of ${item.bytes} B refused: ${item.reason}`, 'yellow'];
    case 'bad-frames':
      return [`${item.count} bad frame(s) dropped (${item.total} in all): line noise, a loose wire or a baud rate mismatch`, 'yellow'];
    case 'link':
      return [statsText(item.stats), 'dim'];
    case 'lost':
      return [item.message, 'red'];
  }
}

export function formatItem(item: MonitorItem, colour: boolean): string {
  const [text, c] = describe(item);
  return `${paint(clockTime(item.at), 'dim', colour)}  ${paint(item.type.padEnd(11), c, colour)}${text}`;
}

/** One JSON object: `time` (ISO) and `type` first, then the item's fields, nested ones flattened. */
export function itemJson(item: MonitorItem): string {
  const { at, type, ...rest } = item;
  const fields = item.type === 'hello' ? { ...item.hello } : item.type === 'link' ? { ...item.stats } : rest;
  return JSON.stringify({ time: new Date(at).toISOString(), type, ...fields });
}

export interface MonitorSummary {
  port: string;
  seconds: number;
  stats: MonitorStats;
  items: { [type: string]: number };
}

function hint(s: MonitorStats): string | undefined {
  if (s.bytesIn === 0) return "nothing was heard: is the node powered and running, TX and RX crossed, and --baud the node's build?";
  if (s.hellos + s.dataFrames + s.duplicates === 0) return "bytes but no valid frame: a baud rate other than the node's build, or not a Kerb node";
  return undefined;
}

export function formatSummary(sum: MonitorSummary, colour: boolean): string {
  const items = Object.entries(sum.items).map(([t, n]) => `${t} ${n}`).join(', ') || 'none';
  const lines = [
    paint(`summary: ${Math.round(sum.seconds)} s on ${sum.port}`, 'dim', colour),
    `  ${statsText(sum.stats)}`,
    `  items: ${items}`,
  ];
  const h = hint(sum.stats);
  if (h !== undefined) lines.push(paint(`  hint: ${h}`, 'yellow', colour));
  return lines.join('\n') + '\n';
}

export function summaryJson(sum: MonitorSummary, endedAt: number): string {
  const h = hint(sum.stats);
  return JSON.stringify({ time: new Date(endedAt).toISOString(), type: 'summary', port: sum.port, seconds: sum.seconds, ...sum.stats, items: sum.items, ...(h ? { hint: h } : {}) });
}
