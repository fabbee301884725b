/**
 * Structural mutations of plain data (a decoded batch, a parsed profile, a bundle envelope):
 * one place in the tree gets a value of another type, a boundary number, an attack key, or is
 * removed or repeated. Formats are checked past their syntax only by inputs that keep most of
 * their shape, which random bytes and text rarely do.
 */
import fc from 'fast-check';

type Path = Array<string | number>;

function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (out.length > 400) return out;
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, at.concat(i), out));
  else if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) paths(v, at.concat(k), out);
  }
  return out;
}

function clone(value: unknown): unknown {
  if (value instanceof Uint8Array) return Uint8Array.from(value);
  if (Array.isArray(value)) return value.map(clone);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: clone(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** Values that break assumptions: wrong types, boundary numbers, huge and odd text. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1, 0.5, -0, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, 8.64e15 + 1, 65536, 255, 256, 15, 16, -16,
    '', ' ', 'x'.repeat(300), '__proto__', 'constructor', 'toString', 'lamp', 'bin', 'parking', 'gauge', 'state', 'deflate', '1.0.0', 'D2', '\u0000', '\ud800'),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.integer({ min: -3, max: 70000 }), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

export type DataMutation = (value: unknown) => unknown;

function setAt(root: unknown, path: Path, f: (parent: any, key: string | number) => void): unknown {
  if (path.length === 0) return root;
  let parent: any = root;
  for (const seg of path.slice(0, -1)) parent = parent[seg];
  f(parent, path[path.length - 1]!);
  return root;
}

const mutation: fc.Arbitrary<DataMutation> = fc.oneof(
  fc.tuple(fc.nat(), oddValue).map(([pick, v]): DataMutation => (root) => {
    const ps = paths(root);
    const p = ps[pick % ps.length]!;
    if (p.length === 0) return clone(v);
    return setAt(root, p, (parent, key) => Object.defineProperty(parent, key, { value: clone(v), enumerable: true, writable: true, configurable: true }));
  }),
  fc.nat().map((pick): DataMutation => (root) => {
    const ps = paths(root).filter((p) => p.length > 0);
    if (ps.length === 0) return root;
    return setAt(root, ps[pick % ps.length]!, (parent, key) => (Array.isArray(parent) ? parent.splice(Number(key), 1) : delete parent[key]));
  }),
  fc.tuple(fc.nat(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'polluted', 'x', 'toString'), oddValue).map(([pick, key, v]): DataMutation => (root) => {
    const maps = paths(root).filter((p) => {
      let x: any = root;
      for (const s of p) x = x[s];
      return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Uint8Array);
    });
    if (maps.length === 0) return root;
    let target: any = root;
    for (const s of maps[pick % maps.length]!) target = target[s];
    Object.defineProperty(target, key, { value: clone(key === '__proto__' ? { polluted: v } : v), enumerable: true, writable: true, configurable: true });
    return root;
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 2, max: 40 })).map(([pick, n]): DataMutation => (root) => {
    const arrays = paths(root).filter((p) => {
      let x: any = root;
      for (const s of p) x = x[s];
      return Array.isArray(x) && x.length > 0;
    });
    if (arrays.length === 0) return root;
    let target: any = root;
    for (const s of arrays[pick % arrays.length]!) target = target[s];
    const first = target[0];
    for (let i = 0; i < n; i++) target.push(clone(first));
    return root;
  }),
);

/** `base` with one to three mutations applied to a copy (values are copied in too: fast-check reuses them). */
export function mutatedData<T>(base: fc.Arbitrary<T>, max = 3): fc.Arbitrary<unknown> {
  return fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: max })).map(([b, ms]) => ms.reduce((acc, m) => m(acc), clone(b)));
}
