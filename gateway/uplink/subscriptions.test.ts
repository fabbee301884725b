/** MQTT topic filters as the uplink matches them to route received messages. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { memoryLogger } from '../log/logger.js';
import { Subscriptions, topicMatches } from './subscriptions.js';

test('topic filters match as MQTT defines: + one level, # the rest including none', () => {
  const cases: Array<[string, string, boolean]> = [
    ['kerb/v1/s/g/cmd/+', 'kerb/v1/s/g/cmd/lamp-1', true],
    ['kerb/v1/s/g/cmd/+', 'kerb/v1/s/g/cmd/lamp-1/x', false],
    ['kerb/v1/s/g/cmd/+', 'kerb/v1/s/g/cmd', false],
    ['kerb/v1/s/g/cmd/#', 'kerb/v1/s/g/cmd', true],
    ['kerb/v1/s/g/cmd/#', 'kerb/v1/s/g/cmd/a/b', true],
    ['kerb/v1/s/g/cmd/#', 'kerb/v1/s/h/cmd/a', false],
    ['kerb/+/s/+/status', 'kerb/v1/s/g/status', true],
    ['kerb/v1/s/g/status', 'kerb/v1/s/g/status', true],
    ['kerb/v1/s/g/status', 'kerb/v1/s/g/status/x', false],
    ['#', 'anything/at/all', true],
  ];
  for (const [filter, topic, expected] of cases) assert.is(topicMatches(filter, topic), expected, `${filter} vs ${topic}`);
});

test('a message goes to every matching subscription; a handler that throws is logged and the others still run', () => {
  const { log, records } = memoryLogger();
  const got: string[] = [];
  const subs = new Subscriptions([
    { topic: 'a/+', onMessage: () => { throw new Error('bad handler'); } },
    { topic: 'a/#', onMessage: (t, p) => got.push(`${t}=${p.toString()}`) },
    { topic: 'b/+', onMessage: () => got.push('wrong') },
  ], log);
  subs.dispatch('a/x', Buffer.from('1'));
  assert.equal(got, ['a/x=1']);
  const failed = records.find((r) => r.event === 'uplink.message-handler-failed');
  assert.ok(failed);
  assert.is(failed!.error, 'bad handler');
});

test.run();
