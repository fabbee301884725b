/**
 * The status page in a real browser: Debian's Chromium, headless, driven by playwright-core (which
 * never downloads a browser). The demo street runs in-process on the virtual clock with its
 * embedded broker and uplink; the page must list every device, show a lamp going to full level
 * when a pedestrian passes (pushed over /events, no reload), fit a phone, say when the stream
 * drops, and leave screenshots in artifacts/.
 *
 * Without /usr/bin/chromium the suite is reported as skipped, with the reason in its name (CI
 * installs it: .ci/run).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadSite } from '../../device-profiles/index.js';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { StatusModel } from '../../gateway/status/status-model.js';
import { startStatusServer, type StatusServer } from '../../gateway/status/status-server.js';
import type { MqttUplink } from '../../gateway/uplink/mqtt-uplink.js';
import { Outbox } from '../../gateway/uplink/outbox.js';
import { siteUplink } from '../../gateway/uplink/site-uplink.js';
import { ROOT } from '../cli/run-kerb.js';
import { buildRig, type Rig } from '../harness/street-rig.js';
import { waitFor } from '../harness/wait-for.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'artifacts');
const UTC_OFFSET_MIN = 120;
/** 23:00 on the street (Amsterdam, UTC+2): night, so lamps burn at their base level. */
const START_WALL = Date.UTC(2026, 5, 21, 23, 0) - UTC_OFFSET_MIN * 60_000;
const UI_TIMEOUT = 15_000;

/** The browser's globals, as the functions run inside the page see them (this program has no DOM types). */
declare const document: {
  querySelectorAll(selector: string): { length: number };
  querySelector(selector: string): { textContent: string | null } | null;
  documentElement: { scrollWidth: number };
};

