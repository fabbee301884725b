/**
 * Device profiles and site files: load, validate, report every error with file, line and field.
 */
export { formatError, formatErrors, sortErrors } from './config-error.js';
export type { ConfigError, ConfigErrorCode, LoadResult } from './config-error.js';
export { loadProfile, validateProfile, profileNameOf, PROFILE_NAME } from './load-profile.js';
export { loadProfiles, readProfileDirectory } from './load-profiles.js';
export type { ProfileDirectory } from './load-profiles.js';
export { loadSite } from './load-site.js';
export type { LoadSiteOptions } from './load-site.js';
export { PIN_ROLES, pinNeeds } from './pin-roles.js';
export { DEFAULT_BATCH_POLICY } from './types.js';
export type {
  BatchPolicy, BinProfile, LampProfile, Operator, ParkingProfile, PinMap, Profile, Reporting, Site, SiteDevice, Transport,
} from './types.js';
export { profileHash } from './profile-hash.js';
