/**
 * Air on the street: temperature over the day and what it does to ultrasound. The echo formula
 * is the one the bin controller must invert (temperature-compensated speed of sound), so tests
 * can check the controller against it exactly.
 */

/** Air temperature in °C at local hour `h`: 14 °C at 03:00, 26 °C at 15:00, a sine in between. */
export function airTemperatureC(hour: number): number {
  return 20 + 6 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
}

/** Speed of sound in cm/µs at `tempC`: (331.3 + 0.606 T) m/s. */
export function soundSpeedCmPerUs(tempC: number): number {
  return (331.3 + 0.606 * tempC) / 1e4;
}

/** Round-trip echo width in µs for a target `distanceCm` away in air at `tempC`. */
export function echoWidthUs(distanceCm: number, tempC: number): number {
  return (2 * distanceCm) / soundSpeedCmPerUs(tempC);
}