const missing = fs.existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install chromium)`;
const test = suite(missing ? `status page in Chromium skipped: ${missing}` : 'status page in Chromium');

interface Street {
  rig: Rig;
  model: StatusModel;
  server: StatusServer;
  uplink: MqttUplink;
  broker: EmbeddedBroker;
  browser: Browser;
  deviceIds: string[];
}
let s: Street;

/** Moves the street on by `ms` in 1 s steps, letting the uplink and the browser's server work between. */
async function run(rig: Rig, ms: number, until?: () => boolean): Promise<void> {
  for (let t = 0; t < ms && !(until?.() ?? false); t += 1000) {
    rig.clock.advance(1000);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const cardText = (page: Page, id: string, field: string): Promise<string> =>
  page.locator(`[data-device="${id}"] [data-field="${field}"]`).innerText();

test.before(async () => {
  if (missing) return;
  const loaded = loadSite(path.join(ROOT, 'examples', 'demo-street.yaml'), { profilesDir: path.join(ROOT, 'device-profiles') });
  if (!loaded.ok) throw new Error('the demo street must load');
  const site = loaded.value;
  const { log } = memoryLogger({ level: 'warn' });
  const broker = await startEmbeddedBroker();
  const uplink = siteUplink({ url: broker.url, site: site.site, gateway: site.gateway, epoch: 1, version: 'test', log, queue: new Outbox() });
  // No random passers-by: the one pedestrian the test sends is the only motion on the street.
  const rig = buildRig({ site, seed: 8, startWall: START_WALL, sink: uplink, epoch: 1, log, utcOffsetMin: UTC_OFFSET_MIN, intensity: 0 });
  const model = new StatusModel({
    gateway: rig.gateway, uplink: () => uplink.stats(), durable: false, site: site.site, gatewayId: site.gateway,
    version: 'test', epoch: 1, clock: rig.clock,
  });
  model.start();
  rig.street.start();
  rig.street.igniteBin('bin-03'); // an alert for the page's list
  rig.gateway.start();
  uplink.start();
  await run(rig, 240_000, () => rig.gateway.stats().alerts > 0);
  await run(rig, 10_000);
  const server = await startStatusServer({ source: model, port: 0, log });
  const browser = await chromium.launch({
    executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  s = { rig, model, server, uplink, broker, browser, deviceIds: rig.gateway.devices().map((d) => d.id) };
});

test.after(async () => {
  if (s === undefined) return;
  await s.browser.close();
  await s.server.close();
  s.model.stop();
  s.rig.street.stop();
  s.rig.gateway.stop();
  await s.uplink.stop();
  await s.broker.close();
});

if (missing) {
  test.skip('the page lists the devices and follows the street live');
  test.skip('the page fits a phone');
} else {
  test('the page lists every device of the demo street and shows a lamp going to full as a pedestrian passes, live', async () => {
    const page = await s.browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(s.server.url);
      await page.waitForFunction((n) => document.querySelectorAll('[data-device]').length === n, s.deviceIds.length, { timeout: UI_TIMEOUT });
      assert.is(s.deviceIds.length, 60);
      const shown = await page.locator('[data-device]').evaluateAll((els) => els.map((e) => e.getAttribute('data-device')));
      assert.equal(shown, s.deviceIds);
      for (const id of ['lamp-01', 'park-01', 'bin-01']) assert.is(await page.locator(`[data-device="${id}"] .id`).innerText(), id);
      await page.locator('#connection', { hasText: 'live' }).waitFor({ timeout: UI_TIMEOUT });
      assert.is(await page.locator('#site').innerText(), 'demo-street');
      assert.is(await page.locator('#gateway').innerText(), 'gw-demo-01');
      assert.is(await page.locator('#spool-durable').innerText(), 'IN MEMORY ONLY');
      assert.match(await page.locator('#alerts li').first().innerText(), /bin-03\s+fire \d+/, 'the burning bin is in the recent alerts');
      assert.match(await cardText(page, 'bin-03', 'detail'), /^FIRE · /);

      const lamp = () => s.rig.gateway.devices().find((d) => d.id === 'lamp-01')!.state;
      assert.equal([lamp().mode, lamp().level], ['base', 0.3], 'lamp-01 burns at its base level at night');
      assert.is(await cardText(page, 'lamp-01', 'value'), '30 %');
      assert.is(await cardText(page, 'lamp-01', 'detail'), 'base');
      const reloads: string[] = [];
      page.on('framenavigated', (f) => reloads.push(f.url()));

      s.rig.street.spawn({ kind: 'pedestrian', fromEnd: 'west', speedMps: 1.4 });
      await run(s.rig, 60_000, () => lamp().level === 1);
      assert.equal([lamp().mode, lamp().level], ['full', 1], 'the pedestrian reached lamp-01');
      await run(s.rig, 1_000); // the model tells the server within 500 ms of the street's time
      await page.waitForFunction(() => document.querySelector('[data-device="lamp-01"] [data-field="value"]')?.textContent === '100 %', undefined, { timeout: UI_TIMEOUT });
      assert.is(await cardText(page, 'lamp-01', 'detail'), 'full');
      assert.equal(reloads, [], 'no reload: the change came over /events');
      await waitFor(() => s.uplink.stats().sent > 0, 'the uplink to have sent batches: the page is fed by the demo\'s pipeline');
      const plotted = await page.locator('[data-device="lamp-01"] svg.spark path').getAttribute('d');
      assert.match(plotted ?? '', /^M.*V/, 'the level plot steps up');

      await page.screenshot({ path: path.join(ARTIFACTS, 'status-page.png'), fullPage: true });
      assert.ok(fs.statSync(path.join(ARTIFACTS, 'status-page.png')).size > 10_000);
    } finally {
      await page.close();
    }
  });

  test('the page fits a phone, and says so when the stream drops', async () => {
    const context = await s.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    try {
      await page.goto(s.server.url);
      await page.waitForFunction((n) => document.querySelectorAll('[data-device]').length === n, s.deviceIds.length, { timeout: UI_TIMEOUT });
      await page.locator('#connection', { hasText: 'live' }).waitFor({ timeout: UI_TIMEOUT });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scrolling on a phone (page is ${width} px wide)`);
      const cards = await page.locator('[data-device]').evaluateAll((els) => els.slice(0, 3).map((e) => e.getBoundingClientRect().width));
      assert.ok(cards.every((w) => w >= 150 && w <= 195), `two cards a row: ${cards.join(', ')} px`);
      await page.screenshot({ path: path.join(ARTIFACTS, 'status-page-phone.png') });

      await s.server.close();
      await page.locator('#connection', { hasText: 'disconnected, retrying' }).waitFor({ timeout: UI_TIMEOUT });
    } finally {
      await context.close();
    }
  });
}

test.run();
