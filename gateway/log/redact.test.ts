import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLogger } from './logger.js';
import { isSecretField, redact, redactString } from './redact.js';

test('fields named as secrets are redacted, other fields are kept', () => {
  for (const name of ['token', 'password', 'secret', 'authorization', 'Authorization', 'privateKey', 'private_key', 'apiKey',
    'API_KEY', 'accessToken', 'mqtt-password', 'clientSecret', 'apikey']) {
    assert.ok(isSecretField(name), name);
  }
  for (const name of ['key', 'keyId', 'tokens', 'tokenCount', 'device', 'monkey', 'passed', 'secretary', 'keyboard']) {
    assert.not.ok(isSecretField(name), name);
  }
});

test('credentials in URLs are redacted wherever they appear in a string', () => {
  assert.is(redactString('mqtt://gw:s3cret@broker.city:8883/x'), 'mqtt://[redacted]@broker.city:8883/x');
  assert.is(redactString('connect failed: mqtts://tok3n@broker.city and wss://a:b@h'), 'connect failed: mqtts://[redacted]@broker.city and wss://[redacted]@h');
  assert.is(redactString('mqtt://broker.city:1883'), 'mqtt://broker.city:1883');
  assert.is(redactString('ops@example.org'), 'ops@example.org');
});

test('redaction reaches nested objects and arrays', () => {
  assert.equal(redact({ a: { password: 'p', list: [{ token: 't', n: 1 }, 'mqtt://u:p@h'] }, n: 2 }),
    { a: { password: '[redacted]', list: [{ token: '[redacted]', n: 1 }, 'mqtt://[redacted]@h'] }, n: 2 });
});

test('no sink sees a secret: fields, child fields and URLs are redacted before the sink', () => {
  const { log, records } = memoryLogger();
  const child = log.child({ authorization: 'Bearer abc' });
  child.warn('uplink.retry', { url: 'mqtt://gw:hunter2@broker:1883', password: 'hunter2', privateKey: 'PEM', key: 'level', error: 'mqtt://gw:hunter2@broker refused' });
  const text = JSON.stringify(records);
  assert.not.ok(text.includes('hunter2'), text);
  assert.not.ok(text.includes('Bearer'), text);
  assert.not.ok(text.includes('PEM'), text);
  assert.is(records[0]!.url, 'mqtt://[redacted]@broker:1883');
  assert.is(records[0]!.key, 'level', 'a bare "key" is a state key, not a secret');
});

test.run();
