/**
 * What `kerb flash` asks the board to do, as the REPL expressions it sends. Kept apart from the
 * conversation so `--dry-run` writes exactly these, and so the order is readable in one place:
 *
 *   stop code -> erase staging -> write staging in chunks -> CRC of staging -> commit (.bootcde
 *   written and its CRC checked, then the manifest) -> the id and key, when provisioning -> load()
 *
 * The bundle goes into a staging file first and becomes `.bootcde` in one Storage call only
 * after its checksum matched: an upload cut short (a pulled cable, Ctrl-C) leaves the old
 * firmware in place, never half a bundle that would boot into a syntax error.
 */

export const STAGING = 'kerb.new';
export const BOOT_FILE = '.bootcde';
export const MANIFEST_FILE = 'kerb.fw';
/** Code bytes per REPL line: a line is held in RAM whole before it runs (about 12 bytes a JsVar). */
export const CHUNK_BYTES = 256;

/** What the board keeps of the installed firmware, read back by the next flash. */
export interface InstalledManifest {
  fw: string;
  name: string;
  sha256: string;
  profile: string;
  keyId?: string;
  crc32: string;
}

const s = "require('Storage')";

/** Stops the running program's timers and watches: what is left is the REPL, waiting. */
export const STOP_CODE = 'clearInterval(),clearTimeout(),clearWatch(),1';

export function eraseStaging(): string {
  return `${s}.erase(${JSON.stringify(STAGING)}),1`;
}

/** Chunk `index` of `code` as a Storage.write into the staging file; the first one sizes the file. */
export function chunkWrite(code: string, index: number): string {
  const at = index * CHUNK_BYTES;
  const piece = JSON.stringify(code.slice(at, at + CHUNK_BYTES));
  return index === 0
    ? `${s}.write(${JSON.stringify(STAGING)},${piece},0,${code.length})`
    : `${s}.write(${JSON.stringify(STAGING)},${piece},${at})`;
}

export function chunkCount(code: string): number {
  return Math.ceil(code.length / CHUNK_BYTES);
}

/** CRC-32 of a Storage file as Espruino computes it (E.CRC32), unsigned; -1 when absent. */
export function fileCrc(name: string): string {
  return `(function(f){return f===undefined?-1:E.CRC32(f)>>>0;})(${s}.read(${JSON.stringify(name)}))`;
}

/**
 * Staging becomes the boot code, checked before anything else changes: only once the new
 * `.bootcde` reads back with the bundle's CRC are the staging file and the old manifest
 * replaced, so a failed write leaves the staging copy for a retry and no manifest claiming a
 * version that is not there. `.bootrst` would run instead of `.bootcde` and an old `save()` image
 * would be restored over it, so both go. The watchdog is kicked around the write: compacting
 * Storage to make room can take longer than a watchdog period.
 */
export function commit(manifest: InstalledManifest): string {
  const steps = [
    `var t=${s};E.kickWatchdog();`,
    `if(!t.write(${JSON.stringify(BOOT_FILE)},t.read(${JSON.stringify(STAGING)})))throw new Error('Storage.write of the boot code failed');`,
    'E.kickWatchdog();',
    `var c=E.CRC32(t.read(${JSON.stringify(BOOT_FILE)}))>>>0;`,
    `if(c!==${parseInt(manifest.crc32, 16)})throw new Error('the boot code reads back with CRC-32 '+c.toString(16));`,
    `t.erase(${JSON.stringify(STAGING)});t.erase('.bootrst');t.erase('.varimage');`,
    `t.writeJSON(${JSON.stringify(MANIFEST_FILE)},${JSON.stringify(manifest)});`,
    'return 1;',
  ];
  return `(function(){${steps.join('')}})()`;
}

/** Storage a flash needs: the staging file and the new `.bootcde` side by side, with headers. */
export function storageNeeded(bytes: number): number {
  return 2 * (bytes + 64) + 256;
}

/**
 * The lines `kerb flash` sends to a board whose REPL answers at once at the link's speed, in
 * order, as bytes on the wire (`callLine` wraps each expression): what `--dry-run FILE` writes.
 * A real run may add lines while it looks for the REPL, and numbers its calls from there.
 */
export function planLines(code: string, manifest: InstalledManifest, identity: string | undefined, callLine: (n: number, expression: string) => string, infoExpression: string, flowControl: string): string[] {
  const expressions = [
    infoExpression, flowControl, STOP_CODE, eraseStaging(),
    ...Array.from({ length: chunkCount(code) }, (_, i) => chunkWrite(code, i)),
    fileCrc(STAGING), commit(manifest), ...(identity === undefined ? [] : [identity]),
  ];
  return ['\x03', '\n', ...expressions.map((e, i) => callLine(i + 1, e)), '\x10load()\n'];
}
