/**
 * deploy/kerb-gateway.service must not rot silently: the settings the watchdog, reload, start-up
 * and device access depend on are checked here, and `systemd-analyze verify` reads the file when
 * the machine has it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const unitPath = path.join(root, 'deploy', 'kerb-gateway.service');

type Unit = Record<string, Record<string, string[]>>;

/** Sections of key → values in file order (a key may repeat). Comments and blank lines dropped. */
function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section: Record<string, string[]> | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = unit[header[1]!] ??= {};
      return;
    }
    const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (!kv || section === undefined) throw new Error(`${unitPath}:${i + 1}: expected KEY=value inside a section, found '${line}'`);
    (section[kv[1]!] ??= []).push(kv[2]!);
  });
  return unit;
}

const unit = parseUnit(fs.readFileSync(unitPath, 'utf8'));
const service = unit.Service ?? {};
const one = (key: string, where: Record<string, string[]> = service): string => {
  const values = where[key];
  assert.ok(values !== undefined && values.length === 1, `${key}= once, found ${JSON.stringify(values)}`);
  return values![0]!;
};
const seconds = (v: string): number => {
  const m = /^(\d+)(s|min)?$/.exec(v);
  assert.ok(m, `a time in seconds or minutes, found '${v}'`);
  return Number(m![1]) * (m![2] === 'min' ? 60 : 1);
};

test('the unit is Type=notify with a watchdog, restarted on failure (a watchdog timeout included)', () => {
  assert.is(one('Type'), 'notify');
  assert.is(one('NotifyAccess'), 'main');
  assert.ok(seconds(one('WatchdogSec')) > 0);
  assert.ok(['on-failure', 'on-watchdog', 'on-abnormal', 'always'].includes(one('Restart')));
  assert.ok(seconds(one('RestartSec')) > 0);
});

test('automatic restarts never exhaust the start limit: a gateway in a cabinet keeps trying', () => {
  const interval = seconds(one('StartLimitIntervalSec', unit.Unit));
  const burst = Number(one('StartLimitBurst', unit.Unit));
  const maxAutomaticStarts = Math.floor(interval / seconds(one('RestartSec'))) + 1;
  assert.ok(burst > maxAutomaticStarts, `burst ${burst} must exceed ${maxAutomaticStarts}`);
});

test('start-up has a bounded timeout; reload is SIGHUP to the main process', () => {
  const start = seconds(one('TimeoutStartSec'));
  assert.ok(start > 0 && start <= 300);
  assert.match(one('ExecReload'), /^\/bin\/kill -HUP \$MAINPID$/);
});

test('ExecStart runs node directly on `kerb gateway` with the site file and the state directory', () => {
  const exec = one('ExecStart');
  assert.match(exec, /^\/usr\/bin\/node \S+\/kerb\.js gateway /, 'node is the main PID: NotifyAccess=main accepts it');
  assert.match(exec, /--site \/etc\/kerb\/site\.yaml/);
  assert.match(exec, /--data-dir \/var\/lib\/kerb(\s|$)/);
  assert.is(one('StateDirectory'), 'kerb');
});

test('a dedicated user, not root, with the groups GPIO and serial ports need', () => {
  const user = one('User');
  assert.ok(user !== 'root' && user !== '0' && user !== '', `User=${user}`);
  assert.ok(service.DynamicUser === undefined, 'a dynamic user could not be in the gpio and dialout groups');
  const groups = one('SupplementaryGroups').split(/\s+/);
  assert.ok(groups.includes('gpio') && groups.includes('dialout'));
});

test('hardening is on, and nothing in it takes GPIO, serial ports or the JIT away', () => {
  assert.is(one('ProtectSystem'), 'strict');
  assert.ok(one('ReadWritePaths').split(/\s+/).includes('/var/lib/kerb'));
  assert.is(one('ProtectHome'), 'yes');
  assert.is(one('NoNewPrivileges'), 'yes');
  assert.is(one('PrivateTmp'), 'yes');
  assert.ok(service.ProtectKernelTunables === undefined, 'onoff writes /sys/class/gpio');
  assert.ok(service.PrivateDevices === undefined, '/dev/gpiochip* and the serial ports must stay visible');
  assert.ok(service.MemoryDenyWriteExecute === undefined, "V8's JIT needs writable executable memory");
  assert.ok(Number(one('LimitNOFILE')) >= 1024);
});

test('NODE_OPTIONS caps the young generation (docs/performance.md, RSS on a Pi)', () => {
  assert.ok((service.Environment ?? []).some((e) => /^"?NODE_OPTIONS=.*--max-semi-space-size=1\b/.test(e)));
});

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
if (analyze.error !== undefined) {
  test.skip('systemd-analyze verify accepts the unit (skipped: systemd-analyze is not installed here)', () => {});
} else {
  test('systemd-analyze verify accepts the unit without a warning about it', () => {
    // --man=no: the Documentation= page need not exist on a build machine.
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', unitPath], { encoding: 'utf8' });
    const aboutUs = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('kerb-gateway.service'));
    assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.equal(aboutUs, []);
  });
}

test.run();
