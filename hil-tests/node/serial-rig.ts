/**
 * One SerialNode driver on a mock serial port with a fake node on the other end of the wire,
 * all on one virtual clock: what the node suites start from.
 */
import type { DeviceEvent, DeviceKind, Output } from '../../firmware/devices/types.js';
import type { Hello } from '../../firmware/link/messages.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import type { SerialOpener } from '../../gateway/node/serial-line.js';
import { SerialNode, type SerialNodeOptions } from '../../gateway/node/serial-node.js';
import { FakeNode } from '../harness/fake-node.js';
import { settle } from '../harness/run-clock.js';
import { SerialMockBridge } from '../harness/serial-mock-bridge.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';

export const NIGHT = Date.UTC(2026, 5, 21, 21, 10); // 23:10 in Amsterdam
export const HERE = { latitude: 52.3676, longitude: 4.9041 };

let ports = 0;

/** A port path no other rig in this process uses (MockBinding's ports are process-wide). */
export function freshPort(): string {
  return `/dev/ttyKERB${++ports}`;
}

export interface RigOptions {
  kind?: DeviceKind;
  id?: string;
  hello?: Partial<Hello>;
  synced?: boolean;
  driver?: Partial<Omit<SerialNodeOptions, 'device' | 'clock' | 'emit' | 'log' | 'open'>>;
}

export function serialRig(options: RigOptions = {}) {
  const clock = new VirtualClock({ startWall: NIGHT, synced: options.synced ?? true });
  const port = freshPort();
  const bridge = new SerialMockBridge(port);
  const { log, records } = memoryLogger();
  const outputs: Output[] = [];
  const kind = options.kind ?? 'parking';
  const id = options.id ?? `${kind}-07`;
  /** Times (virtual ms) at which the driver tried to open the port. */
  const openedAt: number[] = [];
  const open: SerialOpener = (o) => {
    openedAt.push(clock.now());
    return bridge.open(o);
  };
  const driver = new SerialNode({
    device: { id, kind, location: HERE, transport: { type: 'serial', port } },
    clock, log, open, emit: (o) => outputs.push(o), gateway: 'gw-test', epoch: 3, ...options.driver,
  });
  /** While bridge.opens is below this, the line passes nothing either way (a hung USB adapter). */
  let hungUntilOpens = 0;
  const passes = () => bridge.opens >= hungUntilOpens;
  const node = new FakeNode({
    clock, write: (bytes) => passes() && bridge.toGateway(bytes),
    hello: { id, kind, fw: '0.3.0', profile: 'c0ffee01', boot: 1, mode: 'run', ...options.hello },
  });
  bridge.onGatewayWrite((bytes) => {
    if (passes()) node.receive(bytes);
  });

  /**
   * The USB adapter hangs: the port stays open and no byte passes either way until the driver has
   * closed and reopened it `reopens` times (an adapter reset by a reopen, or one needing several).
   */
  const hang = (reopens = 1): void => {
    hungUntilOpens = bridge.opens + reopens;
  };

  const events = (name?: string): DeviceEvent[] =>
    outputs.filter((o): o is DeviceEvent => o.type === 'event' && (name === undefined || o.name === name));
  const logged = (event: string) => records.filter((r) => r.event === event);

  /** Starts the driver, waits for the port, powers the node up and waits until it is heard. */
  async function connect(): Promise<void> {
    driver.start();
    await waitFor(() => bridge.isOpen(), 'the driver to open the port');
    node.start();
    await waitFor(() => driver.state().link === 'up', 'the node to be heard');
    await settle();
  }

  /** Stops both ends and waits for the port to close. */
  async function stop(): Promise<void> {
    driver.stop();
    node.stop();
    await waitFor(() => !bridge.isOpen(), 'the port to close');
  }

  return { clock, port, bridge, driver, node, outputs, records, openedAt, events, logged, hang, connect, stop };
}
