import { Outbox } from '../../gateway/uplink/outbox.js';
import { queueContract } from './message-queue-contract.js';

queueContract('in-memory outbox', { create: (limits) => new Outbox(limits) });
