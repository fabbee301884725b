import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../hil-tests/harness/virtual-clock.js';
import { createLogger, memoryLogger, type LogRecord } from './logger.js';
import { normaliseMessage } from './repeat-limiter.js';

function setup(limit = { limit: 10, windowMs: 60_000, maxKeys: 1000 }) {
  const clock = new VirtualClock();
  const { log, records } = memoryLogger({ clock, rateLimit: limit });
  const named = (event: string): LogRecord[] => records.filter((r) => r.event === event);
  return { clock, log, records, named };
}

test('a flapping sensor logs 10 records a minute, then one summary with the count held back', () => {
  const { clock, log, named } = setup();
  for (let i = 0; i < 500; i++) {
    log.warn('sensor.flap', { device: 'pir-3', error: `edge ${i} ms after the last` });
    clock.advance(100); // 500 records over 50 s
  }
  assert.is(named('sensor.flap').length, 10);
  assert.is(named('log.suppressed').length, 0, 'the window has not ended');
  clock.advance(10_000); // the window ends at 60 s: the timer writes the summary
  const [summary] = named('log.suppressed');
  assert.equal(summary && { ...summary, time: undefined }, {
    time: undefined, level: 'warn', event: 'log.suppressed', suppressedEvent: 'sensor.flap', device: 'pir-3', count: 490, windowS: 60,
  });
  assert.is(summary!.time, new Date(clock.wallTime()).toISOString(), 'stamped with the injected clock');
  log.warn('sensor.flap', { device: 'pir-3', error: 'edge 1 ms after the last' });
  assert.is(named('sensor.flap').length, 11, 'a new window lets records through again');
});

test('repeats are told apart by event, subject and message; numbers do not make a new message', () => {
  const { log, named } = setup({ limit: 2, windowMs: 60_000, maxKeys: 1000 });
  for (let i = 0; i < 5; i++) {
    log.warn('port.failed', { port: '/dev/ttyUSB0', error: `retry in ${i * 500} ms` });
    log.warn('port.failed', { port: '/dev/ttyUSB1', error: `retry in ${i * 500} ms` });
    log.warn('port.failed', { port: '/dev/ttyUSB0', error: 'permission denied' });
    log.info('other', {});
  }
  assert.is(named('port.failed').length, 6);
  assert.is(named('other').length, 2);
  assert.is(normaliseMessage('retry  in 1500.5 ms'), 'retry in # ms');
});

test('the summary comes also when the next record of the key arrives after the window', () => {
  const { clock, log, named } = setup({ limit: 1, windowMs: 1_000, maxKeys: 1000 });
  log.error('e', { device: 'd' });
  log.error('e', { device: 'd' });
  log.error('e', { device: 'd' });
  clock.advance(999);
  assert.is(named('log.suppressed').length, 0);
  clock.advance(1);
  assert.equal(named('log.suppressed').map((r) => [r.level, r.count]), [['error', 2]]);
});

test('keys are bounded: the least recently used goes, and reports what it held back at once', () => {
  const { clock, log, named } = setup({ limit: 1, windowMs: 60_000, maxKeys: 3 });
  log.warn('e', { device: 'a' });
  log.warn('e', { device: 'a' }); // held back
  for (const d of ['b', 'c', 'd']) log.warn('e', { device: d }); // 'a' is evicted by 'd'
  assert.equal(named('log.suppressed').map((r) => [r.device, r.count]), [['a', 1]]);
  for (let i = 0; i < 5000; i++) log.warn('e', { device: `x${i}` });
  clock.advance(120_000);
  assert.is(named('log.suppressed').length, 1, 'nothing else was held back');
});

test('flush writes what is held back and leaves no timer running', () => {
  const { clock, log, named } = setup({ limit: 1, windowMs: 60_000, maxKeys: 10 });
  log.warn('e', { device: 'a' });
  log.warn('e', { device: 'a' });
  assert.is(clock.pending(), 1);
  log.flush();
  assert.equal(named('log.suppressed').map((r) => r.count), [1]);
  assert.is(clock.pending(), 0);
});

test('rate limiting is on by default for loggers from configuration, off for memoryLogger', () => {
  const clock = new VirtualClock();
  const records: LogRecord[] = [];
  const log = createLogger({ sink: (r) => records.push(r), level: 'info', clock });
  for (let i = 0; i < 50; i++) log.info('same', { device: 'd' });
  assert.is(records.length, 10);
  log.flush();
  const mem = memoryLogger();
  for (let i = 0; i < 50; i++) mem.log.info('same', { device: 'd' });
  assert.is(mem.records.length, 50);
});

test.run();
