/**
 * `kerb gateway`'s TLS options as an operator meets them: checked before anything starts, with
 * the exit codes of docs/cli.md (2 usage, 3 invalid configuration).
 */
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initCa, issueClient } from '../../scripts/tls/lab-ca.js';
import { kerb } from '../cli/run-kerb.js';
import { tempDir } from '../harness/temp-dir.js';

test('TLS options with a plain mqtt:// broker, or a certificate without its key, are usage errors', async () => {
  const plain = await kerb(['gateway', '--site', 'site.yaml', '--broker', 'mqtt://127.0.0.1:1883', '--tls-ca', 'ca.crt']);
  assert.is(plain.code, 2);
  assert.match(plain.stderr, /need a TLS broker URL \(mqtts:\/\/HOST:8883\)/);
  const half = await kerb(['gateway', '--site', 'site.yaml', '--broker', 'mqtts://127.0.0.1:8883'], { env: { KERB_TLS_CERT: 'gw.crt' } });
  assert.is(half.code, 2);
  assert.match(half.stderr, /--tls-cert and --tls-key go together/);
});

test('a client key others can read stops kerb gateway before it starts (exit 3), naming the file and the fix', async () => {
  const dir = tempDir('kerb-tls-cli-');
  initCa({ dir });
  issueClient({ dir, cn: 'gw-a' });
  const key = path.join(dir, 'gw-a.key');
  fs.chmodSync(key, 0o644);
  const run = await kerb(['gateway', '--site', 'site.yaml', '--broker', 'mqtts://127.0.0.1:8883',
    '--tls-ca', path.join(dir, 'ca.crt'), '--tls-cert', path.join(dir, 'gw-a.crt'), '--tls-key', key]);
  assert.is(run.code, 3);
  assert.match(run.stderr, new RegExp(`TLS client key ${key} can be read or changed by group or others \\(mode 0644\\).*chmod 600 ${key}`));
});

test.run();
