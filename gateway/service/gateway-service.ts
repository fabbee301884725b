/**
 * A gateway as it runs on a Pi for years: the site file, the data directory (epoch and spool),
 * the uplink, the pins, and the gateway pipeline over them; reloaded on SIGHUP without losing
 * anything (`kerb gateway` runs it; docs/operator-guide.md).
 *
 * Start-up never waits for the backlog: the devices run and the lamps answer before the spool
 * is even opened; the uplink drains whatever was left in the background.
 *
 * Reload: the site file is read and checked again. An invalid file changes nothing and the
 * reason is logged in full. A valid one replaces the gateway pipeline: the old one stops (its open
 * windows become batches in the spool), the new one carries on its sequence numbers and
 * whatever it held for an untrusted clock, on the same uplink and spool. A different site or
 * gateway id needs a restart (another data directory): refused, saying so. The TLS files are read
 * again too, whatever becomes of the site file: a renewed certificate is checked (private key,
 * key matching certificate) and handed to the uplink; broken files leave the ones in use.
 *
 * Restart: batches held for an unset wall clock are journaled in the data directory as they are
 * held, and sent by the next start of the same boot once the clock is set, after a clean stop or
 * a crash alike (state/held-for-clock.ts).
 */
import { formatErrors, loadSite } from '../../device-profiles/index.js';
import type { Site } from '../../device-profiles/types.js';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';
import type { Hal } from '../../firmware/hal/pins.js';
import { CommandProcessor } from '../commands/command-processor.js';
import { Gateway, type GatewayHandover, type GatewayStats, type OutputListener } from '../gateway.js';
import type { DeviceHealth } from '../health/health-message.js';
import type { SerialNodeStats } from '../node/serial-node.js';
import type { StatusGateway } from '../status/status-model.js';
import { SiteBackends } from '../hal/backends.js';
import type { DeviceStatus, HostedDeviceConfig, SerialNodeSettings } from '../host/device-host.js';
import type { Logger } from '../log/logger.js';
import { nextEpoch } from '../state/epoch.js';
import { gatewayDir, openQueue, type OpenedQueue } from '../state/data-dir.js';
import { HeldJournalFile, type MonotonicFrame } from '../state/held-for-clock.js';
import type { MqttUplink } from '../uplink/mqtt-uplink.js';
import type { MessageClass } from '../uplink/message-queue.js';
import { siteUplink } from '../uplink/site-uplink.js';
import { loadTls, type UplinkTls } from '../uplink/tls-options.js';
import { topicsFor } from '../uplink/topics.js';

/** The pins a site's hosted devices run on; closed when the gateway pipeline stops. */
export interface PinBackends {
  halFor(device: HostedDeviceConfig): Hal;
  close(): void;
}

export interface GatewayServiceOptions {
  siteFile: string;
  profilesDir: string;
  /** Root of the data directories; the gateway's own is <dataDir>/<gateway id>. */
  dataDir: string;
  brokerUrl: string;
  version: string;
  clock: Clock;
  log: Logger;
  /** The pins (default: the Pi's GPIO through onoff and Firmata boards through johnny-five). */
  backends?: (site: Site) => PinBackends;
  /** Serial nodes (default: serialport on the real ports). */
  serial?: SerialNodeSettings;
  /** Called with each new gateway pipeline (at start and after every reload). */
  onGateway?: (gateway: Gateway) => void;
  /**
   * Called every second from the gateway's clock while the service runs: the device loop's
   * heartbeat (the systemd watchdog pings only while it beats).
   */
  onLoopTick?: () => void;
  /** Uplink tuning for tests. */
  uplink?: { keepaliveS?: number };
  /** TLS for the uplink (CA, client certificate and key, from loadTls); needs an mqtts:// broker URL. */
  tls?: UplinkTls;
  /** Device counts and open faults for the retained health message (the status model's). */
  deviceHealth?: () => DeviceHealth;
  /**
   * The clock's times in the machine's boot (kerb gateway: systemFrame()): with it, batches held
   * for an untrusted wall clock are journaled in the data directory and sent by the next start of
   * the same boot; without it they live in memory and are reported lost at stop.
   */
  monotonicFrame?: MonotonicFrame;
}

/** What a reload did with the TLS files: none configured, the same bytes, new ones in use, or refused (the old stay). */
export type TlsReload = 'none' | 'unchanged' | 'renewed' | 'refused';

export type ReloadResult =
  | { ok: true; added: string[]; removed: string[]; kept: string[]; tls: TlsReload }
  | { ok: false; reason: string; tls: TlsReload };

