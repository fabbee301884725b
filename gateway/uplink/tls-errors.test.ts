/**
 * Connection failures explained: each OpenSSL or MQTT code the uplink meets becomes a message
 * that names the certificate, what is wrong and what to do. (hil-tests/tls/ checks the same
 * against a real mosquitto.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { explainConnectError } from './tls-errors.js';
import type { UplinkTls } from './tls-options.js';

const tls: UplinkTls = {
  files: { ca: '/etc/kerb/ca.crt', cert: '/etc/kerb/gw-a.crt', key: '/etc/kerb/gw-a.key' },
  caSubject: 'City CA',
  identity: { cn: 'gw-a', issuer: 'City CA', validFrom: Date.parse('2025-01-01'), validTo: Date.parse('2026-01-01'), certFile: '/etc/kerb/gw-a.crt' },
};
const url = 'mqtts://broker.city:8883';
const err = (code: string | number, message = 'x'): Error & { code: unknown } => Object.assign(new Error(message), { code });
const explain = (code: string | number, now?: number, beforeConnack = true) =>
  explainConnectError(err(code), { url, tls, beforeConnack, ...(now !== undefined ? { now } : {}) });

test('an untrusted broker certificate names the CA file and what to give --tls-ca', () => {
  for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT']) {
    const f = explain(code);
    assert.is(f.kind, 'server-untrusted');
    assert.match(f.message, /not signed by the CA in \/etc\/kerb\/ca\.crt \(City CA\)/);
    assert.match(f.message, /--tls-ca/);
  }
});

test('a broker certificate that is expired, not yet valid or for another name says so', () => {
  assert.is(explain('CERT_HAS_EXPIRED').kind, 'server-expired');
  assert.match(explain('CERT_NOT_YET_VALID').message, /clock is probably wrong/);
  const name = explainConnectError(Object.assign(new Error('x'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID', reason: 'Host: broker.city. is not in the cert\'s altnames: DNS:other' }), { url, tls, beforeConnack: true });
  assert.is(name.kind, 'server-name');
  assert.match(name.message, /does not name broker\.city:8883 \(Host: broker\.city\. is not in/);
});

test('the broker refusing our certificate names it, and says when it expired if we know', () => {
  const unknown = explain('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA');
  assert.is(unknown.kind, 'client-refused');
  assert.match(unknown.message, /CN=gw-a, issued by City CA, \/etc\/kerb\/gw-a\.crt\): it does not trust the CA that issued it/);
  assert.match(unknown.message, /kerb ca issue --gateway gw-a/);
  const expired = explain('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', Date.parse('2026-06-01'));
  assert.is(expired.kind, 'client-expired');
  assert.match(expired.message, /as expired .*: it expired on 2026-01-01T00:00:00Z/);
  // A hang-up during the handshake with a certificate we know has expired: the likely reason.
  assert.is(explain('ECONNRESET', Date.parse('2026-06-01')).kind, 'client-expired');
  assert.is(explain('ECONNRESET', Date.parse('2025-06-01')).kind, 'client-refused');
  assert.is(explain('ECONNRESET', Date.parse('2025-06-01'), false).kind, 'other', 'a reset of a live link is just a reset');
});

test('no common TLS version, and a refused MQTT login, are told apart from certificate problems', () => {
  assert.is(explain('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION').kind, 'tls-version');
  const login = explainConnectError(err(135, 'Connection refused: Not authorized'), { url, tls, beforeConnack: true });
  assert.is(login.kind, 'login-refused');
  assert.match(login.message, /as gw-a \(the certificate's CN\).*use_identity_as_username/);
});

test('anything else keeps its own message', () => {
  const f = explainConnectError(err('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8883'), { url, beforeConnack: true });
  assert.equal(f, { kind: 'other', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:8883' });
});

test.run();
