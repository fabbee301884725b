/**
 * The one error the signing library throws: a code to switch on, the file it is about and, for a
 * malformed bundle, the field. Messages say what was expected, what was found and what to do.
 */
export type SignErrorCode =
  | 'E_KEY_MISSING' // no key file where one was named
  | 'E_KEY_PERMISSIONS' // a private key readable by group or others
  | 'E_KEY_INVALID' // not an ed25519 key in PEM, or a private key where a public one belongs
  | 'E_KEY_EXISTS' // keygen would overwrite a key without --force
  | 'E_TRUST_DIR' // the trusted-keys directory cannot be read
  | 'E_VERSION_INVALID' // not a semver version
  | 'E_BUNDLE_MALFORMED' // not a kerb-bundle/1 envelope, or a field missing or of the wrong type
  | 'E_BUNDLE_DIGEST'; // manifest bytes/sha256 do not match the code

export class SignError extends Error {
  /** The key, bundle or directory the error is about. */
  readonly file: string | undefined;
  /** For a bundle error: the first offending field, e.g. 'manifest.fw'; `fields` lists them all. */
  readonly field: string | undefined;
  readonly fields: string[];

  constructor(readonly code: SignErrorCode, message: string, where: { file?: string; field?: string; fields?: string[] } = {}) {
    super(message);
    this.name = 'SignError';
    this.file = where.file;
    this.field = where.field ?? where.fields?.[0];
    this.fields = where.fields ?? (where.field === undefined ? [] : [where.field]);
  }
}
