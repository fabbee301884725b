/**
 * Errors found in profile and site files. Loaders return every error at once, never throw for a
 * bad file: a technician fixing a street wants the whole list, each with file, line and field.
 */

export type ConfigErrorCode =
  | 'E_CFG_READ' // the file or directory could not be read
  | 'E_CFG_SYNTAX' // YAML or JSON syntax (includes duplicate keys, several documents)
  | 'E_CFG_TYPE' // a value of the wrong type
  | 'E_CFG_REQUIRED' // a required field is missing
  | 'E_CFG_UNKNOWN_FIELD' // a field the schema does not know (often a typo)
  | 'E_CFG_RANGE' // a number outside its range, a string of the wrong length
  | 'E_CFG_VALUE' // not one of the allowed values, or not matching the pattern
  | 'E_CFG_SCHEMA' // any other schema rule
  | 'E_CFG_RULE' // a rule between fields (releaseDelta < detectDelta, ...)
  | 'E_CFG_PIN' // a pin missing, unused by the device, or given twice
  | 'E_CFG_PROFILE_NAME' // a profile file whose name cannot be a profile name
  | 'E_CFG_PROFILE_UNKNOWN' // a site names a profile that does not exist
  | 'E_CFG_DUPLICATE_ID' // two devices with the same id
  | 'E_CFG_LOCATION' // a device without a location and no site default
  | 'E_CFG_KEY' // an operator key file missing, unreadable, not an ed25519 public key, or a private key
  | 'E_CFG_CORRIDOR'; // a corridor naming a device that is not on the site or is not a lamp

export interface ConfigError {
  code: ConfigErrorCode;
  /** The file as the caller named it (or joined from the directory the caller named). */
  file: string;
  /** 1-based; 0 when the error has no position (an unreadable file). */
  line: number;
  /** 1-based; 0 when the error has no position. */
  column: number;
  /** The field at fault, e.g. 'config.schedule.lightOnBelow' or 'devices[3].id'; '' for the file. */
  path: string;
  /** What was expected and what was found, e.g. 'must be >= 1 (got 0)'. */
  message: string;
}

export type LoadResult<T> = { ok: true; value: T } | { ok: false; errors: ConfigError[] };

/** Orders errors by file, then position, keeping the order found for ties. */
export function sortErrors(errors: ConfigError[]): ConfigError[] {
  return errors
    .map((error, index) => ({ error, index }))
    .sort((a, b) =>
      a.error.file < b.error.file ? -1 : a.error.file > b.error.file ? 1 :
        a.error.line - b.error.line || a.error.column - b.error.column || a.index - b.index)
    .map((entry) => entry.error);
}

/** One error: 'examples/demo-street.yaml:12:7 devices[3].overrides.config.holdS: must be >= 1 (got 0)'. */
export function formatError(error: ConfigError): string {
  const where = error.line > 0 ? error.file + ':' + error.line + ':' + error.column : error.file;
  const what = error.path === '' ? error.message : error.path + ': ' + error.message;
  return where + ' ' + what;
}

/** One line per error, in the order given. */
export function formatErrors(errors: ConfigError[]): string {
  return errors.map(formatError).join('\n');
}
