/**
 * The JavaScript language library as the Espruino interpreter provides it: what firmware/ may
 * use. firmware/tsconfig.json type-checks with `"lib": []` and this file, so a built-in that
 * Espruino lacks is a type error at the .ts line instead of a ReferenceError in the field.
 *
 * Based on TypeScript's lib.es5.d.ts / lib.es2015.*.d.ts, keeping only members that Espruino
 * implements (/work/shared/ESPRUINO.md; espruino.com/Features; src/jswrap_*.c). Left out on
 * purpose, because Espruino has none of them: Symbol, Map, Set, WeakMap, WeakSet, Proxy, Reflect,
 * BigInt, Intl, iterators/generators (no Iterable, so for..of is only typed over arrays and
 * strings), Object.freeze/seal/preventExtensions/is*, Array.from/of, lastIndexOf, flat/flatMap,
 * Math.trunc and the other ES2015 Math additions (sign excepted), Number.isNaN/isFinite/isInteger/EPSILON,
 * Promise.prototype.finally, Promise.race/allSettled/any, RangeError/EvalError/URIError,
 * Date.prototype.toJSON, Object.prototype.propertyIsEnumerable.
 *
 * Not every member here is on every board (some are left out of SAVE_ON_FLASH builds); this is
 * the set for the boards we ship to (Pico, Original, Puck.js, ESP32).
 */

// ---------------------------------------------------------------- global values and functions

declare var NaN: number;
declare var Infinity: number;
/** Logic 1 / 0, for Arduino-style code. */
declare var HIGH: 1;
declare var LOW: 0;
declare function eval(x: string): any;
declare function parseInt(string: string, radix?: number): number;
declare function parseFloat(string: string): number;
declare function isNaN(number: number): boolean;
declare function isFinite(number: number): boolean;
declare function decodeURIComponent(encodedURIComponent: string): string;
declare function encodeURIComponent(uriComponent: string | number | boolean): string;
declare function btoa(binaryData: string): string;
declare function atob(base64Data: string): string;

// ---------------------------------------------------------------- core types TypeScript requires

/**
 * TypeScript names `symbol` in PropertyKey; Espruino has no Symbol, and no global value or
 * constructor is declared, so a symbol can never be made.
 */
declare type PropertyKey = string | number | symbol;

interface PropertyDescriptor {
  configurable?: boolean;
  enumerable?: boolean;
  value?: any;
  writable?: boolean;
  get?(): any;
  set?(v: any): void;
}

interface PropertyDescriptorMap {
  [key: PropertyKey]: PropertyDescriptor;
}

interface Object {
  constructor: Function;
  toString(): string;
  valueOf(): Object;
  hasOwnProperty(v: PropertyKey): boolean;
}

interface ObjectConstructor {
  new (value?: any): Object;
  (): any;
  (value: any): any;
  readonly prototype: Object;
  getPrototypeOf(o: any): any;
  setPrototypeOf(o: any, proto: object | null): any;
  getOwnPropertyDescriptor(o: any, p: PropertyKey): PropertyDescriptor | undefined;
  getOwnPropertyNames(o: any): string[];
  create(o: object | null): any;
  create(o: object | null, properties: PropertyDescriptorMap & ThisType<any>): any;
  defineProperty<T>(o: T, p: PropertyKey, attributes: PropertyDescriptor & ThisType<any>): T;
  defineProperties<T>(o: T, properties: PropertyDescriptorMap & ThisType<any>): T;
  keys(o: object): string[];
  values<T>(o: { [s: string]: T } | ArrayLike<T>): T[];
  values(o: {}): any[];
  entries<T>(o: { [s: string]: T } | ArrayLike<T>): [string, T][];
  entries(o: {}): [string, any][];
  assign<T extends {}, U>(target: T, source: U): T & U;
  assign<T extends {}, U, V>(target: T, source1: U, source2: V): T & U & V;
  assign<T extends {}, U, V, W>(target: T, source1: U, source2: V, source3: W): T & U & V & W;
  assign(target: object, ...sources: any[]): any;
}
declare var Object: ObjectConstructor;

