/**
 * Bytes a QoS 1 PUBLISH costs on the wire (MQTT 3.1.1 §3.3): fixed header, variable-length
 * remaining length, topic, packet id, payload; plus the 4-byte PUBACK that comes back.
 */
export function qos1PublishBytes(topic: string, payloadBytes: number): number {
  const remaining = 2 + Buffer.byteLength(topic) + 2 + payloadBytes;
  const lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
  return 1 + lengthBytes + remaining + 4;
}
