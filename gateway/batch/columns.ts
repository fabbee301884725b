/**
 * Columns of a batch table: one integer per row, written as the first value and then the
 * difference from the row before (neighbouring windows and devices differ little, and CBOR
 * writes -24..23 in one byte), or as one integer when every row has the same value.
 */

/** A column as it travels: every row's value, or the deltas of an array of `rows` values. */
export type WireColumn = number | number[];

export function encodeColumn(values: readonly number[]): WireColumn {
  const first = values[0] ?? 0;
  if (values.every((v) => v === first)) return first;
  const out = new Array<number>(values.length);
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    out[i] = values[i]! - prev;
    prev = values[i]!;
  }
  return out;
}

export class ColumnError extends Error {
  constructor(readonly where: string, message: string) {
    super(message);
  }
}

/**
 * The values of a column of `rows` rows. Refuses a column that is neither an integer nor an
 * array of exactly `rows` integers, and running sums beyond the safe integers (they would
 * silently lose precision).
 */
export function decodeColumn(wire: unknown, rows: number): number[] {
  if (typeof wire === 'number') {
    if (!Number.isSafeInteger(wire)) throw new ColumnError('', `expected an integer column, found ${wire}`);
    return new Array<number>(rows).fill(wire);
  }
  if (!Array.isArray(wire)) throw new ColumnError('', `expected an integer or an array of ${rows} integers`);
  if (wire.length !== rows) throw new ColumnError('', `expected ${rows} rows, found ${wire.length}`);
  const out = new Array<number>(rows);
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const d = wire[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d)) throw new ColumnError(`[${i}]`, `expected an integer, found ${typeof d === 'number' ? d : typeof d}`);
    sum += d;
    if (!Number.isSafeInteger(sum)) throw new ColumnError(`[${i}]`, 'the running sum leaves the safe integers');
    out[i] = sum;
  }
  return out;
}