interface Function {
  apply(this: Function, thisArg: any, argArray?: any): any;
  call(this: Function, thisArg: any, ...argArray: any[]): any;
  bind(this: Function, thisArg: any, ...argArray: any[]): any;
  toString(): string;
  prototype: any;
  readonly length: number;
}

interface FunctionConstructor {
  new (...args: string[]): Function;
  (...args: string[]): Function;
  readonly prototype: Function;
}
declare var Function: FunctionConstructor;

type ThisParameterType<T> = T extends (this: infer U, ...args: never) => any ? U : unknown;
type OmitThisParameter<T> = unknown extends ThisParameterType<T> ? T : T extends (...args: infer A) => infer R ? (...args: A) => R : T;

interface CallableFunction extends Function {
  apply<T, R>(this: (this: T) => R, thisArg: T): R;
  apply<T, A extends any[], R>(this: (this: T, ...args: A) => R, thisArg: T, args: A): R;
  call<T, A extends any[], R>(this: (this: T, ...args: A) => R, thisArg: T, ...args: A): R;
  bind<T>(this: T, thisArg: ThisParameterType<T>): OmitThisParameter<T>;
  bind<T, A extends any[], B extends any[], R>(this: (this: T, ...args: [...A, ...B]) => R, thisArg: T, ...args: A): (...args: B) => R;
}

interface NewableFunction extends Function {
  apply<T>(this: new () => T, thisArg: T): void;
  apply<T, A extends any[]>(this: new (...args: A) => T, thisArg: T, args: A): void;
  call<T, A extends any[]>(this: new (...args: A) => T, thisArg: T, ...args: A): void;
  bind<T>(this: T, thisArg: any): T;
  bind<A extends any[], B extends any[], R>(this: new (...args: [...A, ...B]) => R, thisArg: any, ...args: A): new (...args: B) => R;
}

interface IArguments {
  [index: number]: any;
  length: number;
  callee: Function;
}

// ---------------------------------------------------------------- String, Boolean, Number

interface String {
  toString(): string;
  charAt(pos: number): string;
  charCodeAt(index: number): number;
  concat(...strings: string[]): string;
  indexOf(searchString: string, position?: number): number;
  includes(searchString: string, position?: number): boolean;
  startsWith(searchString: string, position?: number): boolean;
  endsWith(searchString: string, endPosition?: number): boolean;
  match(regexp: string | RegExp): RegExpMatchArray | null;
  /** With a string, replaces the first occurrence only; a replacer function needs a RegExp. */
  replace(searchValue: string | RegExp, replaceValue: string): string;
  replace(searchValue: RegExp, replacer: (substring: string, ...args: any[]) => string): string;
  slice(start?: number, end?: number): string;
  split(separator: string | RegExp): string[];
  substring(start: number, end?: number): string;
  substr(from: number, length?: number): string;
  toLowerCase(): string;
  toUpperCase(): string;
  trim(): string;
  repeat(count: number): string;
  padStart(maxLength: number, fillString?: string): string;
  padEnd(maxLength: number, fillString?: string): string;
  readonly length: number;
  valueOf(): string;
  readonly [index: number]: string;
}

interface StringConstructor {
  new (value?: any): String;
  (value?: any): string;
  readonly prototype: String;
  fromCharCode(...codes: number[]): string;
}
declare var String: StringConstructor;

interface Boolean {
  valueOf(): boolean;
}

interface BooleanConstructor {
  new (value?: any): Boolean;
  <T>(value?: T): boolean;
  readonly prototype: Boolean;
}
declare var Boolean: BooleanConstructor;

interface Number {
  toString(radix?: number): string;
  toFixed(fractionDigits?: number): string;
  valueOf(): number;
}

