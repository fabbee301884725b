/**
 * What a SerialNode is given and what it reports: its options (the site device, the gateway's
 * clock, emit and log, and tunables with defaults) and its statistics for the status page.
 */
import type { DeviceKind, Emit, Location } from '../../firmware/devices/types.js';
import type { Clock } from '../../firmware/hal/clock.js';
import type { Logger } from '../log/logger.js';
import type { NodeLinkState } from './link-health.js';
import type { PortStats } from './node-port.js';
import type { SerialOpener } from './serial-line.js';

export type { NodeLinkState } from './link-health.js';
/** Whether the node's hello said it is the site's device; 'unverified' until a hello is heard. */
export type NodeIdentity = 'unverified' | 'verified' | 'mismatch';

export const DEFAULT_BAUD = 115200;

/** The part of a site device the driver needs (device-profiles' SiteDevice satisfies it). */
export interface SerialNodeDevice {
  id: string;
  kind: DeviceKind;
  location: Location;
  transport: { type: string; port?: string; baud?: number };
}

export interface SerialNodeOptions {
  device: SerialNodeDevice;
  clock: Clock;
  emit: Emit;
  log: Logger;
  /** The gateway's name and epoch, for its hello to the node. */
  gateway: string;
  epoch: number;
  /** Opens the port; default serialport's SerialPort. Tests pass one on @serialport/binding-mock. */
  open?: SerialOpener;
  /** The profile hash the site file's configuration gives; undefined: not checked. */
  expectedProfileHash?: string;
  /** Nothing heard this long means 'silent'; default 90 s, three of the node's 30 s heartbeats. */
  silentAfterMs?: number;
  /**
   * A port open but silent this long is closed and opened again (a hung USB serial adapter keeps
   * its tty and passes no bytes until then); default 3 x silentAfterMs. Counted in `silentReopens`.
   */
  reopenAfterSilentMs?: number;
  /** Time and place are sent after every hello and again this often; default 1 h. */
  setupEveryMs?: number;
  /** The link's first resend, ms; default 500. */
  retryMs?: number;
  /** The link's send queue; default 16. */
  queueLength?: number;
  /** Reopen backoff: first delay and cap, ms; default 1 s doubling to 30 s. */
  reopenFirstMs?: number;
  reopenMaxMs?: number;
}

export interface SerialNodeStats extends PortStats {
  link: NodeLinkState;
  identity: NodeIdentity;
  /** Outages reported ('link-down' or 'link-silent' faults). */
  outages: number;
  hellos: number;
  /** Hellos and data payloads refused as malformed. */
  hellosRefused: number;
  payloadsRefused: number;
  /** Outputs passed on, and outputs ignored because the node is not the site's device. */
  outputs: number;
  ignoredOutputs: number;
  setupsSent: number;
  /** State keys dropped: beyond the 64 kept, or too long a key or text value (node-state.ts). */
  stateKeysDropped: number;
  commandsSent: number;
  commandsAnswered: number;
  /** Answered with a code other than OK. */
  commandsFailed: number;
  /** Sent but never answered: the link went down, the node restarted, or too many waited. */
  commandsLost: number;
  /** Refused here: invalid (as the node would), offline, wrong node or safe mode. */
  commandsRefused: number;
  /** Errors caught inside the driver (a bug, logged as node.error). */
  errors: number;
}
