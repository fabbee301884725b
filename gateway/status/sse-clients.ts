/**
 * The browsers following /events (Server-Sent Events). Every message goes to every client; a
 * comment line every `heartbeatMs` keeps proxies and phones from closing an idle stream. A client
 * that reads too slowly (more than MAX_BUFFERED bytes waiting) is dropped rather than allowed to
 * grow the gateway's memory; its EventSource reconnects and starts from a fresh snapshot.
 */
import type { ServerResponse } from 'node:http';
import type { Clock, TimerId } from '../../firmware/hal/clock.js';

const MAX_BUFFERED = 1024 * 1024;

export class SseClients {
  private readonly clients = new Set<ServerResponse>();
  private heartbeat: TimerId | undefined;

  constructor(private readonly clock: Clock, private readonly heartbeatMs: number, readonly max: number) {}

  get size(): number {
    return this.clients.size;
  }

  /** Opens the stream on `res`; `first` is sent at once. False (and a 503) when too many follow. */
  add(res: ServerResponse, first: string, headers: Record<string, string>): boolean {
    if (this.clients.size >= this.max) {
      res.writeHead(503, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '10' })
        .end(`503: ${this.max} browsers already follow this page\n`);
      return false;
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    res.write('retry: 3000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    this.send(res, first);
    if (this.heartbeat === undefined) this.heartbeat = this.clock.setInterval(() => this.beat(), this.heartbeatMs);
    return true;
  }

  /** Sends one `data:` message (JSON, no newlines) to every client. */
  broadcast(data: string): void {
    for (const res of this.clients) this.send(res, data);
  }

  /** Ends every stream and the heartbeat. */
  closeAll(): void {
    if (this.heartbeat !== undefined) this.clock.clearTimer(this.heartbeat);
    this.heartbeat = undefined;
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private send(res: ServerResponse, data: string): void {
    if (res.writableLength > MAX_BUFFERED) {
      this.clients.delete(res);
      res.destroy();
      return;
    }
    res.write(`data: ${data}\n\n`);
  }

  private beat(): void {
    if (this.clients.size === 0) {
      if (this.heartbeat !== undefined) this.clock.clearTimer(this.heartbeat);
      this.heartbeat = undefined;
      return;
    }
    for (const res of this.clients) res.write(': keep-alive\n\n');
  }
}