interface NumberConstructor {
  new (value?: any): Number;
  (value?: any): number;
  readonly prototype: Number;
  readonly MAX_VALUE: number;
  readonly MIN_VALUE: number;
  readonly NaN: number;
  readonly NEGATIVE_INFINITY: number;
  readonly POSITIVE_INFINITY: number;
}
declare var Number: NumberConstructor;

interface TemplateStringsArray extends ReadonlyArray<string> {
  readonly raw: readonly string[];
}

// ---------------------------------------------------------------- Math, Date, RegExp, JSON

interface Math {
  readonly E: number;
  readonly LN10: number;
  readonly LN2: number;
  readonly LOG2E: number;
  readonly LOG10E: number;
  readonly PI: number;
  readonly SQRT1_2: number;
  readonly SQRT2: number;
  abs(x: number): number;
  acos(x: number): number;
  asin(x: number): number;
  atan(x: number): number;
  atan2(y: number, x: number): number;
  ceil(x: number): number;
  cos(x: number): number;
  exp(x: number): number;
  floor(x: number): number;
  log(x: number): number;
  max(...values: number[]): number;
  min(...values: number[]): number;
  pow(x: number, y: number): number;
  random(): number;
  /** Espruino rounds halves away from zero: Math.round(-2.5) is -3 (JavaScript gives -2). */
  round(x: number): number;
  /** -1, 0 or 1 (current builds; not on SAVE_ON_FLASH_EXTREME boards). */
  sign(x: number): number;
  sin(x: number): number;
  sqrt(x: number): number;
  tan(x: number): number;
}
declare var Math: Math;

/** Espruino's Date is basic: local time, no UTC getters, no toJSON. */
interface Date {
  toString(): string;
  toISOString(): string;
  toUTCString(): string;
  valueOf(): number;
  getTime(): number;
  getFullYear(): number;
  getMonth(): number;
  getDate(): number;
  getDay(): number;
  getHours(): number;
  getMinutes(): number;
  getSeconds(): number;
  getMilliseconds(): number;
  getTimezoneOffset(): number;
  setTime(time: number): number;
  setFullYear(year: number, month?: number, date?: number): number;
  setMonth(month: number, date?: number): number;
  setDate(date: number): number;
  setHours(hours: number, min?: number, sec?: number, ms?: number): number;
  setMinutes(min: number, sec?: number, ms?: number): number;
  setSeconds(sec: number, ms?: number): number;
  setMilliseconds(ms: number): number;
}

interface DateConstructor {
  new (): Date;
  new (value: number | string): Date;
  new (year: number, monthIndex: number, date?: number, hours?: number, minutes?: number, seconds?: number, ms?: number): Date;
  (): string;
  readonly prototype: Date;
  parse(s: string): number;
  now(): number;
}
declare var Date: DateConstructor;

interface RegExpMatchArray extends Array<string> {
  index?: number;
  input?: string;
  0: string;
}

interface RegExpExecArray extends Array<string> {
  index: number;
  input: string;
  0: string;
}

/** Simple regular expressions only: no lookaround, no {n} quantifiers, no sticky/unicode flags. */
interface RegExp {
  exec(string: string): RegExpExecArray | null;
  test(string: string): boolean;
  readonly source: string;
  readonly global: boolean;
  readonly ignoreCase: boolean;
  lastIndex: number;
}

interface RegExpConstructor {
  new (pattern: RegExp | string, flags?: string): RegExp;
  (pattern: RegExp | string, flags?: string): RegExp;
  readonly prototype: RegExp;
}
declare var RegExp: RegExpConstructor;

interface JSON {
  parse(text: string): any;
  stringify(value: any, replacer?: null | undefined, space?: string | number): string;
}
declare var JSON: JSON;

// ---------------------------------------------------------------- errors

interface Error {
  name: string;
  message: string;
  stack?: string;
}

interface ErrorConstructor {
  new (message?: string): Error;
  (message?: string): Error;
  readonly prototype: Error;
}
declare var Error: ErrorConstructor;

