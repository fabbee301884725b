/**
 * MQTT 5 reason codes a broker answers with in PUBACK and SUBACK (OASIS MQTT 5.0, 2.4), named
 * for logs. Under MQTT 3.1.1 a broker that refuses a publish says nothing: the PUBACK looks like
 * success. That is one reason the uplink speaks MQTT 5 first.
 */
const NAMES: Record<number, string> = {
  0x10: 'No matching subscribers',
  0x80: 'Unspecified error',
  0x83: 'Implementation specific error',
  0x87: 'Not authorized',
  0x8f: 'Topic Filter invalid',
  0x90: 'Topic Name invalid',
  0x91: 'Packet Identifier in use',
  0x97: 'Quota exceeded',
  0x99: 'Payload format invalid',
  0x9e: 'Shared Subscriptions not supported',
  0xa1: 'Subscription Identifiers not supported',
  0xa2: 'Wildcard Subscriptions not supported',
};

/** "Not authorized (0x87)". */
export function reasonText(code: number): string {
  return `${NAMES[code] ?? (code >= 0x80 ? 'failure' : 'success')} (0x${code.toString(16).padStart(2, '0')})`;
}

export const NOT_AUTHORIZED = 0x87;
