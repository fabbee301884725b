/**
 * A broker that accepts connections and never acknowledges a publish: an MQTT server whose
 * storage is stuck, or a middlebox that swallows traffic. It answers CONNECT (refusing MQTT 5
 * like a 3.1.1 broker, so the client falls back) and nothing else.
 */
import net from 'node:net';

export interface SilentBroker {
  port: number;
  /** PUBLISH packets received so far. */
  publishes(): number;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

export async function startSilentBroker(port = 0): Promise<SilentBroker> {
  let publishes = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        // Fixed header: type in the high nibble, then the variable-length remaining length.
        let length = 0;
        let multiplier = 1;
        let i = 1;
        for (; i < buffer.length && i <= 4; i++) {
          length += (buffer[i]! & 127) * multiplier;
          multiplier *= 128;
          if ((buffer[i]! & 128) === 0) break;
        }
        if (i >= buffer.length || buffer.length < i + 1 + length) return;
        const type = buffer[0]! >> 4;
        const body = buffer.subarray(i + 1, i + 1 + length);
        buffer = buffer.subarray(i + 1 + length);
        if (type === 1) {
          const level = body[2 + body.readUInt16BE(0)];
          socket.write(Buffer.from([0x20, 0x02, 0x00, level === 5 ? 0x01 : 0x00])); // CONNACK
        } else if (type === 3) {
          publishes++;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    publishes: () => publishes,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
