/**
 * Listing ports on fakes: serialport's PortInfo from an injected lister, the permissions from an
 * injected probe, and where udevadm is missing, serialport's own Linux lister failing as it does
 * (it spawns `udevadm`; here on a PATH without it) and the /dev + /sys scan of a fake tree.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatListing, run, type PortsDeps } from '../commands/ports.js';
import { CliError, EXIT } from '../cli-error.js';
import { byIdLinks, scanDev } from './dev-scan.js';
import type { AccessProbe } from './port-access.js';
import { isUdevadmMissing, listPorts, PortListError, type PortInfo, type PortLister } from './port-list.js';

type SpawnLike = (cmd: string, args: string[]) => ReturnType<typeof spawn>;
const { linuxList } = createRequire(import.meta.url)('@serialport/bindings-cpp/dist/linux-list.js') as { linuxList: (s: SpawnLike) => Promise<PortInfo[]> };

function info(p: Partial<PortInfo> & { path: string }): PortInfo {
  return { manufacturer: undefined, serialNumber: undefined, pnpId: undefined, locationId: undefined, vendorId: undefined, productId: undefined, ...p };
}

const PICO = info({ path: '/dev/ttyACM0', manufacturer: 'STMicroelectronics', vendorId: '0483', productId: '5740', serialNumber: '3276345B3133' });
const FTDI = info({ path: '/dev/ttyUSB0', manufacturer: 'FTDI', vendorId: '0403', productId: '6001', serialNumber: 'A50285BI' });
const LINKS = new Map([
  ['/dev/ttyUSB0', '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0'],
  ['/dev/ttyACM0', '/dev/serial/by-id/usb-STMicroelectronics_Espruino_Pico_3276345B3133-if00'],
]);
/** The tech is not in dialout: the FTDI adapter is root:dialout 0660, the Pico's tty 0666. */
const PROBE: AccessProbe = {
  stat: async (p) => ({ mode: p === '/dev/ttyACM0' ? 0o20666 : 0o20660, uid: 0, gid: 20 }),
  uid: 1000, gids: [1000], user: 'tech', groups: async () => [{ name: 'dialout', gid: 20, members: [] }],
};

function deps(list: PortLister, o: Partial<PortsDeps> = {}) {
  const out: string[] = [];
  const d: PortsDeps = { list, scanDev: async () => [], byId: async () => LINKS, access: PROBE, write: (t) => out.push(t), ...o };
  return { d, out };
}

/** serialport's real Linux lister, spawning udevadm where there is none. */
const withoutUdevadm: PortLister = () => linuxList((cmd, args) => spawn(cmd, args, { env: { PATH: os.tmpdir() } }));

test('each port shows its by-id link, manufacturer, vid:pid, what is likely attached and whether you may open it', async () => {
  const { d, out } = deps(async () => [FTDI, PICO, info({ path: '/dev/ttyS0' }), info({ path: '/dev/ttyS1' })]);
  assert.is(await run([], d), EXIT.ok);
  const text = out.join('');
  process.stdout.write(`\n--- kerb ports ---\n${text}---\n`);
  const lines = text.split('\n');
  assert.match(lines[0]!, /^PORT\s+BY-ID\s+MANUFACTURER\s+USB\s+LIKELY\s+ACCESS$/);
  assert.match(lines[1]!, /^\/dev\/ttyACM0\s+usb-STMicroelectronics_Espruino_Pico_3276345B3133-if00\s+STMicroelectronics\s+0483:5740\s+Espruino Pico\/Original .*\s+yes$/);
  assert.match(lines[2]!, /^\/dev\/ttyUSB0\s+usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0\s+FTDI\s+0403:6001\s+FTDI FT232R USB-serial bridge\s+no$/);
  assert.match(text, /^\/dev\/ttyUSB0 belongs to the dialout group and tech is not in it; fix: sudo usermod -aG dialout \$USER, then log out and in again/m);
  assert.match(text, /port: \/dev\/serial\/by-id\/usb-STMicroelectronics_Espruino_Pico/);
  assert.match(text, /note: 2 built-in serial port\(s\) \(\/dev\/ttyS\*\) without a USB device hidden; --all shows them/);
});

test('--json gives one object with every field; --all keeps the built-in UARTs', async () => {
  const { d, out } = deps(async () => [FTDI, PICO, info({ path: '/dev/ttyS0' })]);
  assert.is(await run(['--json', '--all'], d), EXIT.ok);
  process.stdout.write(`\n--- kerb ports --json --all ---\n${out.join('')}---\n`);
  const listing = JSON.parse(out.join(''));
  assert.is(listing.source, 'serialport');
  assert.equal(listing.ports.map((p: { path: string }) => p.path), ['/dev/ttyACM0', '/dev/ttyS0', '/dev/ttyUSB0']);
  assert.equal(listing.ports[2], {
    path: '/dev/ttyUSB0', byId: '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0', manufacturer: 'FTDI', serialNumber: 'A50285BI',
    usb: '0403:6001', likely: 'FTDI FT232R USB-serial bridge', espruino: false,
    access: {
      accessible: false, group: 'dialout',
      problem: { code: 'E_ACCESS_GROUP', message: '/dev/ttyUSB0 belongs to the dialout group and tech is not in it', fix: 'sudo usermod -aG dialout $USER, then log out and in again' },
    },
  });
  assert.is(listing.ports[0].espruino, true);
  assert.equal(listing.notes, []);
});

