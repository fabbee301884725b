/**
 * A cap on what the broker can make the gateway hold in memory. MQTT.js buffers an incoming
 * packet whole before anything sees it, up to the 256 MB a remaining length can declare, and
 * checks MQTT 5's Maximum Packet Size only afterwards; a broken or hostile broker could run a Pi
 * out of memory with one header. This watch reads the fixed headers as bytes arrive and ends
 * the connection at the first packet declared larger than the limit, so at most one socket read
 * is ever buffered. Malformed lengths are left to mqtt-packet, which reports them.
 */
import type { Duplex } from 'node:stream';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** Follows MQTT packet boundaries across chunks: header byte, remaining length, body. */
export class PacketSizeWatch {
  /** 'malformed': a length MQTT cannot have; the parser ends the link, the watch stops. */
  private phase: 'header' | 'length' | 'body' | 'malformed' = 'header';
  private length = 0;
  private lengthBytes = 0;
  private left = 0;

  constructor(private readonly limit: number) {}

  /** The declared size (header included) of the first packet in `chunk` over the limit, else undefined. */
  feed(chunk: Uint8Array): number | undefined {
    let i = 0;
    while (i < chunk.length && this.phase !== 'malformed') {
      if (this.phase === 'header') {
        i++;
        this.phase = 'length';
        this.length = 0;
        this.lengthBytes = 0;
      } else if (this.phase === 'length') {
        const b = chunk[i++]!;
        this.length += (b & 0x7f) * 128 ** this.lengthBytes;
        this.lengthBytes++;
        if (b & 0x80) {
          if (this.lengthBytes === 4) this.phase = 'malformed'; // mqtt-packet reports it
          continue;
        }
        const size = 1 + this.lengthBytes + this.length;
        if (size > this.limit) return size;
        this.left = this.length;
        this.phase = this.left === 0 ? 'header' : 'body';
      } else {
        const take = Math.min(this.left, chunk.length - i);
        i += take;
        this.left -= take;
        if (this.left === 0) this.phase = 'header';
      }
    }
    return undefined;
  }
}

/** Ends `stream` at the first incoming packet over `limit` bytes, after telling `onTooLarge`. */
export function watchPacketSizes<S extends Duplex>(stream: S, limit: number, onTooLarge: (declaredBytes: number) => void): S {
  const watch = new PacketSizeWatch(limit);
  let ended = false;
  // A second 'data' listener sees every chunk MQTT.js's pipe sees; it is attached before any
  // byte can arrive (the socket is still connecting).
  stream.on('data', (chunk: Buffer) => {
    if (ended) return;
    const declared = watch.feed(chunk);
    if (declared === undefined) return;
    ended = true;
    onTooLarge(declared);
    stream.destroy();
  });
  return stream;
}

/**
 * mqtt.connect with the incoming packet size watched on every connection the client makes.
 * MQTT.js has no option for it; its stream builder is wrapped before the first connect.
 */
export function connectWithPacketLimit(url: string, options: IClientOptions, limit: number, onTooLarge: (declaredBytes: number) => void): MqttClient {
  const client = mqtt.connect(url, { ...options, manualConnect: true });
  // MqttClient.streamBuilder is private in MQTT.js's types, not in its code (mqtt 5.x).
  const inner = client as unknown as { streamBuilder?: (c: MqttClient) => Duplex };
  const build = inner.streamBuilder;
  if (typeof build !== 'function') {
    client.end(true);
    throw new Error('MQTT.js no longer has MqttClient.streamBuilder: gateway/uplink/packet-size-guard.ts needs updating');
  }
  inner.streamBuilder = (c) => watchPacketSizes(build.call(client, c), limit, onTooLarge);
  client.connect();
  return client;
}
