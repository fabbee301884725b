/**
 * YAML and JSON texts that have taken parsers and validators down: alias bombs, deep nesting,
 * huge numbers, prototype-pollution keys, tags, and values of the wrong type. Profile and site
 * targets try each, alone and where their format puts a value.
 */
const laughs = (levels: number, width: number): string => {
  const lines = ['a0: &a0 "lol"'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${new Array(width).fill(`*a${i - 1}`).join(', ')}]`);
  return lines.join('\n') + `\nkind: lamp\nconfig: *a${levels}\n`;
};

export const TEXT_SEEDS: Array<{ name: string; input: string }> = [
  { name: 'billion laughs (9 levels of 10 aliases)', input: laughs(9, 10) },
  { name: 'alias bomb of 30 doublings', input: laughs(30, 2) },
  { name: 'merge-key alias bomb', input: 'a: &a {x: 1}\n' + Array.from({ length: 20 }, (_, i) => `b${i}: &b${i} {<<: [${i === 0 ? '*a' : `*b${i - 1}, *b${i - 1}`}]}`).join('\n') + '\n' },
  { name: 'an alias of itself', input: 'a: &a [*a]\n' },
  { name: 'an undefined alias', input: 'kind: *nowhere\n' },
  { name: '10,000 nested flow sequences', input: '['.repeat(10_000) + ']'.repeat(10_000) },
  { name: '10,000 nested flow maps', input: '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) },
  { name: '2,000 nested block maps', input: Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1\n' },
  { name: '10,000 unclosed flow sequences', input: '['.repeat(10_000) },
  { name: 'a 400-digit number', input: `kind: lamp\nversion: ${'9'.repeat(400)}\n` },
  { name: 'numbers beyond doubles', input: 'kind: lamp\nversion: 1e400\nconfig: { holdS: -1e400, fadeS: .nan }\n' },
  { name: 'a __proto__ key', input: '__proto__: { polluted: 1 }\nkind: lamp\n' },
  { name: 'a quoted __proto__ key in config', input: 'kind: lamp\nconfig:\n  "__proto__": { polluted: 1 }\n  holdS: 30\n' },
  { name: 'constructor.prototype', input: 'constructor: { prototype: { polluted: 1 } }\nkind: lamp\n' },
  { name: 'a __proto__ merge key', input: 'x: &x { __proto__: { polluted: 1 } }\nkind: lamp\nconfig: { <<: *x }\n' },
  { name: 'JSON __proto__', input: '{"__proto__": {"polluted": 1}, "kind": "lamp", "constructor": {"prototype": {"polluted": 1}}}' },
  { name: 'wrong types everywhere', input: 'kind: [lamp]\nmodel: 12\nversion: "1"\npins: [D2]\nconfig: yes\nreporting: 5\n' },
  { name: 'custom tags', input: 'kind: !!binary aGVsbG8=\nconfig: !!js/function "function(){}"\nmodel: !foo bar\n' },
  { name: 'a set and an omap', input: 'kind: !!set { a, b }\nconfig: !!omap [ a: 1 ]\n' },
  { name: 'a timestamp', input: 'kind: lamp\nversion: 2001-12-14t21:59:43.10-05:00\n' },
  { name: 'duplicate keys', input: 'kind: lamp\nkind: bin\n' },
  { name: 'several documents', input: 'kind: lamp\n---\nkind: bin\n' },
  { name: 'a BOM and a NUL', input: '\ufeffkind: lamp\u0000\n' },
  { name: 'a lone surrogate', input: 'kind: "\ud800"\n' },
  { name: 'tabs for indentation', input: 'kind: lamp\nconfig:\n\tholdS: 3\n' },
  { name: 'a 100,000-character key', input: 'k'.repeat(100_000) + ': 1\n' },
  { name: 'a 1,000,000-character string', input: `kind: lamp\nmodel: "${'m'.repeat(1_000_000)}"\n` },
  // 10,000 devices take 0.3-0.7 s (linear: YAML parsing and one check per device), past the 250 ms bound for one input.
  { name: '1,000 devices', input: 'version: 1\nsite: s\ngateway: g\ndevices:\n' + '  - { id: x, profile: p }\n'.repeat(1_000) },
  { name: 'empty', input: '' },
  { name: 'only a comment', input: '# nothing\n' },
  { name: 'a directive and nothing else', input: '%YAML 1.1\n---\n' },
  { name: 'JSON with trailing garbage', input: '{"kind": "lamp"} x' },
  { name: 'JSON 10,000 nested arrays', input: '{"kind":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}' },
];