export class GatewayService implements StatusGateway {
  site: Site;
  gateway!: Gateway;
  readonly epoch: number;
  readonly dir: string;
  private opened: OpenedQueue | undefined;
  private loopTimer: TimerId | undefined;
  private commands: CommandProcessor | undefined;
  /** The TLS material in use: o.tls until a reload renews it. */
  private tls: UplinkTls | undefined;
  private uplinkRef: MqttUplink | undefined;
  /** Held batches on disk while the wall clock is untrusted (with a monotonicFrame only). */
  private heldJournal: HeldJournalFile | undefined;
  /** Output listeners (the status model) follow the pipeline across reloads. */
  private readonly outputListeners: OutputListener[] = [];
  /** Batches made before the spool and uplink exist (the first seconds): sent once they do. */
  private readonly early: Array<[string, Buffer, MessageClass]> = [];

  constructor(private readonly o: GatewayServiceOptions, site: Site) {
    this.site = site;
    this.tls = o.tls;
    this.dir = gatewayDir(o.dataDir, site.gateway);
    this.epoch = nextEpoch(this.dir);
  }

  /** Reads and checks the site file; throws with every error listed when it is invalid. */
  static loadSite(file: string, profilesDir: string): Site {
    const result = loadSite(file, { profilesDir });
    if (!result.ok) throw new Error(`${file} is not a valid site file:\n${formatErrors(result.errors)}`);
    return result.value;
  }

  get uplink(): MqttUplink {
    if (this.uplinkRef === undefined) throw new Error('the gateway service has not started');
    return this.uplinkRef;
  }

  /** True once start() has opened the spool and made the uplink. */
  get started(): boolean {
    return this.uplinkRef !== undefined;
  }

  get durable(): boolean {
    return this.opened?.durable ?? false;
  }

  start(): void {
    // Devices first: a lamp answers its PIR before a large spool on an SD card is checked.
    const frame = this.o.monotonicFrame;
    this.heldJournal = frame ? new HeldJournalFile(this.dir, frame, this.o.log) : undefined;
    const held = this.heldJournal?.restore().batches ?? [];
    // A new epoch numbers from 1 again; only the held batches carry over from the last process.
    this.gateway = this.pipeline(this.site, held.length > 0 ? { seq: 0, held } : undefined);
    this.gateway.start();
    this.opened = openQueue(this.dir, this.o.log);
    // Signed downlink commands (docs/commands.md): verified here, applied to whichever pipeline
    // runs when they arrive, answered on cmd-result ahead of the telemetry backlog.
    this.commands = new CommandProcessor({
      site: () => this.site, devices: () => this.gateway, clock: this.o.clock, dir: this.dir, log: this.o.log,
      reply: (payload) => {
        this.uplinkRef?.send(topicsFor(this.site.site, this.site.gateway).cmdResult, payload, 'alert');
      },
    });
    this.uplinkRef = siteUplink({
      url: this.o.brokerUrl, site: this.site.site, gateway: this.site.gateway, epoch: this.epoch, version: this.o.version,
      log: this.o.log, queue: this.opened.queue, clock: this.o.clock, ...(this.o.uplink?.keepaliveS ? { keepaliveS: this.o.uplink.keepaliveS } : {}),
      ...(this.o.deviceHealth ? { devices: this.o.deviceHealth } : {}),
      ...(this.tls ? { tls: this.tls } : {}),
      subscriptions: this.commands.subscriptions(),
    });
    for (const [topic, payload, cls] of this.early.splice(0)) this.uplinkRef.send(topic, payload, cls);
    this.uplinkRef.start();
    const tick = this.o.onLoopTick;
    if (tick !== undefined) this.loopTimer = this.o.clock.setInterval(tick, 1_000);
    this.o.log.info('service.started', {
      site: this.site.site, gateway: this.site.gateway, epoch: this.epoch, dataDir: this.dir, durable: this.opened.durable,
      backlog: this.opened.queue.pendingCount(),
    });
  }

  /** SIGHUP: re-reads the TLS files and the site file; see the file comment. Never throws. */
  reload(): ReloadResult {
    const tls = this.reloadTls();
    let next: Site;
    try {
      next = GatewayService.loadSite(this.o.siteFile, this.o.profilesDir);
    } catch (err) {
      const reason = (err as Error).message;
      this.o.log.error('service.reload-refused', { file: this.o.siteFile, reason, detail: 'the running configuration stays' });
      return { ok: false, reason, tls };
    }
    if (next.site !== this.site.site || next.gateway !== this.site.gateway) {
      const reason = `the site or gateway id changed (${this.site.site}/${this.site.gateway} -> ${next.site}/${next.gateway}): that is another data directory and spool; restart the gateway instead`;
      this.o.log.error('service.reload-refused', { file: this.o.siteFile, reason, detail: 'the running configuration stays' });
      return { ok: false, reason, tls };
    }
    const before = new Set(this.site.devices.map((d) => d.id));
    const after = new Set(next.devices.map((d) => d.id));
    this.gateway.stop(true);
    const handover: GatewayHandover = this.gateway.handover();
    this.site = next;
    this.gateway = this.pipeline(next, handover);
    this.gateway.start();
    const result = {
      ok: true as const,
      added: [...after].filter((id) => !before.has(id)),
      removed: [...before].filter((id) => !after.has(id)),
      kept: [...after].filter((id) => before.has(id)),
      tls,
    };
    this.o.log.info('service.reloaded', { file: this.o.siteFile, added: result.added, removed: result.removed, devices: after.size, seq: handover.seq });
    return result;
  }

