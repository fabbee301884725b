/**
 * Array methods that call a function argument synchronously and do not keep it. A function
 * literal handed straight to one of them inside a loop runs during the iteration, so it sees the
 * loop header variable's current value even on Espruino, where the header has one binding for
 * the whole loop. Both loop-closure checks (subset-loops.ts on the TypeScript, allowlist.ts on
 * the bundle) exempt these callbacks. Matched by name whatever the receiver, so our own classes
 * should not give these names to methods that store a callback.
 */
export const IMMEDIATE_CALLBACK_METHODS: ReadonlySet<string> = new Set([
  'some', 'every', 'find', 'findIndex', 'filter', 'map', 'forEach', 'reduce', 'indexOf', 'includes', 'sort',
]);
