/**
 * Why a connection to the broker failed, in words an operator can act on. Node reports TLS
 * failures as OpenSSL codes (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED`,
 * a bare `ECONNRESET` when the broker hangs up): each is turned into what is wrong and what to do,
 * using what the gateway knows of its own certificate (identity, issuer, validity).
 */
import type { UplinkTls } from './tls-options.js';

export type ConnectFailureKind =
  | 'server-untrusted' // the broker's certificate does not chain to our CA
  | 'server-expired' // the broker's certificate is outside its validity (or our clock is wrong)
  | 'server-name' // the broker's certificate is for another host name
  | 'client-refused' // the broker refused our client certificate
  | 'client-expired' // ... because it has expired
  | 'login-refused' // TLS held, but the broker refused the MQTT login (CONNACK)
  | 'tls-version' // no common TLS version (we require 1.2+)
  | 'other';

export interface ConnectFailure {
  kind: ConnectFailureKind;
  /** The original code (OpenSSL, errno or MQTT reason), for the log. */
  code: string;
  message: string;
}

export interface ExplainContext {
  tls?: UplinkTls;
  url: string;
  /** Wall ms now, when the clock is trusted: an expired certificate of our own is then named. */
  now?: number;
  /** True when the failure came before the broker accepted the MQTT login. */
  beforeConnack: boolean;
}

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED',
]);

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function ours(tls: UplinkTls | undefined): string {
  const id = tls?.identity;
  return id ? `this gateway's certificate (CN=${id.cn}, issued by ${id.issuer}, ${id.certFile})` : "this gateway's certificate";
}

function expiredNote(c: ExplainContext): string | undefined {
  const id = c.tls?.identity;
  if (id === undefined || c.now === undefined) return undefined;
  if (c.now > id.validTo) return `it expired on ${iso(id.validTo)}`;
  if (c.now < id.validFrom) return `it is valid only from ${iso(id.validFrom)} (is this gateway's clock right?)`;
  return undefined;
}

function reissue(c: ExplainContext): string {
  return `issue a new one from the CA the broker trusts (lab: kerb ca issue --gateway ${c.tls?.identity?.cn ?? 'ID'}) and restart the gateway`;
}

export function explainConnectError(err: Error & { code?: unknown; reason?: unknown }, c: ExplainContext): ConnectFailure {
  const code = typeof err.code === 'string' || typeof err.code === 'number' ? String(err.code) : '';
  const broker = host(c.url);
  const caFile = c.tls?.files.ca;
  const fail = (kind: ConnectFailureKind, message: string): ConnectFailure => ({ kind, code: code || err.message, message });

  if (UNTRUSTED.has(code)) {
    return fail('server-untrusted', `the broker ${broker} presented a certificate not signed by ${caFile ? `the CA in ${caFile} (${c.tls?.caSubject})` : "a CA this system trusts"} ` +
      `(${code}): give --tls-ca the CA certificate that signed the broker's certificate, or check that ${broker} is the right broker`);
  }
  if (code === 'CERT_HAS_EXPIRED') return fail('server-expired', `the broker ${broker} presented an expired certificate (${code}): the broker needs a new certificate, or this gateway's clock is wrong`);
  if (code === 'CERT_NOT_YET_VALID') return fail('server-expired', `the broker ${broker} presented a certificate that is not valid yet (${code}): this gateway's clock is probably wrong (check NTP)`);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const reason = typeof err.reason === 'string' ? err.reason : err.message;
    return fail('server-name', `the broker's certificate does not name ${broker} (${reason}): use a --broker host name the certificate lists, or give the broker a certificate for this name`);
  }
  if (/ALERT_PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|WRONG_VERSION_NUMBER/.test(code)) {
    return fail('tls-version', `the broker ${broker} and this gateway share no TLS version (${code}); the gateway speaks TLS 1.2 and 1.3 only: enable TLS 1.2+ on the broker (and check the port is its TLS listener)`);
  }
  const expired = expiredNote(c);
  if (/ALERT_CERTIFICATE_EXPIRED/.test(code) || (expired !== undefined && /ALERT|ECONNRESET|EPIPE/.test(code))) {
    return fail('client-expired', `the broker ${broker} refused ${ours(c.tls)} as expired (${code})${expired ? `: ${expired}` : ''}; ${reissue(c)}`);
  }
  if (/ALERT_UNKNOWN_CA|ALERT_BAD_CERTIFICATE|ALERT_CERTIFICATE_UNKNOWN|ALERT_CERTIFICATE_REVOKED|ALERT_DECRYPT_ERROR|ALERT_ACCESS_DENIED|ALERT_HANDSHAKE_FAILURE/.test(code)) {
    const why = /UNKNOWN_CA/.test(code) ? 'it does not trust the CA that issued it'
      : /REVOKED/.test(code) ? 'it has been revoked'
        : 'it rejected it';
    return fail('client-refused', `the broker ${broker} refused ${ours(c.tls)}: ${why} (${code}); ${reissue(c)}`);
  }
  if (/CERTIFICATE_REQUIRED/.test(code)) {
    return fail('client-refused', `the broker ${broker} requires a client certificate (${code}): pass --tls-cert and --tls-key (lab: kerb ca issue --gateway ID)`);
  }
  if (c.tls?.identity && c.beforeConnack && (code === 'ECONNRESET' || code === 'EPIPE')) {
    return fail('client-refused', `the broker ${broker} hung up during the TLS handshake (${code}): it probably refused ${ours(c.tls)}; check the broker's log, and ${reissue(c)}`);
  }
  // CONNACK refusals: MQTT 5 reason codes, and 3.1.1 return codes 4 and 5.
  if (c.beforeConnack && (code === '135' || code === '134' || code === '5' || code === '4')) {
    const user = c.tls?.identity ? ` as ${c.tls.identity.cn} (the certificate's CN)` : '';
    return fail('login-refused', `the broker ${broker} accepted the connection but refused the MQTT login${user}: ${err.message}; ` +
      "check that the broker takes the certificate's CN as the username (mosquitto: use_identity_as_username true) and that its ACL knows this gateway");
  }
  return fail('other', err.message || code);
}
