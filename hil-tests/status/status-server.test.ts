/**
 * The status server over real HTTP on an ephemeral port: the page and its files, the snapshot as
 * JSON, Server-Sent Events that deliver a change, the token, and refusing to start exposed.
 */
import http from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isLoopback } from '../../gateway/status/status-auth.js';
import { startStatusServer, type StatusServer, type StatusServerOptions } from '../../gateway/status/status-server.js';
import type { StatusSnapshot, StatusSource } from '../../gateway/status/status-source.js';
import { noDrops } from '../../gateway/uplink/message-queue.js';
import { VirtualClock } from '../harness/virtual-clock.js';
import { waitFor } from '../harness/wait-for.js';

const TOKEN = 'correct-horse-battery-staple-42';

function snapshot(level: number): StatusSnapshot {
  return {
    site: 'test-street', gateway: 'gw-test', version: '1.2.3', epoch: 2, startedAt: 1_780_000_000_000, uptimeS: 60,
    clock: { wall: 1_780_000_060_000, synced: true },
    devices: [{ id: 'lamp-01', kind: 'lamp', lastSeenAgeS: 1, state: { level, mode: 'base' }, faults: [] }],
    failedDevices: [],
    uplink: { state: 'online', reconnects: 0, sent: 1, bytesSent: 100, lastError: '' },
    spool: { durable: true, pending: 0, bytes: 0, oldestAgeS: null },
    drops: noDrops(),
    counters: { readings: 1, events: 0, alerts: 0, batches: 1, batchBytes: 100, values: 10, invalidReadings: 0 },
    alerts: [], series: [],
  };
}

class FakeSource implements StatusSource {
  snap = snapshot(0.3);
  readonly listeners = new Set<() => void>();
  snapshot(): StatusSnapshot {
    return this.snap;
  }
  onChange(listener: () => void): () => void {
    const own = (): void => listener();
    this.listeners.add(own);
    return () => this.listeners.delete(own);
  }
  change(level: number): void {
    this.snap = snapshot(level);
    for (const l of this.listeners) l();
  }
}

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Follows /events: every `data:` payload parsed, comment lines counted, and whether it ended. */
function follow(url: string) {
  const seen = { status: 0, type: '', data: [] as StatusSnapshot[], comments: 0, ended: false, retry: '' };
  const req = http.get(url, (res) => {
    seen.status = res.statusCode!;
    seen.type = String(res.headers['content-type']);
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let end: number;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        if (block.startsWith(':')) seen.comments++;
        else if (block.startsWith('retry:')) seen.retry = block.slice(6).trim();
        else if (block.startsWith('data: ')) seen.data.push(JSON.parse(block.slice(6)) as StatusSnapshot);
      }
    });
    res.on('end', () => (seen.ended = true));
    res.on('close', () => (seen.ended = true));
  });
  req.on('error', () => (seen.ended = true));
  return { seen, stop: () => req.destroy() };
}

async function serve(o: Partial<StatusServerOptions> = {}): Promise<{ server: StatusServer; source: FakeSource; clock: VirtualClock }> {
  const source = new FakeSource();
  const clock = new VirtualClock();
  const server = await startStatusServer({ source, port: 0, clock, ...o });
  return { server, source, clock };
}

test('GET /api/status is the snapshot as JSON; the page and its files are served; others are 404 or 405', async () => {
  const { server, source } = await serve();
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const api = await get(`${server.url}api/status`);
    assert.is(api.status, 200);
    assert.match(String(api.headers['content-type']), /^application\/json/);
    assert.is(api.headers['cache-control'], 'no-store');
    assert.equal(JSON.parse(api.body), source.snap);
    const page = await get(server.url);
    assert.is(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
    for (const [file, type] of [['status.js', /javascript/], ['sparkline.js', /javascript/], ['status.css', /text\/css/]] as const) {
      const r = await get(`${server.url}${file}`);
      assert.is(r.status, 200, file);
      assert.match(String(r.headers['content-type']), type);
    }
    assert.is((await get(`${server.url}../package.json`)).status, 404, 'no path reaches the file system');
    assert.is((await get(`${server.url}status.ts`)).status, 404);
    assert.is((await get(`${server.url}metrics`)).status, 404, 'no metrics formatter given');
    assert.is((await get(`${server.url}api/status`, {}, 'POST')).status, 405);
  } finally {
    await server.close();
  }
});

