/**
 * An aedes MQTT broker on loopback, so `npm start` works on a fresh machine with nothing else
 * installed. It is for the demo and tests; in the field gateways talk to the city's broker.
 */
import net from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  url: string;
  port: number;
  /**
   * Calls `listener` for every message a client publishes, as it arrives: before the broker
   * acknowledges it (aedes sends a QoS 1 PUBACK before it routes the message, so its 'publish'
   * event can miss a message acknowledged just before the broker closed).
   */
  onPublish(listener: (topic: string, payload: Buffer) => void): void;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(port = 0, host = '127.0.0.1'): Promise<EmbeddedBroker> {
  const listeners: Array<(topic: string, payload: Buffer) => void> = [];
  const aedes = await Aedes.createBroker({
    authorizePublish: (client, packet, callback) => {
      if (client) for (const l of listeners) l(packet.topic, Buffer.from(packet.payload));
      callback(null);
    },
  });
  const server = net.createServer(aedes.handle);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return {
    url: `mqtt://${host}:${address.port}`,
    port: address.port,
    onPublish: (listener) => {
      listeners.push(listener);
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
