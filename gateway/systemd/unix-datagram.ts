/**
 * AF_UNIX datagram sockets, which Node's `dgram` and `net` do not offer. systemd's notify socket
 * is one, so the watchdog needs it; tests use it for a fake notify socket they own.
 *
 * The calls go to libc through koffi (an FFI with prebuilt binaries for linux arm, arm64 and x64,
 * so a Pi needs no compiler). Every call is synchronous and non-blocking on the calling thread:
 * no other thread can send anything, so a stuck event loop sends nothing. koffi is loaded on first
 * use, so a gateway not run by systemd never pays for it.
 *
 * Linux only: the constants below are Linux's (they differ on MIPS, which Kerb does not target).
 */
import { createRequire } from 'node:module';
import { constants } from 'node:os';

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
const EAGAIN = 11;
/** sizeof(sun_path) on Linux. */
const SUN_PATH_MAX = 108;

/** A failed system call, with the errno name so callers can act on it (ENOENT: socket gone). */
export class DatagramError extends Error {
  constructor(readonly code: string, readonly syscall: string, readonly address: string) {
    super(`${syscall} ${address}: ${code}`);
    this.name = 'DatagramError';
  }
}

interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Buffer, len: number): number;
  sendto(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer, alen: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  close(fd: number): number;
  errno(): number;
}

let libc: Libc | undefined;

function load(): Libc {
  if (libc !== undefined) return libc;
  if (process.platform !== 'linux') throw new DatagramError('ENOTSUP', 'load', `unix datagram sockets on ${process.platform}`);
  const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi').default;
  const lib = koffi.load(null); // the process itself: libc is already mapped, whatever its file name (glibc or musl)
  libc = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    bind: lib.func('int bind(int fd, const uint8_t *addr, uint32_t len)'),
    sendto: lib.func('intptr_t sendto(int fd, const uint8_t *buf, size_t len, int flags, const uint8_t *addr, uint32_t alen)'),
    recv: lib.func('intptr_t recv(int fd, _Out_ uint8_t *buf, size_t len, int flags)'),
    close: lib.func('int close(int fd)'),
    errno: () => koffi.errno(),
  };
  return libc;
}

function errnoName(errno: number): string {
  for (const [name, value] of Object.entries(constants.errno)) if (value === errno) return name;
  return `errno ${errno}`;
}

/**
 * A sockaddr_un for `name`: a file path, or an abstract name when it starts with '@' (Linux;
 * systemd writes those as '@name' in NOTIFY_SOCKET). An abstract address is exactly its bytes,
 * without a terminating NUL, because the kernel compares the whole length.
 */
export function socketAddress(name: string): Buffer {
  const abstract = name.startsWith('@');
  const path = Buffer.from(abstract ? '\0' + name.slice(1) : name, 'utf8');
  if (name.length === 0 || path.length > SUN_PATH_MAX - (abstract ? 0 : 1)) {
    throw new DatagramError('EINVAL', 'address', `'${name}' (a unix socket name is 1..${SUN_PATH_MAX - 1} bytes)`);
  }
  const addr = Buffer.alloc(2 + path.length + (abstract ? 0 : 1));
  addr.writeUInt16LE(AF_UNIX, 0); // sa_family_t is host-endian; every Linux target of Kerb is little-endian
  path.copy(addr, 2);
  return addr;
}

export class UnixDatagramSocket {
  private fd: number;
  private readonly lib: Libc;

  /** Opens an unbound socket; throws DatagramError when the platform or libc cannot. */
  constructor() {
    this.lib = load();
    this.fd = this.lib.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (this.fd < 0) throw this.error('socket', 'AF_UNIX/SOCK_DGRAM');
  }

  /** Binds to a path or '@abstract' name, to receive datagrams there. */
  bind(name: string): void {
    const addr = socketAddress(name);
    if (this.lib.bind(this.openFd(), addr, addr.length) !== 0) throw this.error('bind', name);
  }

  /** Sends one datagram; never blocks (a full receiver queue is EAGAIN, thrown like any error). */
  sendTo(name: string, data: Buffer): void {
    const addr = socketAddress(name);
    if (this.lib.sendto(this.openFd(), data, data.length, MSG_NOSIGNAL, addr, addr.length) < 0) throw this.error('sendto', name);
  }

  /** Every datagram waiting now, oldest first; never blocks. */
  receiveAll(): Buffer[] {
    const out: Buffer[] = [];
    const buf = Buffer.alloc(65536);
    for (;;) {
      const n = this.lib.recv(this.openFd(), buf, buf.length, MSG_DONTWAIT);
      if (n >= 0) {
        out.push(Buffer.from(buf.subarray(0, n)));
        continue;
      }
      if (this.lib.errno() === EAGAIN) return out;
      throw this.error('recv', `fd ${this.fd}`);
    }
  }

  close(): void {
    if (this.fd < 0) return;
    this.lib.close(this.fd);
    this.fd = -1;
  }

  private openFd(): number {
    if (this.fd < 0) throw new DatagramError('EBADF', 'use', 'a closed unix datagram socket');
    return this.fd;
  }

  private error(syscall: string, address: string): DatagramError {
    return new DatagramError(errnoName(this.lib.errno()), syscall, address);
  }
}
