import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configuredLogLevel, LogLevelError, parseLogLevel } from './log-level.js';
import { createLogger, type LogRecord } from './logger.js';

test('the level comes from the option, else KERB_LOG_LEVEL, else info', () => {
  assert.is(configuredLogLevel('warn', { KERB_LOG_LEVEL: 'debug' }), 'warn');
  assert.is(configuredLogLevel(undefined, { KERB_LOG_LEVEL: ' DEBUG ' }), 'debug');
  assert.is(configuredLogLevel(undefined, {}), 'info');
  assert.is(configuredLogLevel(undefined, { KERB_LOG_LEVEL: '' }), 'info');
  assert.is(parseLogLevel('Error'), 'error');
});

test('a bad level is an error naming the setting, the value and the accepted levels', () => {
  try {
    configuredLogLevel(undefined, { KERB_LOG_LEVEL: 'verbose' });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, LogLevelError);
    assert.is((err as LogLevelError).code, 'E_LOG_LEVEL');
    assert.is((err as Error).message, "KERB_LOG_LEVEL is 'verbose', which is not a log level: use one of debug, info, warn, error");
  }
  assert.throws(() => createLogger({ level: 'loud' }), /the log level option is 'loud'/);
});

test('a logger at warn drops debug and info, children included', () => {
  const records: LogRecord[] = [];
  const log = createLogger({ sink: (r) => records.push(r), env: { KERB_LOG_LEVEL: 'warn' }, rateLimit: false });
  const child = log.child({ device: 'lamp-01' });
  log.info('a');
  child.debug('b');
  child.warn('c');
  log.error('d');
  assert.equal(records.map((r) => [r.event, r.level]), [['c', 'warn'], ['d', 'error']]);
  assert.is(records[0]!.device, 'lamp-01');
  assert.is(log.level(), 'warn');
});

test.run();