test('no port at all: an empty list, a hint and exit 0', async () => {
  const { d, out } = deps(async () => []);
  assert.is(await run([], d), EXIT.ok);
  assert.match(out.join(''), /^no serial ports found\.\nhint: plug the node's USB cable in/);
  const json = deps(async () => []);
  assert.is(await run(['--json'], json.d), EXIT.ok);
  assert.equal(JSON.parse(json.out.join('')), { source: 'serialport', ports: [], notes: [] });
});

test("without udevadm serialport's lister fails with a spawn ENOENT; the ports are read from /dev and /sys instead, and it says so", async () => {
  const err = await withoutUdevadm().then(() => undefined, (e: unknown) => e);
  assert.ok(isUdevadmMissing(err), String(err));
  assert.match(String(err), /spawn udevadm ENOENT/);

  const { d, out } = deps(withoutUdevadm, { scanDev: async () => [FTDI] });
  assert.is(await run([], d), EXIT.ok);
  const text = out.join('');
  process.stdout.write(`\n--- kerb ports, no udevadm ---\n${text}---\n`);
  assert.match(text, /^\/dev\/ttyUSB0 .*FTDI FT232R USB-serial bridge\s+no$/m);
  assert.match(text, /note: udevadm is not installed \(serialport's port lister needs it; apt install udev\): ports were read from \/dev and \/sys instead/);
  const listing = await listPorts({ ...d, scanDev: async () => [] });
  assert.equal([listing.source, listing.ports.length], ['dev-scan', 0], 'nothing found either way is still a listing');
  assert.ok(!isUdevadmMissing(Object.assign(new Error('spawn foo ENOENT'), { code: 'ENOENT', syscall: 'spawn foo' })));
});

test('any other listing failure is one message and exit 1, not a stack', async () => {
  const { d } = deps(async () => {
    throw new Error('Error listing ports udevadm exited with error code: 2');
  });
  const err = await run([], d).then(() => undefined, (e: unknown) => e);
  assert.instance(err, CliError);
  assert.is((err as CliError).exitCode, EXIT.failed);
  assert.is((err as CliError).message, 'could not list serial ports: Error listing ports udevadm exited with error code: 2');
  await listPorts(d).then(() => assert.unreachable(), (e: unknown) => assert.instance(e, PortListError));
});

test('the /dev and /sys scan finds USB serial ttys with their ids and by-id links, and skips the rest', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kerb-devscan-'));
  try {
    const mk = (p: string, text?: string) => {
      fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      if (text !== undefined) fs.writeFileSync(path.join(root, p), text);
    };
    for (const n of ['ttyUSB0', 'ttyACM0', 'ttyS0', 'tty1', 'null']) mk(`dev/${n}`, '');
    const usb = 'sys/devices/pci0000:00/usb1/1-1';
    mk(`${usb}/idVendor`, '0403\n');
    mk(`${usb}/idProduct`, '6001\n');
    mk(`${usb}/manufacturer`, 'FTDI\n');
    mk(`${usb}/serial`, 'A50285BI\n');
    fs.mkdirSync(path.join(root, usb, '1-1:1.0', 'ttyUSB0'), { recursive: true });
    fs.mkdirSync(path.join(root, 'sys/class/tty'), { recursive: true });
    fs.symlinkSync(path.join(root, usb, '1-1:1.0', 'ttyUSB0'), path.join(root, 'sys/class/tty/ttyUSB0'));
    fs.symlinkSync(path.join(root, usb, '1-1:1.0', 'ttyUSB0'), path.join(root, usb, '1-1:1.0', 'ttyUSB0', 'device'));
    fs.mkdirSync(path.join(root, 'dev/serial/by-id'), { recursive: true });
    fs.symlinkSync('../../ttyUSB0', path.join(root, 'dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0'));
    fs.symlinkSync('../../ttyGONE', path.join(root, 'dev/serial/by-id/usb-dangling'));

    const ports = await scanDev(root);
    assert.equal(ports.map((p) => [p.path, p.vendorId, p.productId, p.manufacturer, p.serialNumber]), [
      ['/dev/ttyACM0', undefined, undefined, undefined, undefined],
      ['/dev/ttyUSB0', '0403', '6001', 'FTDI', 'A50285BI'],
    ]);
    assert.equal([...(await byIdLinks(root))], [['/dev/ttyUSB0', '/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0']]);
    assert.equal([...(await byIdLinks(path.join(root, 'nowhere')))], [], 'no by-id folder: no links');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('formatListing keeps unknown fields as dashes and an unjudged access as ?', () => {
  const text = formatListing({ source: 'serialport', notes: [], ports: [{ path: 'COM3', espruino: false, access: { accessible: undefined } }] });
  assert.match(text, /^COM3\s+-\s+-\s+-\s+-\s+\?$/m);
});

test.run();
