/**
 * The receiving end of NOTIFY_SOCKET, as systemd would hold it: a real AF_UNIX datagram socket
 * bound in a temporary directory (or to an abstract name). Reads never block, so a test drains
 * it right after advancing the virtual clock, or in the middle of a blocked event loop.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UnixDatagramSocket } from '../../gateway/systemd/unix-datagram.js';
import { tempDir } from '../harness/temp-dir.js';

let count = 0;

export class FakeNotifySocket {
  /** What to put in NOTIFY_SOCKET. */
  readonly name: string;
  private readonly sock = new UnixDatagramSocket();

  /** `abstract`: bind to '@kerb-test-…' (Linux) instead of a file. `at`: bind to this path. */
  constructor(options: { abstract?: boolean; at?: string } = {}) {
    count++;
    this.name = options.abstract === true
      ? `@kerb-test-${process.pid}-${count}-${Math.random().toString(36).slice(2)}`
      : options.at ?? path.join(tempDir('kerb-notify-'), 'notify.sock');
    this.sock.bind(this.name);
  }

  /** Every message received since the last call, as text. */
  take(): string[] {
    return this.sock.receiveAll().map((b) => b.toString('utf8'));
  }

  close(): void {
    this.sock.close();
    if (!this.name.startsWith('@')) fs.rmSync(this.name, { force: true });
  }
}
