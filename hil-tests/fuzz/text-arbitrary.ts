/**
 * Text inputs for the YAML/JSON loaders: real files mutated as text, real data mutated as data
 * and written back as YAML or JSON, and random text.
 */
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { mutatedData } from './data-mutate.js';
import { mutatedText } from './mutate.js';

function written(value: unknown, asJson: boolean): string {
  try {
    return asJson ? JSON.stringify(value, null, 1) ?? 'null' : stringify(value);
  } catch {
    return '';
  }
}

export function configText(realTexts: readonly string[]): fc.Arbitrary<string> {
  const real = fc.constantFrom(...realTexts);
  const data = realTexts.map((t) => parse(t) as unknown);
  const asData = fc.tuple(mutatedData(fc.constantFrom(...data)), fc.boolean()).map(([v, json]) => written(v, json));
  return fc.oneof(
    { weight: 3, arbitrary: mutatedText(real) },
    { weight: 4, arbitrary: asData },
    { weight: 1, arbitrary: mutatedText(asData) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
  );
}
