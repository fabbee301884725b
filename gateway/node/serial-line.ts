/**
 * The serial port a node driver talks through, as little of serialport's stream as it uses, and
 * the openers that produce one. The driver never imports serialport itself: it is handed an
 * opener (serialport's own habit: the stream takes its binding as an option), so tests open
 * ports on @serialport/binding-mock and the gateway on the real `SerialPort`.
 */

/** An open port: serialport's `SerialPortStream` (and so `SerialPort`) satisfies it. */
export interface SerialLine {
  readonly isOpen: boolean;
  write(data: Buffer): boolean;
  /** Closes the port; the callback gets the error of a port that was not open. */
  close(callback?: (err: Error | null) => void): void;
  /**
   * 'data' (a Buffer), 'close' (null, or an error whose `disconnected` is true when the device
   * went away), 'error' (an Error), 'end' (the port reported end of file).
   */
  // The shape of Node's EventEmitter, so serialport's stream fits as it is.
  on(event: 'data' | 'close' | 'error' | 'end', listener: (...args: any[]) => void): unknown;
}

export interface SerialOpenOptions {
  path: string;
  baudRate: number;
}

/** Opens a port: resolves once it is open, rejects with the binding's error when it cannot be. */
export type SerialOpener = (options: SerialOpenOptions) => Promise<SerialLine>;

/** What openStream needs of a stream created with `autoOpen: false`. */
export interface OpenableLine extends SerialLine {
  open(callback: (err: Error | null) => void): void;
}

/** Opens a stream made with `autoOpen: false`; a failed open leaves nothing open behind. */
export function openStream(port: OpenableLine): Promise<SerialLine> {
  return new Promise((resolve, reject) => {
    port.open((err) => (err ? reject(err) : resolve(port)));
  });
}

/**
 * The gateway's default: serialport's `SerialPort` on the platform's native binding. Imported on
 * first use, so a gateway without serial nodes never loads the native module.
 */
export const openSerialPort: SerialOpener = async (options) => {
  const { SerialPort } = await import('serialport');
  return openStream(new SerialPort({ path: options.path, baudRate: options.baudRate, autoOpen: false }));
};