interface TypeError extends Error {}
interface TypeErrorConstructor extends ErrorConstructor {
  new (message?: string): TypeError;
  (message?: string): TypeError;
  readonly prototype: TypeError;
}
declare var TypeError: TypeErrorConstructor;

interface SyntaxError extends Error {}
interface SyntaxErrorConstructor extends ErrorConstructor {
  new (message?: string): SyntaxError;
  (message?: string): SyntaxError;
  readonly prototype: SyntaxError;
}
declare var SyntaxError: SyntaxErrorConstructor;

interface ReferenceError extends Error {}
interface ReferenceErrorConstructor extends ErrorConstructor {
  new (message?: string): ReferenceError;
  (message?: string): ReferenceError;
  readonly prototype: ReferenceError;
}
declare var ReferenceError: ReferenceErrorConstructor;

/** Espruino's own: thrown for interpreter failures such as running out of memory. */
interface InternalError extends Error {}
interface InternalErrorConstructor extends ErrorConstructor {
  new (message?: string): InternalError;
  (message?: string): InternalError;
  readonly prototype: InternalError;
}
declare var InternalError: InternalErrorConstructor;

// ---------------------------------------------------------------- arrays

interface ConcatArray<T> {
  readonly length: number;
  readonly [n: number]: T;
  join(separator?: string): string;
  slice(start?: number, end?: number): T[];
}

interface ReadonlyArray<T> {
  readonly length: number;
  toString(): string;
  concat(...items: ConcatArray<T>[]): T[];
  concat(...items: (T | ConcatArray<T>)[]): T[];
  join(separator?: string): string;
  slice(start?: number, end?: number): T[];
  indexOf(searchElement: T, fromIndex?: number): number;
  includes(searchElement: T, fromIndex?: number): boolean;
  find<S extends T>(predicate: (value: T, index: number, obj: readonly T[]) => value is S, thisArg?: any): S | undefined;
  find(predicate: (value: T, index: number, obj: readonly T[]) => unknown, thisArg?: any): T | undefined;
  findIndex(predicate: (value: T, index: number, obj: readonly T[]) => unknown, thisArg?: any): number;
  every<S extends T>(predicate: (value: T, index: number, array: readonly T[]) => value is S, thisArg?: any): this is readonly S[];
  every(predicate: (value: T, index: number, array: readonly T[]) => unknown, thisArg?: any): boolean;
  some(predicate: (value: T, index: number, array: readonly T[]) => unknown, thisArg?: any): boolean;
  forEach(callbackfn: (value: T, index: number, array: readonly T[]) => void, thisArg?: any): void;
  map<U>(callbackfn: (value: T, index: number, array: readonly T[]) => U, thisArg?: any): U[];
  filter<S extends T>(predicate: (value: T, index: number, array: readonly T[]) => value is S, thisArg?: any): S[];
  filter(predicate: (value: T, index: number, array: readonly T[]) => unknown, thisArg?: any): T[];
  reduce(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: readonly T[]) => T): T;
  reduce(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: readonly T[]) => T, initialValue: T): T;
  reduce<U>(callbackfn: (previousValue: U, currentValue: T, currentIndex: number, array: readonly T[]) => U, initialValue: U): U;
  reduceRight(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: readonly T[]) => T): T;
  reduceRight(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: readonly T[]) => T, initialValue: T): T;
  reduceRight<U>(callbackfn: (previousValue: U, currentValue: T, currentIndex: number, array: readonly T[]) => U, initialValue: U): U;
  readonly [n: number]: T;
}

