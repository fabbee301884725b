/** What `kerb build` bakes into an Espruino bundle: the node's build plus the board's needs. */
import type { NodeBuild } from '../../node/node.js';

export interface EspruinoBuild extends NodeBuild {
  /** Reset the board when the event loop stops for this long; 0 for boards without a watchdog. */
  watchdogS: number;
}
