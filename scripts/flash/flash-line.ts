/**
 * The serial port as the flasher uses it: serialport's stream (`SerialPort` on a laptop,
 * `SerialPortStream` on @serialport/binding-mock in tests) satisfies it as it is. Unlike the
 * gateway's SerialLine, the flasher needs the write callback (to pause within a chunk when the
 * board says XOFF) and a baud change without closing the port (closing toggles DTR, which
 * resets some boards).
 */
import type { BindingInterface } from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import { describePortError } from '../../gateway/node/port-error.js';
import { FlashError, type FlashErrorCode } from './flash-error.js';

export interface FlashLine {
  readonly isOpen: boolean;
  write(data: Buffer, callback: (err: Error | null | undefined) => void): boolean;
  update(options: { baudRate: number }, callback: (err: Error | null) => void): void;
  /** Calls back once the operating system has sent what was written (tcdrain). */
  drain(callback: (err: Error | null) => void): void;
  close(callback?: (err: Error | null) => void): void;
  on(event: 'data' | 'close' | 'error', listener: (...args: any[]) => void): unknown;
  removeListener(event: 'data' | 'close' | 'error', listener: (...args: any[]) => void): unknown;
}

export type FlashOpener = (path: string, baudRate: number) => Promise<FlashLine>;

interface OpenableStream extends FlashLine {
  open(callback: (err: Error | null) => void): void;
}

function opened(port: OpenableStream, path: string): Promise<FlashLine> {
  return new Promise((resolve, reject) => {
    // Write failures reach the flasher through write callbacks (a cancelled write when the port
    // closes under a link retry, say); without a listener the stream's 'error' event would crash.
    port.on('error', () => undefined);
    port.open((err) => (err ? reject(portFailure(path, err)) : resolve(port)));
  });
}

const CODES: Record<string, FlashErrorCode> = {
  E_SERIAL_MISSING: 'E_PORT_MISSING',
  E_SERIAL_ACCESS: 'E_PORT_ACCESS',
  E_SERIAL_BUSY: 'E_PORT_BUSY',
};

/** The gateway's reading of serialport's errno texts, as a FlashError with the technician's next step. */
export function portFailure(path: string, err: unknown): FlashError {
  const described = describePortError(path, err, 'open');
  const code = CODES[described.code] ?? 'E_PORT_IO';
  const next = code === 'E_PORT_MISSING'
    ? `check the cable and the port name; 'kerb ports' lists what is attached`
    : code === 'E_PORT_ACCESS'
      ? 'add yourself to the dialout group (sudo usermod -aG dialout $USER), log out and in, and try again'
      : code === 'E_PORT_BUSY'
        ? 'close the other program using the port (a serial monitor, the Espruino IDE, a gateway) and try again'
        : 'unplug and replug the adapter, then try again';
  return new FlashError(code, described.message.replace(/: [^:]*$/, ''), next, { cause: err });
}

/** Opens a port on the laptop's own serial ports (serialport's native binding). */
export const openSystemPort: FlashOpener = async (path, baudRate) => {
  const { SerialPort } = await import('serialport');
  return opened(new SerialPort({ path, baudRate, autoOpen: false }) as unknown as OpenableStream, path);
};

/** Opens a port through any serialport binding (tests: @serialport/binding-mock). */
export function bindingOpener(binding: BindingInterface): FlashOpener {
  return async (path, baudRate) => {
    const { SerialPortStream } = await import('@serialport/stream');
    return opened(new SerialPortStream({ binding, path, baudRate, autoOpen: false }) as unknown as OpenableStream, path);
  };
}