interface Array<T> {
  length: number;
  toString(): string;
  pop(): T | undefined;
  push(...items: T[]): number;
  concat(...items: ConcatArray<T>[]): T[];
  concat(...items: (T | ConcatArray<T>)[]): T[];
  join(separator?: string): string;
  reverse(): T[];
  shift(): T | undefined;
  slice(start?: number, end?: number): T[];
  sort(compareFn?: (a: T, b: T) => number): this;
  splice(start: number, deleteCount?: number): T[];
  splice(start: number, deleteCount: number, ...items: T[]): T[];
  unshift(...items: T[]): number;
  indexOf(searchElement: T, fromIndex?: number): number;
  includes(searchElement: T, fromIndex?: number): boolean;
  find<S extends T>(predicate: (value: T, index: number, obj: T[]) => value is S, thisArg?: any): S | undefined;
  find(predicate: (value: T, index: number, obj: T[]) => unknown, thisArg?: any): T | undefined;
  findIndex(predicate: (value: T, index: number, obj: T[]) => unknown, thisArg?: any): number;
  fill(value: T, start?: number, end?: number): this;
  every<S extends T>(predicate: (value: T, index: number, array: T[]) => value is S, thisArg?: any): this is S[];
  every(predicate: (value: T, index: number, array: T[]) => unknown, thisArg?: any): boolean;
  some(predicate: (value: T, index: number, array: T[]) => unknown, thisArg?: any): boolean;
  forEach(callbackfn: (value: T, index: number, array: T[]) => void, thisArg?: any): void;
  map<U>(callbackfn: (value: T, index: number, array: T[]) => U, thisArg?: any): U[];
  filter<S extends T>(predicate: (value: T, index: number, array: T[]) => value is S, thisArg?: any): S[];
  filter(predicate: (value: T, index: number, array: T[]) => unknown, thisArg?: any): T[];
  reduce(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: T[]) => T): T;
  reduce(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: T[]) => T, initialValue: T): T;
  reduce<U>(callbackfn: (previousValue: U, currentValue: T, currentIndex: number, array: T[]) => U, initialValue: U): U;
  reduceRight(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: T[]) => T): T;
  reduceRight(callbackfn: (previousValue: T, currentValue: T, currentIndex: number, array: T[]) => T, initialValue: T): T;
  reduceRight<U>(callbackfn: (previousValue: U, currentValue: T, currentIndex: number, array: T[]) => U, initialValue: U): U;
  [n: number]: T;
}

interface ArrayConstructor {
  new <T>(arrayLength?: number): T[];
  new <T>(...items: T[]): T[];
  <T>(arrayLength?: number): T[];
  <T>(...items: T[]): T[];
  isArray(arg: any): arg is any[];
  readonly prototype: any[];
}
declare var Array: ArrayConstructor;

interface ArrayLike<T> {
  readonly length: number;
  readonly [n: number]: T;
}

interface TypedPropertyDescriptor<T> {
  enumerable?: boolean;
  configurable?: boolean;
  writable?: boolean;
  value?: T;
  get?: () => T;
  set?: (value: T) => void;
}

// ---------------------------------------------------------------- Promise: then/catch/resolve/reject/all

interface PromiseLike<T> {
  then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | undefined | null,
    onrejected?: ((reason: any) => TResult2 | PromiseLike<TResult2>) | undefined | null,
  ): PromiseLike<TResult1 | TResult2>;
}

/** No `finally`: Espruino's Promise has then and catch only. */
interface Promise<T> {
  then<TResult1 = T, TResult2 = never>(
    onfulfilled?: ((value: T) => TResult1 | PromiseLike<TResult1>) | undefined | null,
    onrejected?: ((reason: any) => TResult2 | PromiseLike<TResult2>) | undefined | null,
  ): Promise<TResult1 | TResult2>;
  catch<TResult = never>(onrejected?: ((reason: any) => TResult | PromiseLike<TResult>) | undefined | null): Promise<T | TResult>;
}

/** No race/allSettled/any. */
interface PromiseConstructor {
  readonly prototype: Promise<any>;
  new <T>(executor: (resolve: (value: T | PromiseLike<T>) => void, reject: (reason?: any) => void) => void): Promise<T>;
  all<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }>;
  reject<T = never>(reason?: any): Promise<T>;
  resolve(): Promise<void>;
  resolve<T>(value: T): Promise<Awaited<T>>;
  resolve<T>(value: T | PromiseLike<T>): Promise<Awaited<T>>;
}
declare var Promise: PromiseConstructor;

