/**
 * The checks every batch decoder makes on what a generic CBOR decoder gave it: each refuses with
 * a BatchError naming the place (`series[3][2]`) and the reason, never a TypeError from deep
 * inside; consumers and `kerb decode` rely on that.
 */
import { MAX_ABS_TIME_MS } from './format.js';

export type BatchErrorCode = 'E_BATCH_CBOR' | 'E_BATCH_SHAPE' | 'E_BATCH_VERSION' | 'E_BATCH_DEFLATE';

export class BatchError extends Error {
  constructor(readonly code: BatchErrorCode, readonly path: string, message: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'BatchError';
  }
}

export function shape(path: string, message: string): never {
  throw new BatchError('E_BATCH_SHAPE', path, message);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v instanceof Uint8Array) return `a byte string of ${v.length}`;
  return typeof v === 'object' ? 'a map' : `${typeof v} ${String(v).slice(0, 40)}`;
}

export function int(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) shape(path, `expected an integer, found ${describe(v)}`);
  return v;
}

export function uint(v: unknown, path: string): number {
  const n = int(v, path);
  if (n < 0) shape(path, `expected an unsigned integer, found ${n}`);
  return n;
}

/** A time (or a time plus an offset) a Date can represent; anything else is a corrupt batch. */
export function time(v: number, path: string): number {
  if (Math.abs(v) > MAX_ABS_TIME_MS) shape(path, `time ${v} is outside the range of dates`);
  return v;
}

export function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) shape(path, `expected a number, found ${describe(v)}`);
  return v;
}

export function str(v: unknown, path: string): string {
  if (typeof v !== 'string') shape(path, `expected a text string, found ${describe(v)}`);
  return v;
}

export function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) shape(path, `expected an array, found ${describe(v)}`);
  return v;
}

export function map(v: unknown, path: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Uint8Array) shape(path, `expected a map, found ${describe(v)}`);
  return v as Record<string, unknown>;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  const s = str(v, path);
  if (!(allowed as readonly string[]).includes(s)) shape(path, `expected one of ${allowed.join(', ')}, found '${s}'`);
  return s as T;
}

export function index<T>(table: readonly T[], v: unknown, path: string, what: string): T {
  const i = uint(v, path);
  if (i >= table.length) shape(path, `${what} index ${i} is outside the ${what} table of ${table.length}`);
  return table[i]!;
}
