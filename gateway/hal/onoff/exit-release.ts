/**
 * Unexports every GPIO the process still holds when it ends: on process exit (which Node also
 * emits after an uncaught exception) and on SIGINT, SIGTERM and SIGHUP. A pin left exported
 * stays configured after we are gone; the next run would find it in use (see exported-line.ts
 * for how a start after a hard crash cleans up).
 *
 * Signals are never swallowed. When another listener (the gateway's graceful shutdown) handles
 * the signal, it owns the shutdown: it stops the devices, whose close() releases their pins, and
 * the exit hook catches the rest. When ours is the only listener, the pins are released, our
 * listeners removed and the signal raised again, so its default action (ending the process)
 * happens as if we had never listened. Listeners are installed once, while anything is held.
 */

/** What the registry needs of `process`; tests pass an EventEmitter. */
export interface ProcessLike {
  readonly pid: number;
  on(event: string, listener: (signal: string) => void): unknown;
  removeListener(event: string, listener: (signal: string) => void): unknown;
  listenerCount(event: string): number;
  kill(pid: number, signal: string): unknown;
}

export const RELEASE_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export class ExitRelease {
  /** Release functions by sysfs GPIO number. */
  private readonly held = new Map<number, () => void>();
  private hooks: 'none' | 'installed' = 'none';
  private readonly onExit = (): void => this.releaseAll();
  private readonly onSignal = (signal: string): void => this.signalled(signal);

  constructor(private readonly proc: ProcessLike) {}

  /** True while some open line of this process holds sysfs GPIO `gpio`. */
  has(gpio: number): boolean {
    return this.held.has(gpio);
  }

  /** Numbers of the GPIOs held now. */
  gpios(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  add(gpio: number, release: () => void): void {
    this.held.set(gpio, release);
    if (this.hooks === 'none') this.install();
  }

  remove(gpio: number): void {
    this.held.delete(gpio);
    if (this.held.size === 0 && this.hooks === 'installed') this.uninstall();
  }

  /** Releases everything held; one failure does not stop the others. */
  releaseAll(): void {
    for (const [gpio, release] of [...this.held]) {
      this.held.delete(gpio);
      try {
        release();
      } catch {
        // The process is ending; the next start cleans up what could not be released.
      }
    }
    if (this.hooks === 'installed') this.uninstall();
  }

  private signalled(signal: string): void {
    if (this.proc.listenerCount(signal) > 1) return; // someone else owns this shutdown
    this.releaseAll(); // also removes our listeners
    this.proc.kill(this.proc.pid, signal);
  }

  private install(): void {
    this.hooks = 'installed';
    this.proc.on('exit', this.onExit);
    for (const s of RELEASE_SIGNALS) this.proc.on(s, this.onSignal);
  }

  private uninstall(): void {
    this.hooks = 'none';
    this.proc.removeListener('exit', this.onExit);
    for (const s of RELEASE_SIGNALS) this.proc.removeListener(s, this.onSignal);
  }
}

/** The registry of this process: every OnoffHal shares it unless a test passes its own. */
export const processExitRelease = new ExitRelease(process);
