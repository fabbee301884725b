/**
 * TLS for the uplink: the CA that signed the broker's certificate, and this gateway's own client
 * certificate and key, read from files at start and again on each reload (SIGHUP, to take a
 * renewed certificate). What is fixed, with no option to change it: TLS 1.2 or later, and the
 * broker's certificate verified (against the CA given, or the system's CAs without one)
 * including its host name.
 *
 * Loading checks what can be checked without a broker: the key file is private (mode 0600), the
 * files parse, and the key belongs to the certificate. The certificate's identity (its CN, which
 * the broker uses as the MQTT username) and validity are kept to explain a refusal later
 * (tls-errors.ts); an expired certificate is not refused here, because a gateway without a
 * real-time clock does not know the date before NTP, and the broker has the last word anyway.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import type { IClientOptions } from 'mqtt';
import { readFileNamed, readPrivateFile, SecretFileError } from '../state/secret-file.js';

export interface TlsFiles {
  /** PEM CA certificate(s) the broker's certificate must chain to; default: the system's CAs. */
  ca?: string;
  /** PEM client certificate (its CN is the gateway id); with `key`. */
  cert?: string;
  /** PEM private key of `cert`, mode 0600. */
  key?: string;
}

export interface ClientIdentity {
  /** The certificate's common name: the broker's username for this gateway. */
  cn: string;
  issuer: string;
  /** Wall ms. */
  validFrom: number;
  validTo: number;
  certFile: string;
}

/** Loaded TLS material for MqttUplink; the key never leaves this object except to the TLS stack. */
export interface UplinkTls {
  files: TlsFiles;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** The client certificate's identity, when there is one. */
  identity?: ClientIdentity;
  /** The CA certificate's subject, for messages. */
  caSubject?: string;
}

function cnOf(dn: string): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(dn)?.[1] ?? dn.replace(/\n/g, ', ');
}

function certificate(pem: Buffer, file: string, what: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (err) {
    throw new SecretFileError('E_SECRET_UNREADABLE', `${file} is not a PEM ${what} (${(err as Error).message})`, file);
  }
}

/** Reads and checks the files; throws SecretFileError naming the file and the fix. */
export function loadTls(files: TlsFiles): UplinkTls {
  if ((files.cert === undefined) !== (files.key === undefined)) {
    throw new SecretFileError('E_SECRET_MISSING', 'a client certificate needs its key and a key its certificate: give both, or neither', files.cert ?? files.key ?? '');
  }
  const tls: UplinkTls = { files };
  if (files.ca !== undefined) {
    tls.ca = readFileNamed(files.ca, 'TLS CA certificate');
    tls.caSubject = cnOf(certificate(tls.ca, files.ca, 'CA certificate').subject);
  }
  if (files.cert !== undefined && files.key !== undefined) {
    tls.cert = readFileNamed(files.cert, 'TLS client certificate');
    tls.key = readPrivateFile(files.key, 'TLS client key', 'make one with `kerb ca issue --gateway ID`');
    const x509 = certificate(tls.cert, files.cert, 'certificate');
    let matches: boolean;
    try {
      matches = x509.checkPrivateKey(createPrivateKey(tls.key));
    } catch (err) {
      throw new SecretFileError('E_SECRET_UNREADABLE', `${files.key} is not a PEM private key (${(err as Error).message})`, files.key);
    }
    if (!matches) {
      throw new SecretFileError('E_SECRET_UNREADABLE', `the key ${files.key} does not belong to the certificate ${files.cert} (CN=${cnOf(x509.subject)}): pass the key the certificate was issued for`, files.key);
    }
    tls.identity = {
      cn: cnOf(x509.subject), issuer: cnOf(x509.issuer), validFrom: Date.parse(x509.validFrom), validTo: Date.parse(x509.validTo), certFile: files.cert,
    };
  }
  return tls;
}

/** What MQTT.js passes to tls.connect: never less than TLS 1.2, never an unverified broker. */
export function tlsConnectOptions(tls: UplinkTls): Partial<IClientOptions> & Pick<ConnectionOptions, 'minVersion'> {
  return {
    ...(tls.ca ? { ca: tls.ca } : {}),
    ...(tls.cert ? { cert: tls.cert } : {}),
    ...(tls.key ? { key: tls.key } : {}),
    minVersion: 'TLSv1.2',
    rejectUnauthorized: true,
  };
}

const SECURE = new Set(['mqtts:', 'ssl:', 'tls:', 'wss:']);

/** True for broker URLs that use TLS. */
export function isTlsUrl(url: string): boolean {
  try {
    return SECURE.has(new URL(url).protocol);
  } catch {
    return false;
  }
}
