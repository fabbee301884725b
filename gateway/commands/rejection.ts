/**
 * Why a downlink command was refused, and what the gateway answers on cmd-result. Codes are
 * listed in the order the checks run (docs/commands.md); the controllers' own codes
 * (E_CMD_UNKNOWN, E_CMD_ARGS, E_CMD_RANGE, E_CMD_STATE) come after them.
 */
export type RejectCode =
  | 'E_CMD_MALFORMED' // too big, not JSON, or not the kerb-command/1 envelope (field named)
  | 'E_CMD_TOPIC' // published on a topic that is not the command's target
  | 'E_CMD_GATEWAY' // signed for another site or gateway
  | 'E_CMD_KEY' // keyId is not one of the site's operators
  | 'E_CMD_SIGNATURE' // the signature does not verify with that operator's key
  | 'E_CMD_CLOCK' // the gateway's wall clock is not trusted yet: expiry cannot be judged
  | 'E_CMD_EXPIRED' // expires is in the past
  | 'E_CMD_EXPIRES_TOO_LATE' // expires is further ahead than the gateway allows (24 h)
  | 'E_CMD_COUNTER_STORE' // the counter file is corrupt or cannot be written: nothing is accepted
  | 'E_CMD_REPLAY' // counter not above the last accepted one for this key
  | 'E_CMD_DEVICE' // no such device on this gateway
  | 'E_CMD_CORRIDOR' // no such corridor in the site file
  | 'E_CMD_PARTIAL' // a corridor some of whose lamps refused (the reply lists each)
  | 'E_CMD_FAILED'; // the command threw on the gateway (a bug: logged)

/** A refusal: the code, a message naming the field, and the field itself when there is one. */
export interface Rejection {
  code: RejectCode | string;
  message: string;
  field?: string;
  /** E_CMD_REPLAY: the last counter accepted from this key, so the operator's tool can catch up. */
  last?: number;
}

/** What goes out on cmd-result, as JSON. */
export interface CommandReply {
  /** The envelope's counter, once it could be read. */
  counter?: number;
  /** 'lamp-01' or 'corridor:school-route', once it could be read. */
  target?: string;
  ok: boolean;
  code: string;
  message: string;
  /** E_CMD_REPLAY: the last counter accepted from this key. */
  last?: number;
  /** A corridor: what each lamp answered. */
  lamps?: Array<{ device: string; ok: boolean; code: string; message: string }>;
}

export function reject(code: RejectCode, message: string, field?: string): Rejection {
  return field === undefined ? { code, message } : { code, message, field };
}
