/**
 * A real mosquitto (the Debian package) for the TLS tests: its own config, ACL and certificates
 * in a temporary directory, one TLS listener on a free loopback port, started as a child process
 * and stopped after the test. Nothing of the system's mosquitto (its /etc config, its service)
 * is used or touched. Without the binary the tests are skipped with the reason
 * (.ci/run installs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { closedPort } from '../harness/ports.js';

export const MOSQUITTO_MISSING = 'mosquitto is not installed (apt-get install mosquitto; .ci/run does)';

/** The mosquitto binary: on the PATH, or in /usr/sbin where Debian puts it (not on every user's PATH). */
export function mosquittoBinary(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs) {
    const file = path.join(dir, 'mosquitto');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // next
    }
  }
  return undefined;
}

export interface MosquittoOptions {
  /** Where the config, ACL file and log go. */
  dir: string;
  ca: string;
  cert: string;
  key: string;
  /** The ACL file's text (scripts/tls/mosquitto-acl.ts). */
  acl: string;
  tlsVersion?: 'tlsv1.2' | 'tlsv1.3';
}

export interface MosquittoRig {
  url: string;
  port: number;
  configFile: string;
  /** What mosquitto has logged so far. */
  output(): string;
  stop(): Promise<void>;
}

/** The configuration the tests run mosquitto with (quoted in docs/security notes). */
export function mosquittoConfig(o: MosquittoOptions & { port: number; aclFile: string }): string {
  return [
    '# written by hil-tests/tls/mosquitto-rig.ts',
    'per_listener_settings false',
    'allow_anonymous false',
    `acl_file ${o.aclFile}`,
    'persistence false',
    // Started as root, mosquitto would switch to the 'mosquitto' user, who cannot read our 0600 key.
    `user ${os.userInfo().username}`,
    'log_dest stderr', // unbuffered: a test can read what mosquitto said at once
    'log_type error', 'log_type warning', 'log_type notice', 'log_type information', 'log_type debug',
    'connection_messages true',
    '',
    `listener ${o.port} 127.0.0.1`,
    `cafile ${o.ca}`,
    `certfile ${o.cert}`,
    `keyfile ${o.key}`,
    'require_certificate true',
    'use_identity_as_username true',
    `tls_version ${o.tlsVersion ?? 'tlsv1.2'}`,
    '',
  ].join('\n');
}

const running = new Set<ChildProcess>();

async function accepting(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startMosquitto(o: MosquittoOptions): Promise<MosquittoRig> {
  const binary = mosquittoBinary();
  if (binary === undefined) throw new Error(MOSQUITTO_MISSING);
  const port = await closedPort();
  const aclFile = path.join(o.dir, 'acl');
  const configFile = path.join(o.dir, 'mosquitto.conf');
  fs.writeFileSync(aclFile, o.acl, { mode: 0o600 });
  fs.writeFileSync(configFile, mosquittoConfig({ ...o, port, aclFile }), { mode: 0o600 });
  const child = spawn(binary, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (running.size === 0) process.on('exit', () => running.forEach((c) => c.kill('SIGKILL')));
  running.add(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => {
    exited = true;
    running.delete(child);
    resolve();
  }));
  const deadline = Date.now() + 10_000;
  while (!(await accepting(port))) {
    if (exited) throw new Error(`mosquitto exited at start:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mosquitto did not listen on ${port} within 10 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return {
    url: `mqtts://127.0.0.1:${port}`, port, configFile,
    output: () => out,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}
