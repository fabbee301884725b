/**
 * Signed downlink commands as they arrive over MQTT: parseEnvelope (kerb-command/1 JSON). It
 * never throws: a bad envelope is a rejection E_CMD_MALFORMED. An accepted envelope carries only
 * the fields the format names (what is signed is what is checked).
 */
import fc from 'fast-check';
import { parseEnvelope, type CommandEnvelope } from '../../../gateway/commands/envelope.js';
import { mutatedData } from '../data-mutate.js';
import { showText, violation, type FuzzTarget } from '../fuzz-target.js';
import { mutatedText } from '../mutate.js';
import { TEXT_SEEDS } from '../text-seeds.js';

const GOOD: CommandEnvelope = {
  v: 1, site: 'elm-street', gateway: 'gw-01', counter: 42, issued: '2026-06-21T21:10:00.000Z', expires: '2026-06-21T21:20:00.000Z',
  keyId: '0123456789abcdef', command: { device: 'lamp-01', name: 'override', args: { level: 1, minutes: 10 } }, signature: `${'A'.repeat(86)}==`,
};
const GOOD_TEXT = JSON.stringify(GOOD);
const TOP = Object.keys(GOOD);

const text = fc.oneof(
  mutatedText(fc.constant(GOOD_TEXT)),
  mutatedData(fc.constant(GOOD)).map((v) => JSON.stringify(v) ?? ''),
  fc.string({ maxLength: 200, unit: 'binary' }),
);

export const commandEnvelope: FuzzTarget<string> = {
  name: 'command-envelope',
  parser: 'parseEnvelope (kerb-command/1 JSON)',
  arbitrary: text,
  seeds: [
    ...TEXT_SEEDS,
    { name: 'a constructor field', input: GOOD_TEXT.replace('{', '{"constructor":"x",') },
    { name: 'a __proto__ field', input: GOOD_TEXT.replace('{', '{"__proto__":{"polluted":1},') },
    { name: 'args with a __proto__ key', input: GOOD_TEXT.replace('"args":{', '"args":{"__proto__":{"level":0},') },
    { name: 'a command field 10,000 arrays deep', input: GOOD_TEXT.replace('"override"', '['.repeat(10_000) + ']'.repeat(10_000)) },
    { name: 'a counter of 1e400', input: GOOD_TEXT.replace('42', '1e400') },
  ],
  run(input) {
    const r = parseEnvelope(Buffer.from(input, 'utf8'));
    if (r.ok) {
      const extra = Object.keys(r.envelope).filter((k) => !TOP.includes(k));
      violation(extra.length === 0, `an envelope was accepted with fields the format does not name: ${extra.join(', ')}`);
    }
  },
  isTyped: () => false,
  show: showText,
};
