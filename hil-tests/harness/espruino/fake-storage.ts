/**
 * Espruino's Storage (the flash file area) as bytes in memory. It lives outside any boot, so
 * files survive reset(), watchdog resets and power cycles, and it counts what was programmed so
 * wear tests can assert how often a node writes. Write semantics follow jsfWriteFile in
 * Espruino's src/jsflash.c:
 *
 * - write(name, data) (offset 0, size 0) replaces the file with `data`; rewriting identical
 *   content is skipped (returns true, programs nothing).
 * - write(name, data, 0, size) creates a file of `size` bytes, erased (0xFF) past `data`;
 *   write(name, data, offset) later fills it in. Writing past the size, into bytes already
 *   written, or at an offset > 0 of a file that does not exist throws (Espruino raises an
 *   exception and returns false; the fake throws the same message).
 * - Names are at most 28 characters; read of a missing file is undefined.
 * Space is the live files plus a 32-byte header each, rounded to 4 bytes, as after compaction.
 */

export const STORAGE_NAME_MAX = 28;
const HEADER_BYTES = 32;

export interface StorageFileWear {
  /** Calls that programmed flash (identical rewrites and failures not counted). */
  writes: number;
  /** Data bytes programmed by those calls. */
  bytesWritten: number;
}

export interface FakeStorageOptions {
  /** Size of the Storage area in bytes. Default 64 KiB. */
  capacityBytes?: number;
}

export class StorageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Error';
  }
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

export class FakeStorage {
  readonly capacityBytes: number;
  private readonly files = new Map<string, Uint8Array>();
  private readonly wear = new Map<string, StorageFileWear>();
  private totalWrites = 0;
  private totalBytes = 0;

  constructor(options: FakeStorageOptions = {}) {
    this.capacityBytes = options.capacityBytes ?? 64 * 1024;
  }

  /** A copy of the file's bytes, or undefined when there is no such file. */
  read(name: string, offset = 0, length = 0): Uint8Array | undefined {
    const file = this.files.get(this.checkName(name));
    if (file === undefined) return undefined;
    const start = Math.min(Math.max(offset, 0), file.length);
    const end = length > 0 ? Math.min(start + length, file.length) : file.length;
    return file.slice(start, end);
  }

  /** The file as text (UTF-8), for tests and for booting code. */
  readText(name: string): string | undefined {
    const bytes = this.read(name);
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
  }

  /** Espruino's Storage.write: see the file comment. Returns true, or throws StorageError. */
  write(name: string, data: Uint8Array, offset = 0, size = 0): boolean {
    this.checkName(name);
    if (offset < 0 || size < 0) return false;
    const fileSize = size > 0 ? size : data.length;
    if (fileSize === 0) throw new StorageError("Can't create zero length file");
    let file = this.files.get(name);
    if (offset === 0 && (file === undefined || file.length !== fileSize || !erased(file, 0, fileSize))) {
      if (file !== undefined && file.length === fileSize && data.length === fileSize && equal(file, data)) return true;
      const others = this.usedBytes() - (file === undefined ? 0 : HEADER_BYTES + align4(file.length));
      if (others + HEADER_BYTES + align4(fileSize) > this.capacityBytes) {
        throw new StorageError('Unable to find or create file');
      }
      file = new Uint8Array(fileSize).fill(0xff);
      this.files.set(name, file);
    }
    if (file === undefined) throw new StorageError('Unable to find or create file');
    if (offset + data.length > file.length) throw new StorageError('Too much data for file size');
    if (!erased(file, offset, data.length)) throw new StorageError('File already written with different data');
    file.set(data, offset);
    this.count(name, data.length);
    return true;
  }

  erase(name: string): void {
    this.files.delete(this.checkName(name));
  }

  eraseAll(): void {
    this.files.clear();
  }

  list(): string[] {
    return [...this.files.keys()];
  }

  /** Bytes a new file could still take (payload plus header). */
  getFree(): number {
    return Math.max(0, this.capacityBytes - this.usedBytes());
  }

  /** Wear of one file name, kept across erase and rewrite (flash remembers, so do we). */
  wearOf(name: string): StorageFileWear {
    const w = this.wear.get(name);
    return { writes: w?.writes ?? 0, bytesWritten: w?.bytesWritten ?? 0 };
  }

  /** Programming calls and data bytes over every file since the storage was made. */
  totalWear(): StorageFileWear {
    return { writes: this.totalWrites, bytesWritten: this.totalBytes };
  }

  private usedBytes(): number {
    let used = 0;
    for (const file of this.files.values()) used += HEADER_BYTES + align4(file.length);
    return used;
  }

  private count(name: string, bytes: number): void {
    let w = this.wear.get(name);
    if (w === undefined) {
      w = { writes: 0, bytesWritten: 0 };
      this.wear.set(name, w);
    }
    w.writes++;
    w.bytesWritten += bytes;
    this.totalWrites++;
    this.totalBytes += bytes;
  }

  private checkName(name: string): string {
    if (typeof name !== 'string' || name.length === 0) throw new StorageError('Invalid file name');
    if (name.length > STORAGE_NAME_MAX) throw new StorageError('File name too long');
    return name;
  }
}

function erased(file: Uint8Array, from: number, length: number): boolean {
  for (let i = from; i < from + length && i < file.length; i++) if (file[i] !== 0xff) return false;
  return true;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
