/**
 * Runs every HAL contract suite against every bench in benches.ts: one uvu suite per backend and
 * interface, e.g. 'digital in [mock]', 'lifecycle: pwm [johnny-five (mock-firmata)]'.
 */
import { analogInContract } from './analog-in.contract.js';
import { benches } from './benches.js';
import { digitalInContract } from './digital-in.contract.js';
import { digitalOutContract } from './digital-out.contract.js';
import { lifecycleContract } from './lifecycle.contract.js';
import { pulseInContract } from './pulse-in.contract.js';
import { pwmContract } from './pwm.contract.js';

const contracts = [digitalInContract, digitalOutContract, pwmContract, analogInContract, pulseInContract, lifecycleContract];

for (const factory of benches) {
  for (const contract of contracts) await contract(factory);
}