type Awaited<T> = T extends null | undefined ? T :
  T extends object & { then(onfulfilled: infer F, ...args: infer _): any } ?
    F extends ((value: infer V, ...args: infer _) => any) ? Awaited<V> : never :
  T;

// ---------------------------------------------------------------- utility types

type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
type Parameters<T extends (...args: any) => any> = T extends (...args: infer P) => any ? P : never;
type ConstructorParameters<T extends abstract new (...args: any) => any> = T extends abstract new (...args: infer P) => any ? P : never;
type ReturnType<T extends (...args: any) => any> = T extends (...args: any) => infer R ? R : any;
type InstanceType<T extends abstract new (...args: any) => any> = T extends abstract new (...args: any) => infer R ? R : any;
type Uppercase<S extends string> = intrinsic;
type Lowercase<S extends string> = intrinsic;
type Capitalize<S extends string> = intrinsic;
type Uncapitalize<S extends string> = intrinsic;
type NoInfer<T> = intrinsic;
interface ThisType<T> {}

// ---------------------------------------------------------------- binary data

interface ArrayBuffer {
  readonly byteLength: number;
}

interface ArrayBufferTypes {
  ArrayBuffer: ArrayBuffer;
}
type ArrayBufferLike = ArrayBufferTypes[keyof ArrayBufferTypes];

interface ArrayBufferConstructor {
  readonly prototype: ArrayBuffer;
  new (byteLength: number): ArrayBuffer;
}
declare var ArrayBuffer: ArrayBufferConstructor;

interface ArrayBufferView<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> {
  buffer: TArrayBuffer;
  byteLength: number;
  byteOffset: number;
}

/** Espruino's DataView: get/set for every width, little-endian when the flag is true. */
interface DataView<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> {
  readonly buffer: TArrayBuffer;
  readonly byteLength: number;
  readonly byteOffset: number;
  getFloat32(byteOffset: number, littleEndian?: boolean): number;
  getFloat64(byteOffset: number, littleEndian?: boolean): number;
  getInt8(byteOffset: number): number;
  getInt16(byteOffset: number, littleEndian?: boolean): number;
  getInt32(byteOffset: number, littleEndian?: boolean): number;
  getUint8(byteOffset: number): number;
  getUint16(byteOffset: number, littleEndian?: boolean): number;
  getUint32(byteOffset: number, littleEndian?: boolean): number;
  setFloat32(byteOffset: number, value: number, littleEndian?: boolean): void;
  setFloat64(byteOffset: number, value: number, littleEndian?: boolean): void;
  setInt8(byteOffset: number, value: number): void;
  setInt16(byteOffset: number, value: number, littleEndian?: boolean): void;
  setInt32(byteOffset: number, value: number, littleEndian?: boolean): void;
  setUint8(byteOffset: number, value: number): void;
  setUint16(byteOffset: number, value: number, littleEndian?: boolean): void;
  setUint32(byteOffset: number, value: number, littleEndian?: boolean): void;
}

interface DataViewConstructor {
  readonly prototype: DataView<ArrayBufferLike>;
  new <TArrayBuffer extends ArrayBufferLike>(buffer: TArrayBuffer, byteOffset?: number, byteLength?: number): DataView<TArrayBuffer>;
}
declare var DataView: DataViewConstructor;

/**
 * What every typed array shares (Espruino's ArrayBufferView prototype). `Self` is the concrete
 * array type, so subarray/slice/map/filter return the same kind.
 */
