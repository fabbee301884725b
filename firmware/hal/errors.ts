/**
 * HAL errors carry a discriminating code so a caller can act on them (retry, report the pin,
 * refuse the profile) without parsing messages.
 */
export type HalErrorCode =
  | 'E_HAL_OPTIONS' // options object invalid; nothing was opened
  | 'E_HAL_RANGE' // a value written is outside the resource's range
  | 'E_HAL_BUSY' // a measurement is already in flight
  | 'E_HAL_CLOSED' // the resource was closed
  | 'E_HAL_PIN_IN_USE' // another open resource holds the pin
  | 'E_HAL_UNAVAILABLE'; // the backend cannot reach the hardware

export interface HalError extends Error {
  code: HalErrorCode;
  pin: string;
}

export function halError(code: HalErrorCode, pin: string, message: string): HalError {
  const err = new Error(message) as HalError;
  err.code = code;
  err.pin = pin;
  return err;
}

export function isHalError(value: unknown): value is HalError {
  return value instanceof Error && typeof (value as HalError).code === 'string' &&
    (value as HalError).code.indexOf('E_HAL_') === 0;
}
