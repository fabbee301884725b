/**
 * `kerb gateway` as systemd runs it (deploy/kerb-gateway.service): a real process with
 * NOTIFY_SOCKET and WATCHDOG_USEC pointing at a socket the test owns. It says READY=1, pings the
 * watchdog, serves its status and /metrics on loopback, re-reads its site file on SIGHUP (and
 * refuses a broken one, running on), and says STOPPING=1 and exits 0 on SIGTERM.
 * Real time: this is a process and systemd's protocol; every wait polls for its condition.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { ROOT } from '../cli/run-kerb.js';
import { closedPort } from '../harness/ports.js';
import { tempDir } from '../harness/temp-dir.js';
import { waitFor } from '../harness/wait-for.js';
import { FakeNotifySocket } from '../systemd/fake-notify-socket.js';

function siteYaml(ports: string[]): string {
  return [
    'version: 1', 'site: cabinet-street', 'gateway: gw-cabinet', 'location: { latitude: 52.3676, longitude: 4.9041 }', 'devices:',
    ...ports.map((p, i) => `  - id: park-0${i + 1}\n    profile: parking-magnetometer\n    transport: { type: serial, port: ${p} }`),
  ].join('\n') + '\n';
}

test('kerb gateway under systemd: READY, watchdog pings, status and metrics, SIGHUP reload, clean stop', async () => {
  const dir = tempDir('kerb-gateway-cmd');
  const siteFile = path.join(dir, 'site.yaml');
  // Serial nodes whose cables are not plugged in: the gateway runs and reports them down.
  fs.writeFileSync(siteFile, siteYaml(['/dev/ttyKERB-none-1']));
  const broker = await startEmbeddedBroker();
  const notify = new FakeNotifySocket();
  const port = await closedPort(); // free now; the gateway binds it
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'kerb.js'), 'gateway', '--site', siteFile,
    '--broker', broker.url, '--data-dir', path.join(dir, 'data'), '--status-port', String(port)], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NOTIFY_SOCKET: notify.name, WATCHDOG_USEC: '1000000', WATCHDOG_PID: '', KERB_LOG_LEVEL: 'info' },
  });
  let logs = '';
  child.stderr.on('data', (c: Buffer) => (logs += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const said: string[] = [];
  const heard = (pattern: RegExp): boolean => {
    said.push(...notify.take()); // drain often: a Unix socket holds only a few unread datagrams
    return said.some((m) => pattern.test(m));
  };
  try {
    await waitFor(() => heard(/^READY=1/m), 'READY=1', 20_000);
    said.length = 0;
    await waitFor(() => heard(/^WATCHDOG=1$/m), 'a watchdog ping', 5_000);

    const status = async (): Promise<{ devices: Array<{ id: string }> }> => (await fetch(`http://127.0.0.1:${port}/api/status`)).json() as Promise<{ devices: Array<{ id: string }> }>;
    await waitFor(() => logs.includes('status.listening'), 'the status server', 10_000);
    assert.equal((await status()).devices.map((d) => d.id), ['park-01']);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /^kerb_gateway_info\{site="cabinet-street",gateway="gw-cabinet",.*\} 1$/m);
    assert.match(metrics, /^kerb_node_link_up\{device="park-01"\} 0$/m);

    fs.writeFileSync(siteFile, siteYaml(['/dev/ttyKERB-none-1', '/dev/ttyKERB-none-2']));
    child.kill('SIGHUP');
    await waitFor(() => logs.includes('service.reloaded'), 'the reload', 10_000);
    assert.equal((await status()).devices.map((d) => d.id).sort(), ['park-01', 'park-02']);

    fs.writeFileSync(siteFile, 'version: 1\nsite: [not a site\n');
    child.kill('SIGHUP');
    await waitFor(() => logs.includes('service.reload-refused'), 'the refusal', 10_000);
    assert.equal((await status()).devices.map((d) => d.id).sort(), ['park-01', 'park-02'], 'still running the last good file');
    said.length = 0;
    await waitFor(() => heard(/^WATCHDOG=1$/m), 'pings after a refused reload', 5_000);

    child.kill('SIGTERM');
    assert.is(await exited, 0, logs.slice(-2000));
    heard(/STOPPING=1/);
    assert.ok(said.some((m) => /^STOPPING=1/m.test(m)), said.join(' | '));
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    notify.close();
    await broker.close();
  }
});

test.run();
