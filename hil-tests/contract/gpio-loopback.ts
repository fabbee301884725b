/**
 * Real GPIO pairs wired together for the onoff loopback bench. KERB_GPIO_LOOPBACK names them as
 * BCM numbers 'out:in', e.g. '17:27,22:23': the first pin of each pair is the bench's (the
 * outside world), the second the HAL's under test. The bench drives its pin to play an input
 * signal, and turns it into an input to see what the HAL's output drives. Wire each pair through
 * a 1 kΩ resistor, so a moment with both pins driving cannot harm either.
 */
import type { DigitalIn, DigitalOut, Level, PinId } from '../../firmware/hal/pins.js';
import type { OnoffHal } from '../../gateway/hal/onoff/onoff-hal.js';

export const LOOPBACK_VARIABLE = 'KERB_GPIO_LOOPBACK';

export interface LoopbackPair {
  /** The bench's pin, wired to `hal`. */
  bench: PinId;
  /** The pin the HAL under test opens. */
  hal: PinId;
}

/** The pairs in `text`, or every problem with it. */
export function parseLoopback(text: string | undefined): { pairs: LoopbackPair[] } | { error: string } {
  if (text === undefined || text.trim() === '') {
    return { error: `${LOOPBACK_VARIABLE} is not set: wire GPIO pairs together and name them out:in, e.g. ${LOOPBACK_VARIABLE}=17:27,22:23` };
  }
  const pairs: LoopbackPair[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const item of text.split(',').map((s) => s.trim())) {
    const m = /^(\d{1,2}):(\d{1,2})$/.exec(item);
    if (m === null || Number(m[1]) > 27 || Number(m[2]) > 27) {
      problems.push(`'${item}' is not out:in with two header BCM numbers 0..27`);
      continue;
    }
    const [bench, hal] = [String(Number(m[1])), String(Number(m[2]))];
    for (const pin of [bench, hal]) {
      if (seen.has(pin)) problems.push(`BCM ${pin} is named twice`);
      seen.add(pin);
    }
    if (bench === hal) continue;
    pairs.push({ bench, hal });
  }
  if (problems.length > 0) return { error: `${LOOPBACK_VARIABLE}='${text}': ${problems.join('; ')}` };
  return { pairs };
}

/** The bench's pin wired to one HAL pin, as the bench has it open now. */
type Side = { pin: PinId; kind: 'out'; out: DigitalOut } | { pin: PinId; kind: 'in'; in: DigitalIn };

/** The bench's side of the pairs, opened on its own OnoffHal; every pin starts driving 0. */
export class LoopbackWorld {
  private readonly sides = new Map<PinId, Side>();

  constructor(private readonly hal: OnoffHal, pairs: LoopbackPair[]) {
    for (const p of pairs) this.sides.set(p.hal, { pin: p.bench, kind: 'out', out: hal.digitalOut({ pin: p.bench, initial: 0 }) });
  }

  /** Drives the HAL's pin `pin` through its partner. */
  drive(pin: PinId, level: Level): void {
    const side = this.side(pin);
    if (side.kind === 'out') {
      side.out.write(level);
      return;
    }
    side.in.close();
    this.sides.set(pin, { pin: side.pin, kind: 'out', out: this.hal.digitalOut({ pin: side.pin, initial: level }) });
  }

  /** The level the HAL's pin `pin` drives, read on its partner. */
  sense(pin: PinId): Level {
    const side = this.side(pin);
    if (side.kind === 'in') return side.in.read();
    side.out.close();
    const input = this.hal.digitalIn({ pin: side.pin, edge: 'both', debounceMs: 0, onEdge: () => {} });
    this.sides.set(pin, { pin: side.pin, kind: 'in', in: input });
    return input.read();
  }

  close(): void {
    this.hal.close();
  }

  private side(pin: PinId): Side {
    const side = this.sides.get(pin);
    if (side === undefined) throw new Error(`the loopback bench has no pin wired to BCM ${pin}; ${LOOPBACK_VARIABLE} names ${[...this.sides.keys()].join(', ')}`);
    return side;
  }
}
