/**
 * What a node's hello says against what the site file expects on that port. A node with
 * another id or kind is the wrong node (a swapped cable, a board flashed for another post): its
 * readings would be booked to the wrong device, so the driver ignores them. A different
 * profile hash means the node runs another configuration than the site file's: worth a fault,
 * but its readings are still the device's. Safe mode means the node is in a crash loop.
 */
import type { DeviceEvent, DeviceKind } from '../../firmware/devices/types.js';
import type { Hello } from '../../firmware/link/messages.js';

export interface ExpectedNode {
  id: string;
  kind: DeviceKind;
  port: string;
  /** The profile hash the site's configuration gives; undefined: not checked. */
  profileHash?: string | undefined;
}

export interface HelloVerdict {
  /** False: the node is not the device the site file puts on this port. */
  matches: boolean;
  /** Fault events to emit, in order. */
  faults: Array<Pick<DeviceEvent, 'name' | 'value' | 'detail'>>;
}

export function checkHello(expected: ExpectedNode, hello: Hello): HelloVerdict {
  const faults: HelloVerdict['faults'] = [];
  const differs: string[] = [];
  if (hello.id !== expected.id) differs.push(`id '${hello.id}', not '${expected.id}'`);
  if (hello.kind !== expected.kind) differs.push(`kind '${hello.kind}', not '${expected.kind}'`);
  const matches = differs.length === 0;
  if (!matches) {
    faults.push({
      name: 'node-mismatch', value: hello.boot,
      detail: `the node on ${expected.port} has ${differs.join(' and ')}: its readings are ignored until the right node is connected`,
    });
  }
  if (expected.profileHash !== undefined && hello.profile !== expected.profileHash) {
    faults.push({
      name: 'profile-mismatch', value: hello.boot,
      detail: `the node runs profile ${hello.profile}, the site file gives ${expected.profileHash}: rebuild and flash the node (fw ${hello.fw})`,
    });
  }
  if (hello.mode === 'safe') {
    faults.push({
      name: 'safe-mode', value: hello.boot,
      detail: `the node started in safe mode (boot ${hello.boot}, fw ${hello.fw}) after repeated failed boots: only the link and a lamp's fail-safe level run`,
    });
  }
  return { matches, faults };
}
