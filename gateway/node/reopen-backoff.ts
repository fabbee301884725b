/**
 * How long a node driver waits before trying its port again: 1 s, doubling to a cap of 30 s.
 * No jitter: a gateway reopens its own local ports, nobody else competes for them, and a
 * technician replugging a cable should see the node back within the cap.
 */
export class ReopenBackoff {
  private attempt = 0;

  constructor(private readonly firstMs = 1_000, private readonly maxMs = 30_000) {}

  next(): number {
    const delay = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.attempt, 20));
    this.attempt++;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}
