/**
 * JSON with object keys sorted and no whitespace: the exact bytes a bundle's signature covers,
 * so a manifest re-serialised in any key order verifies the same. One rule for every signature
 * Kerb makes: bundles here, downlink commands in the gateway (which may not import scripts/).
 */
export { canonicalJson } from '../../gateway/commands/canonical-json.js';