  /**
   * Reads the TLS files again (a certificate renewed before it ends, or after the broker refused
   * an expired one). Checked as at start; files that fail leave the material in use, logged
   * with the reason, so a half-copied renewal never takes the link down.
   */
  private reloadTls(): TlsReload {
    const current = this.tls;
    if (current === undefined) return 'none';
    let next: UplinkTls;
    try {
      next = loadTls(current.files);
    } catch (err) {
      this.o.log.error('service.tls-reload-refused', { ...current.files, reason: (err as Error).message, detail: 'the TLS files in use stay' });
      return 'refused';
    }
    const same = (a: Buffer | undefined, b: Buffer | undefined): boolean => (a === undefined ? b === undefined : b !== undefined && a.equals(b));
    if (same(current.ca, next.ca) && same(current.cert, next.cert) && same(current.key, next.key)) return 'unchanged';
    this.tls = next;
    this.uplinkRef?.renewTls(next);
    return 'renewed';
  }

  /** Stops the devices, sends what they had, waits up to `drainMs` for the broker, closes the spool. */
  async stop(drainMs = 3_000): Promise<{ drained: boolean; left: number }> {
    if (this.loopTimer !== undefined) this.o.clock.clearTimer(this.loopTimer);
    this.loopTimer = undefined;
    const journal = this.heldJournal;
    this.gateway.stop(journal !== undefined);
    if (journal !== undefined) {
      const held = this.gateway.stats().heldForClock;
      if (held > 0 && journal.unwritten) {
        this.o.log.error('clock.untrusted-at-stop', { batches: held, file: journal.file, detail: 'the wall clock was never set and the journal could not be written (clock.held-journal-failed): these batches are not sent' });
      } else if (held > 0) {
        this.o.log.warn('clock.held-kept', { file: journal.file, batches: held, detail: 'the wall clock was never set: the next start of this boot sends them once it is' });
      }
      journal.close();
    }
    const uplink = this.uplinkRef;
    if (uplink === undefined) return { drained: false, left: 0 };
    const drained = await uplink.drain(drainMs);
    const left = uplink.stats().pending + uplink.stats().inflight;
    await uplink.stop();
    this.opened?.queue.close();
    this.o.log.info('service.stopped', { drained, left, durable: this.durable });
    return { drained, left };
  }

  // The status model reads the service as one gateway that outlives reloads.
  devices(): DeviceStatus[] {
    return this.gateway.devices();
  }

  stats(): GatewayStats {
    return this.gateway.stats();
  }

  failedDevices(): Array<{ id: string; error: string }> {
    return this.gateway.failedDevices();
  }

  nodeStats(): Array<{ id: string } & SerialNodeStats> {
    return this.gateway.nodeStats();
  }

  onOutput(listener: OutputListener): void {
    this.outputListeners.push(listener);
    this.gateway?.onOutput(listener); // none before start(): pipeline() registers it then
  }

  private pipeline(site: Site, handover?: GatewayHandover): Gateway {
    const backends = this.o.backends?.(site) ?? new SiteBackends({ clock: this.o.clock, log: this.o.log });
    const gateway = new Gateway({
      site: site.site, gateway: site.gateway, devices: site.devices, clock: this.o.clock, epoch: this.epoch, log: this.o.log,
      topics: topicsFor(site.site, site.gateway), halFor: (d) => backends.halFor(d), backends: [backends],
      batchIntervalMs: site.batch.intervalMs, compression: site.batch.compression,
      sink: { send: (topic, payload, cls) => (this.uplinkRef ? this.uplinkRef.send(topic, payload, cls) : this.early.push([topic, payload, cls]) > 0) },
      drops: () => this.opened?.queue.drops() ?? {},
      onDropsReported: () => this.uplinkRef?.publishStatus(),
      ...(this.o.serial ? { serial: this.o.serial } : {}),
      ...(handover ? { handover } : {}),
      ...(this.heldJournal ? { heldJournal: this.heldJournal } : {}),
    });
    for (const listener of this.outputListeners) gateway.onOutput(listener);
    this.o.onGateway?.(gateway);
    return gateway;
  }
}
