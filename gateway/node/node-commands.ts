/**
 * Commands for a node, checked on the gateway before they go on the line, with the code the
 * node itself runs wherever it can be shared: `command()` must answer at once, and a command
 * the node would refuse should be refused here, with the same result, rather than be "sent"
 * and fail a frame later. What only the node can know (a parking space occupied, a bin lid
 * open) is left to the node's answer.
 */
import { unknownCommand } from '../../firmware/devices/command-args.js';
import { isCommandResult, LAMP_COMMANDS, parseLampCommand } from '../../firmware/devices/lamp-commands.js';
import type { Command, CommandResult, DeviceKind } from '../../firmware/devices/types.js';

/**
 * The commands the parking and bin controllers take. Those lists live inside their `command()`
 * (firmware/devices/parking.ts, bin.ts); hil-tests/node/node-commands.test.ts holds this copy
 * to what the controllers answer.
 */
export const NODE_COMMANDS: { [K in DeviceKind]: string[] } = {
  lamp: LAMP_COMMANDS,
  parking: ['recalibrate'],
  bin: ['measure'],
};

/** A failed CommandResult the node would give for this command, or undefined to send it. */
export function checkNodeCommand(kind: DeviceKind, cmd: Command): CommandResult | undefined {
  // The node's reader refuses a whole frame whose arguments are not plain values, and then
  // answers nothing: refuse that here, where the caller still hears why.
  for (const [name, v] of Object.entries(cmd.args ?? {})) {
    if (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') {
      return { ok: false, code: 'E_CMD_ARGS', message: `${cmd.name} arg '${name}' must be a number, text or boolean, got ${typeof v}` };
    }
  }
  if (kind === 'lamp') {
    const parsed = parseLampCommand(cmd);
    return isCommandResult(parsed) ? parsed : undefined;
  }
  const known = NODE_COMMANDS[kind];
  return known.indexOf(cmd.name) < 0 ? unknownCommand(cmd, known) : undefined;
}

export interface SentCommand {
  id: number;
  name: string;
  /** Monotonic ms when it was sent. */
  at: number;
}

/**
 * Ids for commands sent to one node (16 bits, wrapping) and the commands still waiting for an
 * answer. Bounded: past `limit` the oldest is given up and returned, so the caller can say so.
 */
export class CommandLedger {
  private nextId = 0;
  private readonly waiting = new Map<number, SentCommand>();

  constructor(private readonly limit = 64) {}

  /** Records a command about to be sent; returns it with its id, and any command given up. */
  add(name: string, at: number): { sent: SentCommand; evicted: SentCommand | undefined } {
    this.nextId = (this.nextId + 1) & 0xffff;
    const sent = { id: this.nextId, name, at };
    this.waiting.delete(sent.id);
    let evicted: SentCommand | undefined;
    if (this.waiting.size >= this.limit) {
      evicted = this.waiting.values().next().value;
      if (evicted) this.waiting.delete(evicted.id);
    }
    this.waiting.set(sent.id, sent);
    return { sent, evicted };
  }

  /** The command an answer is for, no longer waiting; undefined for an id not sent (or given up). */
  answer(id: number): SentCommand | undefined {
    const sent = this.waiting.get(id);
    this.waiting.delete(id);
    return sent;
  }

  /** Every command still waiting, given up (the link that carried them is gone). */
  abandon(): SentCommand[] {
    const all = [...this.waiting.values()];
    this.waiting.clear();
    return all;
  }

  pending(): number {
    return this.waiting.size;
  }
}
