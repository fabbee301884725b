/**
 * The serial ports of this machine with what is likely attached and whether this user may open
 * them. The lister is injected (serialport's `SerialPort.list` by default), so the tests hand in
 * fakes, and so is everything read from the file system. Where the lister cannot run because
 * `udevadm` is missing (serialport's Linux lister spawns it), the ports are read from /dev and
 * /sys instead and the listing says so: a technician gets ports, not a stack trace.
 */
import type { SerialPort } from 'serialport';
import { knownBoard, usbIds } from './known-boards.js';
import { checkAccess, type AccessProbe, type PortAccess } from './port-access.js';

export type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];
export type PortLister = () => Promise<PortInfo[]>;

export interface ListedPort {
  path: string;
  /** The stable /dev/serial/by-id link to it, when udev made one. */
  byId?: string;
  manufacturer?: string;
  serialNumber?: string;
  /** `vid:pid`, for USB ports. */
  usb?: string;
  /** What is likely attached, from the USB ids. */
  likely?: string;
  /** True when the board itself runs Espruino (no bridge between). */
  espruino: boolean;
  access: PortAccess;
}

export type ListingSource = 'serialport' | 'dev-scan';

export interface PortListing {
  source: ListingSource;
  ports: ListedPort[];
  /** Things the technician should know: the lister fell back, ports were hidden. */
  notes: string[];
}

export interface ListDeps {
  list: PortLister;
  /** Used when `list` fails because udevadm is missing. */
  scanDev: PortLister;
  byId: () => Promise<Map<string, string>>;
  access: AccessProbe;
}

export class PortListError extends Error {
  readonly code = 'E_PORT_LIST';
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'PortListError';
  }
}

/** The default lister; serialport (and its native binding) is loaded on first use. */
export const serialportLister: PortLister = async () => {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
};

/**
 * serialport's Linux lister spawns `udevadm info -e`; where it is absent the spawn fails with
 * Node's ENOENT spawn error ("spawn udevadm ENOENT", syscall 'spawn udevadm').
 */
export function isUdevadmMissing(err: unknown): boolean {
  const e = err as { code?: unknown; syscall?: unknown; path?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object' || e.code !== 'ENOENT') return false;
  return [e.syscall, e.path, e.message].some((x) => typeof x === 'string' && /udevadm/.test(x));
}

/** Legacy on-board UARTs (/dev/ttyS0..31) that Linux always lists; rarely a node. */
const LEGACY_UART = /^\/dev\/ttyS\d+$/;

function blankToUndefined(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

export async function listPorts(deps: ListDeps, options: { all?: boolean } = {}): Promise<PortListing> {
  let source: ListingSource = 'serialport';
  const notes: string[] = [];
  let infos: PortInfo[];
  try {
    infos = await deps.list();
  } catch (err) {
    if (!isUdevadmMissing(err)) {
      throw new PortListError(`could not list serial ports: ${(err as Error).message ?? String(err)}`, err);
    }
    source = 'dev-scan';
    notes.push("udevadm is not installed (serialport's port lister needs it; apt install udev): ports were read from /dev and /sys instead");
    infos = await deps.scanDev();
  }
  const links = await deps.byId();
  let hidden = 0;
  const ports: ListedPort[] = [];
  for (const info of [...infos].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }))) {
    if (!options.all && LEGACY_UART.test(info.path) && !info.vendorId) {
      hidden++;
      continue;
    }
    const board = knownBoard(info.vendorId, info.productId);
    const byId = links.get(info.path);
    ports.push({
      path: info.path,
      ...(byId ? { byId } : {}),
      ...(blankToUndefined(info.manufacturer) ? { manufacturer: blankToUndefined(info.manufacturer) } : {}),
      ...(blankToUndefined(info.serialNumber) ? { serialNumber: blankToUndefined(info.serialNumber) } : {}),
      ...(usbIds(info.vendorId, info.productId) ? { usb: usbIds(info.vendorId, info.productId) } : {}),
      ...(board ? { likely: board.name } : {}),
      espruino: board?.espruino === true,
      access: await checkAccess(info.path, deps.access),
    });
  }
  if (hidden > 0) notes.push(`${hidden} built-in serial port(s) (/dev/ttyS*) without a USB device hidden; --all shows them`);
  return { source, ports, notes };
}
