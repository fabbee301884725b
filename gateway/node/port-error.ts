/**
 * Why a node's serial port could not be opened or was lost, in words a technician can act on.
 * The native binding reports errno text only ("Error: Permission denied, cannot open
 * /dev/ttyUSB0", "Error Resource temporarily unavailable Cannot lock port"), so the kind is read
 * from the message as well as from a `code` or `disconnected` field when one is there.
 */
export type PortErrorCode =
  | 'E_SERIAL_MISSING' // no such device: unplugged, or the wrong path
  | 'E_SERIAL_ACCESS' // permission denied
  | 'E_SERIAL_BUSY' // locked or open in another program
  | 'E_SERIAL_DISCONNECTED' // the device went away while open
  | 'E_SERIAL_CLOSED' // the port closed without saying why
  | 'E_SERIAL_IO'; // anything else

export class PortError extends Error {
  constructor(readonly code: PortErrorCode, readonly port: string, message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'PortError';
  }
}

const KINDS: Array<{ code: PortErrorCode; test: RegExp }> = [
  { code: 'E_SERIAL_MISSING', test: /ENOENT|ENODEV|no such file|no such device|does not exist|not found/i },
  { code: 'E_SERIAL_ACCESS', test: /EACCES|EPERM|permission denied|access denied|operation not permitted/i },
  { code: 'E_SERIAL_BUSY', test: /EBUSY|resource busy|resource temporarily unavailable|cannot lock|is locked|already open/i },
];

function advice(code: PortErrorCode, port: string): string {
  switch (code) {
    case 'E_SERIAL_MISSING':
      return `is the node's cable plugged in, and is ${port} the right port? (ls /dev/serial/by-id lists attached adapters)`;
    case 'E_SERIAL_ACCESS':
      return 'add the user the gateway runs as to the dialout group (sudo usermod -aG dialout USER), then log in again or restart the service';
    case 'E_SERIAL_BUSY':
      return 'another program has the port open (a serial monitor, ModemManager, a second gateway): close it';
    case 'E_SERIAL_DISCONNECTED':
      return 'the cable was pulled or the USB adapter reset; the gateway reopens the port when it is back';
    case 'E_SERIAL_CLOSED':
      return 'the gateway reopens the port';
    case 'E_SERIAL_IO':
      return 'check the cable and the adapter';
  }
}

function textOf(err: unknown): string {
  if (err === null || err === undefined) return '';
  const e = err as { message?: unknown; code?: unknown };
  return [e.code, e.message].filter((x) => typeof x === 'string' && x !== '').join(' ') || String(err);
}

/** `phase`: 'open' when opening failed, 'lost' when an open port closed by itself. */
export function describePortError(port: string, err: unknown, phase: 'open' | 'lost'): PortError {
  const text = textOf(err);
  const disconnected = (err as { disconnected?: unknown } | null)?.disconnected === true;
  let code: PortErrorCode = phase === 'lost' ? (err ? 'E_SERIAL_DISCONNECTED' : 'E_SERIAL_CLOSED') : 'E_SERIAL_IO';
  if (!disconnected) {
    const kind = KINDS.find((k) => k.test.test(text));
    if (kind) code = kind.code;
  }
  const what = phase === 'open' ? `cannot open serial port ${port}` : `serial port ${port} was lost`;
  const why = text.replace(/^Error:?\s*/, '');
  return new PortError(code, port, `${what}${why ? ` (${why})` : ''}: ${advice(code, port)}`, err);
}
