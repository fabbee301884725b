/**
 * Power cuts, simulated: the gateway runs as a child process and is killed with SIGKILL at
 * random moments, 50 times, while it stores new batches and drains old ones to a real broker
 * over TCP. After every kill the spool must pass its integrity check; at the end, every batch
 * the child reported stored must have reached the broker, and duplicates may only be the
 * resends of what was in flight at a kill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeBatch } from '../../gateway/batch/decode.js';
import { startEmbeddedBroker } from '../../gateway/broker/embedded-broker.js';
import { memoryLogger } from '../../gateway/log/logger.js';
import { openSpool } from '../../gateway/spool/spool.js';
import { Random } from '../harness/random.js';
import { ROOT } from '../cli/run-kerb.js';
import { tempDir } from '../harness/temp-dir.js';

const CHILD = path.join(ROOT, 'dist', 'hil-tests', 'spool', 'crash-child.js');
const KILLS = 50;
const WINDOW = 16;

interface ChildRun {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

function start(dataDir: string, url: string, seed: number, mode: 'ingest' | 'drain'): ChildRun {
  const child = spawn(process.execPath, [CHILD, dataDir, url, String(seed), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    if (stderr.trim()) process.stderr.write(`crash-child ${mode} said: ${stderr.slice(0, 2000)}\n`);
    resolve(code);
  }));
  return { child, lines, exited };
}

async function until(run: ChildRun, predicate: (lines: string[]) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!predicate(run.lines)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the child to ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test(`SIGKILL at ${KILLS} random moments loses nothing the spool accepted`, async () => {
  const broker = await startEmbeddedBroker();
  const received = new Map<string, number>();
  broker.onPublish((topic, payload) => {
    if (!/\/(batch|alert)$/.test(topic)) return;
    const b = decodeBatch(payload);
    const key = `${b.epoch}/${b.seq}`;
    received.set(key, (received.get(key) ?? 0) + 1);
  });
  const dataDir = tempDir('kerb-crash-');
  const spoolFile = path.join(dataDir, 'gw-demo-01', 'spool.db');
  const rng = new Random(2026);
  const stored = new Set<string>();
  let killedWhileDraining = 0;

  for (let i = 0; i < KILLS; i++) {
    const run = start(dataDir, broker.url, i + 1, 'ingest');
    await until(run, (l) => l.some((x) => x.startsWith('ready')), 'start');
    const backlog = Number(run.lines.find((x) => x.startsWith('ready'))!.split(' ')[2]);
    if (backlog > 0) killedWhileDraining++;
    await new Promise((r) => setTimeout(r, rng.int(5, 300)));
    run.child.kill('SIGKILL');
    await run.exited;
    for (const line of run.lines) if (line.startsWith('stored ')) stored.add(line.slice(7).replace(' ', '/'));
    // What a power cut leaves must open cleanly: no recovery, a passing integrity check.
    const { log, records } = memoryLogger();
    const { spool, recovered } = openSpool(spoolFile, { log });
    spool.close();
    assert.is(recovered, undefined, `kill ${i + 1}: the spool needed recovery: ${JSON.stringify(records)}`);
  }
  assert.ok(stored.size > KILLS * 5, `the children stored plenty (${stored.size} batches)`);
  assert.ok(killedWhileDraining >= KILLS / 2, `most kills hit a gateway with a backlog to drain (${killedWhileDraining})`);

  const drain = start(dataDir, broker.url, 0, 'drain');
  await until(drain, (l) => l.includes('drained'), 'drain its spool');
  await drain.exited;
  await broker.close();

  const lost = [...stored].filter((k) => !received.has(k));
  assert.equal(lost, [], `stored but never delivered: ${lost.slice(0, 10).join(', ')}`);
  const duplicates = [...received.values()].reduce((n, c) => n + c - 1, 0);
  assert.ok(duplicates <= KILLS * WINDOW, `${duplicates} duplicates: no more than one in-flight window per kill`);
});

test.run();
