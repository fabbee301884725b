/**
 * The firmware `kerb flash` is about to write, and whether it may: a signed bundle file checked
 * against the trusted keys, or a bundle built here from a profile (signed with --sign). Unsigned,
 * wrong-key and tampered bundles are refused; --force flashes them anyway, with a warning that
 * says exactly what is being overridden.
 */
import fs from 'node:fs';
import { resolveTarget, type TargetRequest } from '../build/firmware-target.js';
import { bundleChecked, formatBundleViolation } from '../build/build-firmware.js';
import { checkFirmwareSource } from '../build/source-checks.js';
import { PACKAGE_ROOT } from '../paths.js';
import { codeDigest, parseBundleFile, type ParsedBundle } from '../sign/envelope.js';
import { readPrivateKey } from '../sign/keys.js';
import { signBundle } from '../sign/sign-bundle.js';
import { SignError } from '../sign/sign-error.js';
import { loadTrustedKeys, type TrustOptions } from '../sign/trust-store.js';
import { verifyBundle } from '../sign/verify-bundle.js';
import { FlashError } from './flash-error.js';
import type { FlashImage } from './flasher.js';

export interface ImageChecks {
  trust: TrustOptions;
  force: boolean;
  warn: (line: string) => void;
}

function bundleError(message: string, cause?: unknown): FlashError {
  return new FlashError('E_BUNDLE', message, 'use a bundle signed with a key in your trusted directory (kerb build --sign), or add --force to flash it anyway', { cause });
}

/**
 * A plain build's identity, from the build literal `kerb build` put in its boot call (minified:
 * `{id:"..",kind:"..",fw:"..",profile:"..",...,baud:N,...}`, keys in the order the build makes them).
 */
function plainImage(file: string, code: string): FlashImage {
  const m = /\{id:"([^"]*)",kind:"(\w+)",fw:"([^"]*)",profile:"([^"]*)",.*?baud:(\d+)/.exec(code);
  if (m === null) throw bundleError(`${file} is not a Kerb bundle: its build literal (id, kind, fw, profile, baud) was not found`);
  return { code, name: file, kind: m[2]!, fw: m[3]!, profile: m[4]!, sha256: codeDigest(code).sha256, baud: Number(m[5]), deviceId: m[1]! };
}

/** A verified (or, with --force, knowingly unverified) image from a parsed bundle. */
export function checkedImage(parsed: ParsedBundle, checks: ImageChecks): FlashImage {
  let trusted;
  try {
    trusted = loadTrustedKeys(checks.trust);
  } catch (err) {
    throw bundleError((err as Error).message, err);
  }
  const result = verifyBundle(parsed, trusted);
  if (result.ok) {
    const m = result.manifest;
    return { code: result.code, name: m.name, kind: m.kind, fw: m.fw, profile: m.profile, sha256: m.sha256, baud: m.baud, deviceId: m.deviceId, keyId: m.keyId };
  }
  if (!checks.force || (result.code !== 'E_BUNDLE_UNSIGNED' && result.code !== 'E_BUNDLE_UNKNOWN_KEY')) {
    // --force covers firmware nobody here signed, never firmware changed after signing: a bad
    // signature may be an altered bundle whose digest was recomputed to match.
    throw bundleError(result.message);
  }
  checks.warn(`${result.message}\n  --force: flashing it anyway; this node will run firmware nobody signed for it`);
  if (parsed.kind === 'plain') return plainImage(parsed.file, parsed.code);
  const m = parsed.bundle.manifest;
  return { code: parsed.bundle.code, name: m.name, kind: m.kind, fw: m.fw, profile: m.profile, sha256: m.sha256, baud: m.baud, deviceId: m.deviceId };
}

export function imageFromFile(file: string, checks: ImageChecks): FlashImage {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw bundleError(`cannot read the bundle ${file}: ${(err as Error).message}`, err);
  }
  try {
    return checkedImage(parseBundleFile(text, file), checks);
  } catch (err) {
    if (err instanceof SignError) throw bundleError(err.message, err);
    throw err;
  }
}

/** Builds the firmware for a profile or site device here, signed when `signKey` names a key. */
export async function imageFromBuild(request: TargetRequest, signKey: string | undefined, checks: ImageChecks): Promise<FlashImage> {
  const target = resolveTarget(request);
  const source = checkFirmwareSource();
  const problems = [...source.typeErrors, ...source.subsetViolations];
  if (problems.length > 0) {
    throw new FlashError('E_BUNDLE', `firmware/ has ${problems.length} problem(s) Espruino would fail on:\n${problems.slice(0, 10).join('\n')}`, 'fix the firmware source (kerb build shows every problem)');
  }
  const bundle = await bundleChecked(PACKAGE_ROOT, target.build);
  if (bundle.violations.length > 0) {
    throw new FlashError('E_BUNDLE', `the bundle for ${target.name} has constructs Espruino cannot run:\n${bundle.violations.slice(0, 10).map((v) => formatBundleViolation(`${target.name}.js`, v)).join('\n')}`, 'fix the firmware source (kerb build shows every problem)');
  }
  const b = target.build;
  if (signKey === undefined) return checkedImage({ kind: 'plain', file: `${target.name} (built here, unsigned)`, code: bundle.code }, checks);
  try {
    const signed = signBundle(bundle.code, { name: target.name, kind: b.kind, fw: b.fw, profile: b.profile, deviceId: b.id, baud: b.baud }, readPrivateKey(signKey));
    return checkedImage({ kind: 'signed', file: `${target.name} (built here)`, bundle: signed }, checks);
  } catch (err) {
    if (err instanceof SignError) throw bundleError(err.message, err);
    throw err;
  }
}