interface EspruinoTypedArray<Self, TArrayBuffer extends ArrayBufferLike> {
  readonly BYTES_PER_ELEMENT: number;
  readonly buffer: TArrayBuffer;
  readonly byteLength: number;
  readonly byteOffset: number;
  readonly length: number;
  fill(value: number, start?: number, end?: number): this;
  filter(predicate: (value: number, index: number, array: Self) => any, thisArg?: any): Self;
  find(predicate: (value: number, index: number, obj: Self) => boolean, thisArg?: any): number | undefined;
  findIndex(predicate: (value: number, index: number, obj: Self) => boolean, thisArg?: any): number;
  forEach(callbackfn: (value: number, index: number, array: Self) => void, thisArg?: any): void;
  includes(searchElement: number, fromIndex?: number): boolean;
  indexOf(searchElement: number, fromIndex?: number): number;
  join(separator?: string): string;
  map(callbackfn: (value: number, index: number, array: Self) => number, thisArg?: any): Self;
  reduce(callbackfn: (previousValue: number, currentValue: number, currentIndex: number, array: Self) => number): number;
  reduce(callbackfn: (previousValue: number, currentValue: number, currentIndex: number, array: Self) => number, initialValue: number): number;
  reduce<U>(callbackfn: (previousValue: U, currentValue: number, currentIndex: number, array: Self) => U, initialValue: U): U;
  reverse(): this;
  set(array: ArrayLike<number>, offset?: number): void;
  slice(start?: number, end?: number): Self;
  sort(compareFn?: (a: number, b: number) => number): this;
  subarray(begin?: number, end?: number): Self;
  toString(): string;
  [index: number]: number;
}

interface TypedArrayConstructorOf<Self> {
  readonly prototype: Self;
  readonly BYTES_PER_ELEMENT: number;
  new (length?: number): Self;
  new (array: ArrayLike<number> | ArrayBuffer): Self;
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): Self;
}

interface Int8Array<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends EspruinoTypedArray<Int8Array<TArrayBuffer>, TArrayBuffer> {}
interface Uint8Array<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends EspruinoTypedArray<Uint8Array<TArrayBuffer>, TArrayBuffer> {}
interface Uint8ClampedArray<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends EspruinoTypedArray<Uint8ClampedArray<TArrayBuffer>, TArrayBuffer> {}
interface Int16Array<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends EspruinoTypedArray<Int16Array<TArrayBuffer>, TArrayBuffer> {}
interface Uint16Array<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends EspruinoTypedArray<Uint16Array<TArrayBuffer>, TArrayBuffer> {}
interface Int32Array<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends EspruinoTypedArray<Int32Array<TArrayBuffer>, TArrayBuffer> {}
interface Uint32Array<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends EspruinoTypedArray<Uint32Array<TArrayBuffer>, TArrayBuffer> {}
interface Float32Array<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends EspruinoTypedArray<Float32Array<TArrayBuffer>, TArrayBuffer> {}
interface Float64Array<TArrayBuffer extends ArrayBufferLike = ArrayBufferLike> extends EspruinoTypedArray<Float64Array<TArrayBuffer>, TArrayBuffer> {}

declare var Int8Array: TypedArrayConstructorOf<Int8Array<ArrayBuffer>>;
declare var Uint8Array: TypedArrayConstructorOf<Uint8Array<ArrayBuffer>>;
declare var Uint8ClampedArray: TypedArrayConstructorOf<Uint8ClampedArray<ArrayBuffer>>;
declare var Int16Array: TypedArrayConstructorOf<Int16Array<ArrayBuffer>>;
declare var Uint16Array: TypedArrayConstructorOf<Uint16Array<ArrayBuffer>>;
declare var Int32Array: TypedArrayConstructorOf<Int32Array<ArrayBuffer>>;
declare var Uint32Array: TypedArrayConstructorOf<Uint32Array<ArrayBuffer>>;
declare var Float32Array: TypedArrayConstructorOf<Float32Array<ArrayBuffer>>;
declare var Float64Array: TypedArrayConstructorOf<Float64Array<ArrayBuffer>>;
