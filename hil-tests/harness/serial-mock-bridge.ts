/**
 * A serial cable between the gateway's node driver and a node played by a test, on
 * @serialport/binding-mock. The gateway opens the port through serialport's own stream class
 * (`SerialPortStream`, as `SerialPort` does) with a binding that wraps MockBinding; the test holds
 * the other end of the wire: `toGateway()` puts bytes on the line, `onGatewayWrite()` hears
 * what the gateway wrote (after the binding took it, never synchronously).
 *
 * What the mock lacks and a street has, this adds:
 * - `unplug()`: the open port fails as a pulled USB adapter does (the pending read errors, so
 *   serialport closes the stream with a DisconnectedError), and opening fails with the native
 *   binding's ENOENT text until `replug()`;
 * - `failOpens(message)`: opening fails with that text (permissions, a lock) until cleared.
 */
import { createRequire } from 'node:module';
// Both packages declare their types for require() only (their ESM entry has none).
import type { MockBindingInterface, MockPortBinding } from '@serialport/binding-mock' with { 'resolution-mode': 'require' };
import type {
  BindingInterface, BindingPortInterface, OpenOptions, PortStatus, SetOptions, UpdateOptions,
} from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import { SerialPortStream } from '@serialport/stream';
import { openStream, type SerialOpener } from '../../gateway/node/serial-line.js';

const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as { MockBinding: MockBindingInterface };

class BridgePort implements BindingPortInterface {
  private cutOff!: (err: Error) => void;
  /** Rejects when the cable is pulled; every read races it. */
  private readonly cut = new Promise<never>((_, reject) => {
    this.cutOff = reject;
  });

  constructor(private readonly inner: MockPortBinding, private readonly bridge: SerialMockBridge) {
    this.cut.catch(() => undefined); // only reads care; an unplug with no read pending is not an error
  }

  get openOptions(): Required<OpenOptions> {
    return this.inner.openOptions;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  set isOpen(_: boolean) {
    // the mock keeps its own flag
  }

  pull(err: Error): void {
    this.cutOff(err);
  }

  emit(bytes: Buffer): void {
    this.inner.emitData(bytes);
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    return Promise.race([this.inner.read(buffer, offset, length), this.cut]);
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.bridge.unplugged) throw ioError();
    await this.inner.write(buffer);
    this.bridge.gatewayWrote(Buffer.from(buffer));
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  update(options: UpdateOptions): Promise<void> {
    return this.inner.update(options);
  }

  set(options: SetOptions): Promise<void> {
    return this.inner.set(options);
  }

  get(): Promise<PortStatus> {
    return this.inner.get();
  }

  getBaudRate(): Promise<{ baudRate: number }> {
    return this.inner.getBaudRate();
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }

  drain(): Promise<void> {
    return this.inner.drain();
  }
}

/** What the kernel says when a USB serial adapter disappears under an open port. */
function ioError(): Error {
  return Object.assign(new Error('Input/output error'), { code: 'EIO' });
}

export class SerialMockBridge {
  unplugged = false;
  /** Ports opened, open attempts refused, and the baud rate of the last open. */
  opens = 0;
  openFailures = 0;
  baudRate = 0;
  /** Bytes sent towards the gateway while no port was open: lost, as on a real wire. */
  lostBytes = 0;
  private failText: string | undefined;
  private port: BridgePort | undefined;
  private readonly listeners: Array<(bytes: Uint8Array) => void> = [];
  private readonly writes: Buffer[] = [];

  /** The binding the gateway's stream opens ports with. */
  readonly binding: BindingInterface<BridgePort> = {
    list: () => MockBinding.list(),
    open: async (options: OpenOptions): Promise<BridgePort> => {
      if (this.unplugged) this.refuse(`Error: No such file or directory, cannot open ${options.path}`);
      if (this.failText !== undefined) this.refuse(this.failText);
      const port = new BridgePort(await MockBinding.open(options), this);
      this.port = port;
      this.opens++;
      this.baudRate = options.baudRate;
      return port;
    },
  };

  /** The opener to hand the gateway (Gateway `serial.open`, SerialNode `open`). */
  readonly open: SerialOpener = (o) =>
    openStream(new SerialPortStream({ binding: this.binding, path: o.path, baudRate: o.baudRate, autoOpen: false }));

  constructor(readonly path: string) {
    MockBinding.createPort(path, { echo: false, record: true });
  }

  /** True while the gateway has the port open. */
  isOpen(): boolean {
    return this.port !== undefined && this.port.isOpen;
  }

  /** Bytes from the node to the gateway; false (and counted) when no port is open to take them. */
  toGateway(bytes: Uint8Array): boolean {
    if (this.unplugged || !this.isOpen()) {
      this.lostBytes += bytes.length;
      return false;
    }
    this.port!.emit(Buffer.from(bytes));
    return true;
  }

  /** Called with each chunk the gateway writes, after the binding took it. */
  onGatewayWrite(listener: (bytes: Uint8Array) => void): void {
    this.listeners.push(listener);
  }

  /** Every byte the gateway wrote, across all its opens. */
  written(): Buffer {
    return Buffer.concat(this.writes);
  }

  unplug(): void {
    this.unplugged = true;
    this.port?.pull(ioError());
  }

  replug(): void {
    this.unplugged = false;
  }

  /** Opening fails with `text` (as the native binding words it) until called with undefined. */
  failOpens(text: string | undefined): void {
    this.failText = text;
  }

  gatewayWrote(bytes: Buffer): void {
    this.writes.push(bytes);
    for (const l of this.listeners) l(new Uint8Array(bytes));
  }

  private refuse(text: string): never {
    this.openFailures++;
    throw new Error(text);
  }
}
