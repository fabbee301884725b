/**
 * A fake Espruino board on a USB-serial adapter, as a technician meets one: the adapter's TX/RX
 * are wired to the board's Serial1, the laptop opens the adapter through serialport (here
 * @serialport/binding-mock, through a SerialMockBridge). The board's console starts on Serial1
 * with Espruino's REPL (fake-repl.ts), so `kerb flash` talks to it as to a real board.
 *
 * The cable is honest about time and speed (serial-wire.ts): bytes cross at the sender's baud on
 * the virtual clock, both ways, and the laptop's write() resolves only once its bytes are on the
 * wire, so a writer that waits for each write hears an XOFF before its next piece. A laptop that
 * opened the port at another speed than Serial1 runs at (9600 while the console has it after a
 * boot) gets noise, and so does the board.
 *
 * Tests drive it on the virtual clock (runClock); nothing waits on the wall clock.
 */
import { SerialPortStream } from '@serialport/stream';
// The package declares its types for require() only (its ESM entry has none).
import type {
  BindingInterface, BindingPortInterface, OpenOptions, PortStatus, SetOptions, UpdateOptions,
} from '@serialport/bindings-interface' with { 'resolution-mode': 'require' };
import { openStream, type SerialOpener } from '../../gateway/node/serial-line.js';
import { FakeEspruino, type FakeEspruinoOptions } from './espruino/fake-espruino.js';
import { quickJsModule } from './espruino/quickjs-vm.js';
import { XOFF, XON } from './espruino/repl-fifo.js';
import { MockHal } from './mock-hal.js';
import { SerialMockBridge } from './serial-mock-bridge.js';
import { PacedWire } from './serial-wire.js';
import type { VirtualClock } from './virtual-clock.js';

export interface UsbSerialBoardOptions extends Omit<FakeEspruinoOptions, 'clock' | 'hal' | 'repl' | 'console'> {
  clock: VirtualClock;
  /** The adapter's device path, e.g. '/dev/ttyUSB0' (one SerialMockBridge per path and process). */
  path: string;
}

/** The adapter as the laptop's serialport stream sees it: the mock's port, paced by the wire. */
class AdapterPort implements BindingPortInterface {
  constructor(private readonly inner: BindingPortInterface, private readonly board: UsbSerialBoard) {}

  get openOptions(): Required<OpenOptions> {
    return this.inner.openOptions;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  set isOpen(_: boolean) {
    // the inner port keeps its own flag
  }

  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    return this.inner.read(buffer, offset, length);
  }

  async write(buffer: Buffer): Promise<void> {
    await this.inner.write(buffer); // refuses (EIO) when unplugged, and records what was written
    await this.board.laptopWrote(new Uint8Array(buffer));
  }

  async update(options: UpdateOptions): Promise<void> {
    await this.inner.update(options);
    this.board.laptopBaud = options.baudRate;
  }

  close(): Promise<void> {
    return this.inner.close();
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

export class UsbSerialBoard {
  readonly hal: MockHal;
  readonly node: FakeEspruino;
  readonly bridge: SerialMockBridge;
  /** The binding to open the adapter with (scripts/flash bindingOpener(board.binding)). */
  readonly binding: BindingInterface<AdapterPort>;
  /** The adapter as a gateway SerialOpener. */
  readonly opener: SerialOpener;
  /** The speed the laptop's side last opened or updated the port at (0: never opened). */
  laptopBaud = 0;
  private readonly toNode: PacedWire;
  private readonly toLaptop: PacedWire;

  /** Needs QuickJS loaded (`await quickJsModule()`); create() does that. */
  constructor(options: UsbSerialBoardOptions) {
    const { clock, path, ...nodeOptions } = options;
    this.hal = new MockHal(clock);
    this.node = FakeEspruino.createLoaded({ ...nodeOptions, clock, hal: this.hal, console: 'Serial1', repl: true });
    this.bridge = new SerialMockBridge(path);
    this.toNode = new PacedWire(clock, (bytes) => this.node.serial1.send(bytes));
    this.toLaptop = new PacedWire(clock, (bytes) => void this.bridge.toGateway(bytes));
    this.node.serial1.onWrite((bytes) => {
      // XON/XOFF leave the UART ahead of the output queued before them.
      const urgent = bytes.length === 1 && (bytes[0] === XON || bytes[0] === XOFF);
      void this.toLaptop.send(bytes, this.nodeBaud(), this.laptopBaud, urgent);
    });
    const bridge = this.bridge;
    this.binding = {
      list: () => bridge.binding.list(),
      open: async (o: OpenOptions): Promise<AdapterPort> => {
        const inner = await bridge.binding.open(o);
        this.laptopBaud = o.baudRate;
        return new AdapterPort(inner, this);
      },
    };
    this.opener = (o) =>
      openStream(new SerialPortStream({ binding: this.binding, path: o.path, baudRate: o.baudRate, autoOpen: false }));
  }

  static async create(options: UsbSerialBoardOptions): Promise<UsbSerialBoard> {
    await quickJsModule();
    return new UsbSerialBoard(options);
  }

  get path(): string {
    return this.bridge.path;
  }

  /** Power on: the saved code runs, then (console still on Serial1) the banner and prompt. */
  powerOn(): void {
    this.node.boot();
  }

  /** The adapter is pulled out of the laptop: the open port fails, opens fail until replug(). */
  unplug(): void {
    this.bridge.unplug();
  }

  replug(): void {
    this.bridge.replug();
  }

  /** Opening fails with `text` (as the native binding words it) until called with undefined. */
  failOpens(text: string | undefined): void {
    this.bridge.failOpens(text);
  }

  dispose(): void {
    this.toNode.cancel();
    this.toLaptop.cancel();
    this.node.dispose();
  }

  /** The laptop's bytes, on their way to Serial1's RX; resolves once the last is on the wire. */
  laptopWrote(bytes: Uint8Array): Promise<void> {
    return this.toNode.send(bytes, this.laptopBaud, this.nodeBaud());
  }

  /** Serial1's speed now (9600 until the node's code sets it up otherwise). */
  private nodeBaud(): number {
    return this.node.serial1.baud ?? 9600;
  }
}
