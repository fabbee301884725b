/**
 * Pin names a fake board accepts and installs as global Pin objects. The default is generous
 * (Pico ports A, B, C and ESP32-style D0..D39) so one fake serves every profile we build; a
 * name outside it is a typo in a profile and fails as Espruino fails: "Invalid pin!".
 */
export function boardPins(): string[] {
  const pins: string[] = [];
  for (let i = 0; i < 16; i++) pins.push(`A${i}`, `B${i}`, `C${i}`);
  for (let i = 0; i < 40; i++) pins.push(`D${i}`);
  return pins;
}

/** The Pico's named pins: LED1 (red), LED2 (green), BTN1. */
export const PICO_ALIASES: Record<string, string> = { LED1: 'B2', LED2: 'B12', BTN1: 'B3', BTN: 'B3' };