test('GET /metrics is the formatter\'s text when one is given', async () => {
  const { server } = await serve({ metrics: () => 'kerb_up 1\n' });
  try {
    const r = await get(`${server.url}metrics`);
    assert.is(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.is(r.body, 'kerb_up 1\n');
  } finally {
    await server.close();
  }
});

test('/events sends a snapshot on connect, the new one after a change, and a heartbeat every 15 s', async () => {
  const { server, source, clock } = await serve();
  const events = follow(`${server.url}events`);
  try {
    await waitFor(() => events.seen.data.length === 1, 'the first snapshot');
    assert.match(events.seen.type, /^text\/event-stream/);
    assert.is(events.seen.retry, '3000');
    assert.is(events.seen.data[0]!.devices[0]!.state.level, 0.3);
    assert.is(server.clients(), 1);

    source.change(1);
    source.change(0.9); // coalesced with the one before
    clock.runDue();
    await waitFor(() => events.seen.data.length === 2, 'the changed snapshot');
    assert.is(events.seen.data[1]!.devices[0]!.state.level, 0.9);
    source.change(0.8);
    clock.advance(999);
    await new Promise((r) => setTimeout(r, 50));
    assert.is(events.seen.data.length, 2, 'at most one push per second');
    clock.advance(1);
    await waitFor(() => events.seen.data.length === 3, 'the next push, a second after the last');

    clock.advance(15_000);
    await waitFor(() => events.seen.comments === 1, 'a heartbeat comment');
  } finally {
    events.stop();
    await server.close();
  }
});

test('close() ends every event stream', async () => {
  const { server } = await serve();
  const events = follow(`${server.url}events`);
  await waitFor(() => events.seen.data.length === 1, 'the first snapshot');
  await server.close();
  await waitFor(() => events.seen.ended, 'the stream to end');
  assert.is(server.clients(), 0);
});

test('with a token, data routes need it as Bearer or ?token=, in constant time, and never echo it', async () => {
  const { server } = await serve({ token: TOKEN });
  try {
    for (const path of ['', 'api/status', 'events']) {
      const r = await get(`${server.url}${path}`);
      assert.is(r.status, 401, `/${path} without the token`);
      assert.match(String(r.headers['www-authenticate']), /^Bearer/);
      assert.is((await get(`${server.url}${path}?token=wrong-token-of-some-length`)).status, 401, `/${path} with a wrong token`);
      assert.is((await get(`${server.url}${path}`, { Authorization: `Bearer ${TOKEN}x` })).status, 401);
    }
    assert.is((await get(`${server.url}status.js`)).status, 200, 'the page\'s code carries no data and needs no token');
    const bearer = await get(`${server.url}api/status`, { Authorization: `Bearer ${TOKEN}` });
    assert.is(bearer.status, 200);
    const query = await get(`${server.url}?token=${TOKEN}`);
    assert.is(query.status, 200);
    assert.is(query.headers['referrer-policy'], 'no-referrer');
    for (const body of [bearer.body, query.body]) assert.not.ok(body.includes(TOKEN), 'the token is in no response');
    const events = follow(`${server.url}events?token=${TOKEN}`);
    await waitFor(() => events.seen.data.length === 1, 'the first snapshot with the token');
    events.stop();
  } finally {
    await server.close();
  }
});

test('refuses to listen beyond loopback without a token, or with a short one, saying why', async () => {
  const source = new FakeSource();
  for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
    try {
      await startStatusServer({ source, host, port: 0 });
      assert.unreachable(`started on ${host} without a token`);
    } catch (err) {
      assert.is((err as { code?: string }).code, 'E_STATUS_TOKEN', host);
      assert.match((err as Error).message, new RegExp(`listen on ${host.replace(/\./g, '\\.')}, reachable from the network, without a token`));
    }
  }
  try {
    await startStatusServer({ source, host: '0.0.0.0', port: 0, token: 'short' });
    assert.unreachable('started with a 5-character token');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'E_STATUS_TOKEN');
    assert.match((err as Error).message, /at least 16 characters/);
  }
  assert.is(source.listeners.size, 0, 'nothing left subscribed');
  const exposed = await startStatusServer({ source, host: '0.0.0.0', port: 0, token: TOKEN });
  try {
    assert.is((await get(`http://127.0.0.1:${exposed.port}/api/status`)).status, 401);
  } finally {
    await exposed.close();
  }
});

test('a port in use is a clear error', async () => {
  const { server } = await serve();
  try {
    await startStatusServer({ source: new FakeSource(), port: server.port });
    assert.unreachable('started on a port in use');
  } catch (err) {
    assert.is((err as { code?: string }).code, 'E_STATUS_LISTEN');
    assert.match((err as Error).message, /the port is in use/);
  } finally {
    await server.close();
  }
});

test('loopback addresses are the ones only this machine reaches', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) assert.ok(isLoopback(h), h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', 'example.org', '128.0.0.1']) assert.not.ok(isLoopback(h), h);
});

test.run();
