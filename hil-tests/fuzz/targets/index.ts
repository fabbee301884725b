/**
 * Every parser that takes outside bytes, one fuzz target each. Adding a parser is one line here
 * (and a file beside this one): the runner, `npm run fuzz` and `npm test` pick it up.
 */
import type { AnyTarget } from '../fuzz-target.js';
import { batch } from './batch.js';
import { bundle } from './bundle.js';
import { commandEnvelope } from './command-envelope.js';
import { nodeCborReader } from './node-cbor-reader.js';
import { nodePayload } from './node-payload.js';
import { profile } from './profile.js';
import { replAnswer } from './repl-answer.js';
import { serialFrames } from './serial-frames.js';
import { site } from './site.js';

export const TARGETS: AnyTarget[] = [
  serialFrames,
  nodePayload,
  nodeCborReader,
  batch,
  profile,
  site,
  bundle,
  replAnswer,
  commandEnvelope,
];
