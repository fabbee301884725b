/**
 * `kerb ports`: the serial ports of this machine, with what is likely attached (an Espruino board
 * or a USB-serial bridge, from its USB ids), the stable /dev/serial/by-id link, and whether this
 * user may open it (with the fix when not). Never a stack trace: a missing udevadm falls back to
 * reading /dev and /sys; no port at all is an empty list and a hint.
 */
import { parse } from '../args.js';
import { CliError, EXIT } from '../cli-error.js';
import { byIdLinks, scanDev } from '../serial/dev-scan.js';
import { systemProbe } from '../serial/port-access.js';
import { listPorts, PortListError, serialportLister, type ListDeps, type ListedPort, type PortListing } from '../serial/port-list.js';

const help = {
  usage: 'kerb ports [--json] [--all]',
  description: 'Lists serial ports with the USB vendor:product ids, what is likely attached (Espruino Pico,\n' +
    'FTDI, CP210x, CH340, PL2303, ESP32 native USB, ...), the /dev/serial/by-id link to use in a\n' +
    "site file, and whether you may open it; when you may not, it says the fix (usually 'sudo\n" +
    "usermod -aG dialout $USER', then log out and in). Without udevadm it reads /dev and /sys.\n" +
    'Exit codes: 0 listed (also when no port is found), 1 the ports could not be listed, 2 usage error.',
  options: [
    ['--json', 'one JSON object: { source, ports: [{ path, byId, manufacturer, usb, likely, access }], notes }'],
    ['--all', 'also the built-in /dev/ttyS* UARTs without a USB device (hidden by default)'],
  ] as Array<[string, string]>,
  examples: ['kerb ports', 'kerb ports --json | jq -r \'.ports[] | select(.espruino) | .byId\''],
};

export interface PortsDeps extends ListDeps {
  write: (text: string) => void;
}

export function systemDeps(): PortsDeps {
  return { list: serialportLister, scanDev: () => scanDev(), byId: () => byIdLinks(), access: systemProbe(), write: (t) => process.stdout.write(t) };
}

function accessText(p: ListedPort): string {
  if (p.access.accessible === undefined) return '?';
  return p.access.accessible ? 'yes' : 'no';
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function formatListing(listing: PortListing): string {
  const lines: string[] = [];
  if (listing.ports.length === 0) {
    lines.push('no serial ports found.',
      "hint: plug the node's USB cable in (a charge-only cable shows nothing), then run kerb ports again;",
      '      dmesg | tail shows whether the kernel saw the adapter.');
  } else {
    const rows = [['PORT', 'BY-ID', 'MANUFACTURER', 'USB', 'LIKELY', 'ACCESS']];
    for (const p of listing.ports) {
      rows.push([p.path, p.byId?.replace('/dev/serial/by-id/', '') ?? '-', p.manufacturer ?? '-', p.usb ?? '-', p.likely ?? '-', accessText(p)]);
    }
    lines.push(...table(rows));
    const blocked = listing.ports.filter((p) => p.access.problem !== undefined);
    if (blocked.length > 0) lines.push('');
    for (const p of blocked) {
      const { message, fix } = p.access.problem!;
      lines.push(`${message.startsWith(p.path) ? '' : `${p.path}: `}${message}; fix: ${fix}`);
    }
    const withLink = listing.ports.find((p) => p.byId !== undefined && p.espruino) ?? listing.ports.find((p) => p.byId !== undefined);
    if (withLink) lines.push('', `use the by-id link in a site file (it survives replugging): port: ${withLink.byId}`);
  }
  for (const n of listing.notes) lines.push(`note: ${n}`);
  return lines.join('\n') + '\n';
}

export async function run(argv: string[], deps: PortsDeps = systemDeps()): Promise<number> {
  const args = parse(argv, { json: { type: 'boolean' }, all: { type: 'boolean' } }, help);
  if (args === undefined) return EXIT.ok;
  let listing: PortListing;
  try {
    listing = await listPorts(deps, { all: args.values.all === true });
  } catch (err) {
    if (err instanceof PortListError) throw new CliError(err.message, EXIT.failed);
    throw err;
  }
  deps.write(args.values.json === true ? JSON.stringify(listing) + '\n' : formatListing(listing));
  return EXIT.ok;
}
