/**
 * What `kerb flash` reads back from a board's REPL: ReplSession.call's answer, printed between
 * markers as JSON. The board is whatever is on the cable, so the answer is outside bytes. A
 * pass is the value, a FlashError or a ReplCallError.
 */
import fc from 'fast-check';
import { EventEmitter } from 'node:events';
import { FlashError } from '../../../scripts/flash/flash-error.js';
import type { FlashLine } from '../../../scripts/flash/flash-line.js';
import { ReplCallError, ReplSession } from '../../../scripts/flash/repl-session.js';
import { VirtualClock } from '../../harness/virtual-clock.js';
import { showText, type FuzzTarget } from '../fuzz-target.js';
import { mutatedText } from '../mutate.js';

export interface ReplInput {
  /** Between the markers. */
  body: string;
  /** 'call': the markers as sent; 'open': no closing marker; 'other': another call's markers; 'noise': around XON/XOFF and an error. */
  frame: 'call' | 'open' | 'other' | 'noise';
}

/** A board that answers each line with `answer` once the line is complete. */
class AnsweringLine extends EventEmitter implements FlashLine {
  readonly isOpen = true;
  constructor(private readonly answer: Buffer) {
    super();
  }
  write(data: Buffer, callback: (err: Error | null | undefined) => void): boolean {
    if (data.includes(0x0a)) process.nextTick(() => this.emit('data', this.answer));
    callback(null);
    return true;
  }
  update(_options: { baudRate: number }, callback: (err: Error | null) => void): void {
    callback(null);
  }
  drain(callback: (err: Error | null) => void): void {
    callback(null);
  }
  close(callback?: (err: Error | null) => void): void {
    callback?.(null);
  }
}

function printed({ body, frame }: ReplInput): Buffer {
  const text = frame === 'call' ? `<<kerb#1 ${body} kerb#1>>`
    : frame === 'open' ? `<<kerb#1 ${body}`
      : frame === 'other' ? `<<kerb#2 ${body} kerb#2>>`
        : `\x13>${body}\x11 Uncaught Error: ${body}\r\n<<kerb#1 ${body} kerb#1>>`;
  return Buffer.from(text, 'latin1');
}

const json = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ v })),
  fc.jsonValue({ maxDepth: 2 }).map((e) => JSON.stringify({ e })),
  fc.constantFrom('null', 'true', '0', '[]', '""', '{"v":null}', '{"e":null}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}',
    'Out of Memory', 'FIFO_FULL', ' kerb#1>>', '<<kerb#1 ', '{"v":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}'),
);
const body = fc.oneof(json, mutatedText(json), fc.string({ maxLength: 100, unit: 'binary' }));

export const replAnswer: FuzzTarget<ReplInput> = {
  name: 'repl-answer',
  parser: 'ReplSession.call (board answer JSON)',
  arbitrary: fc.record({ body, frame: fc.constantFrom('call', 'open', 'other', 'noise') }),
  seeds: [
    { name: 'JSON null', input: { body: 'null', frame: 'call' } },
    { name: 'a number', input: { body: '42', frame: 'call' } },
    { name: 'a string', input: { body: '"x"', frame: 'call' } },
    { name: 'an error that is an object', input: { body: '{"e":{"x":1}}', frame: 'call' } },
    { name: 'a __proto__ answer', input: { body: '{"__proto__":{"e":"polluted"}}', frame: 'call' } },
    { name: '100,000 arrays deep', input: { body: '{"v":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}', frame: 'call' } },
    { name: 'a 1 MB answer', input: { body: `{"v":"${'x'.repeat(1_000_000)}"}`, frame: 'call' } },
    { name: 'no closing marker', input: { body: '{"v":1}', frame: 'open' } },
    { name: 'markers of another call', input: { body: '{"v":1}', frame: 'other' } },
  ],
  async run(input) {
    const clock = new VirtualClock();
    const session = new ReplSession(new AnsweringLine(printed(input)), clock);
    const answer = session.call<unknown>('1+1', 1000, 'fuzzing');
    answer.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(2000);
    try {
      await answer;
    } finally {
      session.detach();
    }
  },
  isTyped: (err) => err instanceof FlashError || err instanceof ReplCallError,
  show: (i) => `${i.frame} ${showText(i.body)}`,
};
