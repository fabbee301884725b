/**
 * `kerb provision` as a library: gives a node its device id and its own key, then, if Kerb is
 * installed, restarts it and checks that its hello carries the new id. A node already
 * provisioned keeps its identity unless `force`: a new key means its gateway needs the new one.
 */
import type { Clock } from '../../firmware/hal/clock.js';
import type { Hello } from '../../firmware/link/messages.js';
import { closeLine, connectBoard, restartAndListen, resumeSavedCode } from './board-connection.js';
import { FlashError } from './flash-error.js';
import type { FlashOpener } from './flash-line.js';
import { giveIdentity } from './flasher.js';

export interface ProvisionOptions {
  path: string;
  opener: FlashOpener;
  clock: Clock;
  signal?: AbortSignal;
  deviceId: string;
  keysDir: string;
  force: boolean;
  /** The node's link speed (the REPL is looked for there first, then at 9600). */
  linkBaud: number;
  replBauds?: number[];
  helloMs: number;
  log: (line: string) => void;
}

export interface ProvisionResult {
  key: { file: string; fingerprint: string };
  /** The hello the node said with its new id; undefined when no Kerb firmware is installed yet. */
  hello: Hello | undefined;
  /** The installed firmware's profile or device name, if any. */
  installed: { fw: string; name: string } | undefined;
}

export async function provision(o: ProvisionOptions): Promise<ProvisionResult> {
  const c = await connectBoard({
    opener: o.opener, path: o.path, clock: o.clock, signal: o.signal, log: o.log,
    replBauds: o.replBauds ?? [o.linkBaud, 9600], linkBaud: o.linkBaud, switchSpeed: false,
  });
  let restarted = false;
  try {
    if (c.info.id === o.deviceId && c.info.key && !o.force) {
      throw new FlashError('E_PROVISIONED', `the node is already provisioned as '${o.deviceId}' with its own key`,
        'nothing to do; to give it a new key (its gateway must then get the new one), add --force');
    }
    const key = await giveIdentity(c, o.deviceId, o.keysDir, true === o.force);
    if (key === undefined) throw new Error('giveIdentity kept an identity provision asked to replace');
    o.log(`stored id '${o.deviceId}' and a new key (${key.fingerprint}) on the node; the key is saved in ${key.file}`);
    const installed = c.info.fw ? { fw: c.info.fw.fw, name: c.info.fw.name } : undefined;
    if (installed === undefined) return { key, hello: undefined, installed };
    restarted = true;
    const heard = await restartAndListen(c, { clock: o.clock, linkBaud: o.linkBaud, helloMs: o.helloMs });
    if (heard.hello === undefined) {
      throw new FlashError('E_NO_HELLO', `the id and key are stored but the node never said hello at ${o.linkBaud} baud after restarting`,
        'kerb monitor --port shows what the node sends; pass --baud if its link runs at another speed');
    }
    if (heard.hello.id !== o.deviceId) {
      throw new FlashError('E_HELLO_MISMATCH', `the node restarted but says it is '${heard.hello.id}', not '${o.deviceId}'`,
        `its firmware predates provisioning (Kerb ${installed.fw}): flash the current release with --device-id ${o.deviceId}`);
    }
    return { key, hello: heard.hello, installed };
  } catch (err) {
    // Refused or failed before the restart: the node is not left stopped at its REPL.
    if (!restarted) await resumeSavedCode(c).catch(() => false);
    throw err;
  } finally {
    await closeLine(c.line);
  }
}
