/**
 * process.memory() in Espruino's unit, the JsVar (a 12-16 byte block; an object property costs
 * about two). QuickJS counts objects, properties, strings and array slots, so the estimate is
 * one var per object, property, string and array element plus one per 12 bytes of string data
 * and 16 bytes of binary data. It is measured against a baseline taken when the globals are
 * installed: Espruino's built-ins live in flash and cost no vars. Good for budgets and trends
 * ("does a day of running grow memory?"), not a byte-exact copy of a Pico's count.
 */
export function jsVarsEstimate(usage: Record<string, number>): number {
  const n = (k: string) => usage[k] ?? 0;
  return n('obj_count') + n('prop_count') + n('str_count') + Math.ceil(n('str_size') / 12) +
    n('fast_array_elements') + Math.ceil(n('binary_object_size') / 16);
}
