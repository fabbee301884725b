/**
 * Waits for a condition that depends on real I/O (a broker over TCP), polling often and failing
 * with the given description after a generous deadline. Never a fixed sleep: the test goes on the
 * moment the condition holds.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
