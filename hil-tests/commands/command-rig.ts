/**
 * A street for downlink command tests: four lamps and a parking space on mock boards, two
 * operators (one key from a file, one inline), a corridor, the gateway pipeline on the virtual
 * clock and a CommandProcessor whose answers are captured. `send()` signs like `kerb command`.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadSite } from '../../device-profiles/index.js';
import type { Site } from '../../device-profiles/types.js';
import { CommandProcessor } from '../../gateway/commands/command-processor.js';
import { signEnvelope, type CommandBody, type CommandEnvelope, type UnsignedEnvelope } from '../../gateway/commands/envelope.js';
import { commandKeyId } from '../../gateway/commands/operator-keys.js';
import type { CommandReply } from '../../gateway/commands/rejection.js';
import { Gateway } from '../../gateway/gateway.js';
import { memoryLogger, type LogRecord } from '../../gateway/log/logger.js';
import { topicsFor } from '../../gateway/uplink/topics.js';
import { ROOT } from '../cli/run-kerb.js';
import { boardPin, deviceBoard } from '../harness/device-board.js';
import { MockHal } from '../harness/mock-hal.js';
import { tempDir } from '../harness/temp-dir.js';
import { VirtualClock } from '../harness/virtual-clock.js';

export const NIGHT = Date.UTC(2026, 5, 21, 21, 10); // 23:10 in Amsterdam
export const PROFILES = path.join(ROOT, 'device-profiles');
export const MIN = 60_000;

export interface Operator {
  privateKey: KeyObject;
  publicPem: string;
  keyId: string;
}

export function makeOperator(): Operator {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string, keyId: commandKeyId(publicKey) };
}

/** Writes keys/ops-1.pub and the site file into `dir`; ops-2's key is inline. */
export function writeSite(dir: string, ops1: Operator, ops2: Operator, extra = ''): string {
  fs.mkdirSync(path.join(dir, 'keys'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'keys', 'ops-1.pub'), ops1.publicPem);
  const inline = ops2.publicPem.trim().split('\n').map((l) => `      ${l}`).join('\n');
  const file = path.join(dir, 'site.yaml');
  fs.writeFileSync(file, [
    'version: 1', 'site: elm-street', 'gateway: gw-elm', 'location: { latitude: 52.3676, longitude: 4.9041 }', 'devices:',
    ...['lamp-01', 'lamp-02', 'lamp-03', 'lamp-04'].map((id) => `  - { id: ${id}, profile: lamp-pir-pwm, transport: { type: mock } }`),
    '  - { id: park-01, profile: parking-magnetometer, transport: { type: mock } }',
    'operators:', '  - id: ops-1', '    publicKey: keys/ops-1.pub', '  - id: ops-2', '    publicKey: |', inline,
    'corridors:', '  school-route: [lamp-01, lamp-02]', extra,
  ].join('\n') + '\n');
  return file;
}

export function loadOrThrow(file: string): Site {
  const r = loadSite(file, { profilesDir: PROFILES });
  if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 2));
  return r.value;
}

export class CommandRig {
  readonly dir = tempDir('kerb-commands-');
  readonly dataDir = path.join(this.dir, 'data', 'gw-elm');
  readonly ops1 = makeOperator();
  readonly ops2 = makeOperator();
  readonly stranger = makeOperator();
  readonly clock: VirtualClock;
  readonly hal: MockHal;
  readonly site: Site;
  readonly gateway: Gateway;
  readonly replies: CommandReply[] = [];
  readonly records: LogRecord[];
  readonly log;
  processor!: CommandProcessor;
  private counter = 0;

  constructor(o: { startWall?: number; synced?: boolean; rejectionReplies?: { ratePerS: number; burst: number } } = {}) {
    this.clock = new VirtualClock({ startWall: o.startWall ?? NIGHT, synced: o.synced ?? true });
    this.hal = new MockHal(this.clock);
    this.site = loadOrThrow(writeSite(this.dir, this.ops1, this.ops2));
    const { log, records } = memoryLogger({ clock: this.clock });
    this.log = log;
    this.records = records;
    const hal = this.hal;
    this.gateway = new Gateway({
      site: this.site.site, gateway: this.site.gateway, devices: this.site.devices, clock: this.clock, epoch: 1, log,
      topics: topicsFor(this.site.site, this.site.gateway), sink: { send: () => true }, halFor: (d) => deviceBoard(hal, d.id),
    });
    this.hal.setAnalog(boardPin('park-01', 'A1'), (45 + 200) / 400);
    this.gateway.start();
    this.clock.advance(1_000);
    this.restartProcessor(o.rejectionReplies);
  }

  /** A new processor on the same data directory: what a gateway restart does to the downlink. */
  restartProcessor(rejectionReplies?: { ratePerS: number; burst: number }): CommandProcessor {
    this.processor = new CommandProcessor({
      site: () => this.site, devices: () => this.gateway, clock: this.clock, dir: this.dataDir, log: this.log,
      reply: (p) => this.replies.push(JSON.parse(p.toString('utf8')) as CommandReply),
      ...(rejectionReplies ? { rejectionReplies } : {}),
    });
    return this.processor;
  }

  duty(lamp: string): number {
    return this.hal.duty(boardPin(lamp, 'D3'));
  }

  motion(lamp: string, level: 0 | 1): void {
    this.hal.setLevel(boardPin(lamp, 'D2'), level);
  }

  /** A signed envelope from `by` (default ops-1), counter the next one unless given. */
  envelope(command: CommandBody, change: Partial<UnsignedEnvelope> = {}, by: Operator = this.ops1): CommandEnvelope {
    const now = this.clock.wallTime();
    const counter = change.counter ?? ++this.counter;
    const e: UnsignedEnvelope = {
      v: 1, site: 'elm-street', gateway: 'gw-elm', counter, keyId: by.keyId,
      issued: new Date(now).toISOString(), expires: new Date(now + 10 * MIN).toISOString(), command, ...change,
    };
    return signEnvelope(e, by.privateKey);
  }

  topicFor(command: CommandBody): string {
    const prefix = 'kerb/v1/elm-street/gw-elm/cmd';
    return 'device' in command ? `${prefix}/${command.device}` : `${prefix}/corridor/${command.corridor}`;
  }

  /** Hands raw bytes to the processor on the command's topic; returns its answer. */
  deliver(payload: Buffer | string, topic = 'kerb/v1/elm-street/gw-elm/cmd/lamp-01'): CommandReply {
    return this.processor.handle(topic, Buffer.isBuffer(payload) ? payload : Buffer.from(payload));
  }

  send(command: CommandBody, change: Partial<UnsignedEnvelope> = {}, by: Operator = this.ops1): CommandReply {
    return this.deliver(JSON.stringify(this.envelope(command, change, by)), this.topicFor(command));
  }

  rejections(): LogRecord[] {
    return this.records.filter((r) => r.event === 'command.rejected');
  }

  stop(): void {
    this.gateway.stop();
  }
}
