/**
 * Serial ports found by reading /dev and /sys directly: what `kerb ports` falls back on where
 * serialport's Linux lister cannot run (it spawns `udevadm`, absent from slim containers and
 * some minimal images). USB ids come from sysfs, the same attributes udev reads; the by-id links
 * from /dev/serial/by-id. `root` lets the tests build a fake tree in a temp directory.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PortInfo } from './port-list.js';

/** Device names serialport's lister takes as serial ports, less the legacy ttyS UARTs. */
const SERIAL_NAME = /^(tty(USB|ACM|AMA|WCH|XRUSB|MFD)\d+|rfcomm\d+)$/;

async function readAttr(dir: string, name: string): Promise<string | undefined> {
  try {
    const v = (await fs.readFile(path.join(dir, name), 'utf8')).trim();
    return v === '' ? undefined : v;
  } catch {
    return undefined;
  }
}

/** The USB device above a tty in sysfs: the first ancestor with an idVendor, at most 4 up. */
async function usbDevice(root: string, name: string): Promise<string | undefined> {
  let dir: string;
  try {
    dir = await fs.realpath(path.join(root, 'sys', 'class', 'tty', name, 'device'));
  } catch {
    return undefined;
  }
  for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
    if ((await readAttr(dir, 'idVendor')) !== undefined) return dir;
  }
  return undefined;
}

/** `/dev/ttyUSB0` → `/dev/serial/by-id/usb-FTDI_…-if00-port0`, for every link there. */
export async function byIdLinks(root = '/'): Promise<Map<string, string>> {
  const dir = path.join(root, 'dev', 'serial', 'by-id');
  const links = new Map<string, string>();
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return links; // no USB serial device attached, or not Linux
  }
  for (const name of names.sort()) {
    try {
      const target = await fs.realpath(path.join(dir, name));
      const device = path.join('/dev', path.relative(path.join(root, 'dev'), target));
      if (!links.has(device)) links.set(device, path.join('/dev/serial/by-id', name));
    } catch {
      // a dangling link: the device went away while we looked
    }
  }
  return links;
}

export async function scanDev(root = '/'): Promise<PortInfo[]> {
  const names = (await fs.readdir(path.join(root, 'dev'))).filter((n) => SERIAL_NAME.test(n));
  const ports: PortInfo[] = [];
  for (const name of names.sort()) {
    const usb = await usbDevice(root, name);
    ports.push({
      path: `/dev/${name}`,
      manufacturer: usb && (await readAttr(usb, 'manufacturer')),
      serialNumber: usb && (await readAttr(usb, 'serial')),
      vendorId: usb && (await readAttr(usb, 'idVendor')),
      productId: usb && (await readAttr(usb, 'idProduct')),
      pnpId: undefined,
      locationId: undefined,
    });
  }
  return ports;
}
