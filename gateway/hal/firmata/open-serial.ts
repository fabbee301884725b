/**
 * The default way to open a board: firmata.js (the transport-free `firmata-io` package) over a
 * port of our serialport@13 at 57600 baud, StandardFirmata's speed. Both are loaded on first use,
 * so a gateway without Firmata boards never loads the native serial binding. johnny-five is never
 * asked to open a port itself: its bundled serialport@8 has no native binding here.
 */
import { createRequire } from 'node:module';
import type { FirmataIo, OpenIo } from './io.js';

export const FIRMATA_BAUD = 57600;

/** A serial port as firmata.js uses it: an event emitter with write and close. */
export interface FirmataTransport {
  on(event: string, listener: (...args: any[]) => void): unknown;
  write(data: Buffer, callback?: (err?: Error | null) => void): unknown;
  close(callback?: (err?: Error | null) => void): void;
}

type FirmataClass = new (transport: FirmataTransport, options?: Record<string, unknown>) => FirmataIo;
type SerialPortClass = new (options: { path: string; baudRate: number }) => FirmataTransport;

const load = createRequire(import.meta.url);

/** firmata.js's Firmata over `transport` (any stream that opens itself and emits 'open'). */
export function firmataOver(transport: FirmataTransport): FirmataIo {
  const { Firmata } = load('firmata-io') as { Firmata: FirmataClass };
  return new Firmata(transport);
}

export const openSerialFirmata: OpenIo = (port) => {
  const { SerialPort } = load('serialport') as { SerialPort: SerialPortClass };
  return firmataOver(new SerialPort({ path: port, baudRate: FIRMATA_BAUD }));
};
