/**
 * What is likely on the other end of a USB serial port, from its USB vendor and product ids:
 * Espruino boards and the USB-serial bridges a node's cable or dev board carries. Devices as
 * data: adding one is a line here and a line in its test. A `productId` of undefined matches
 * every product of that vendor (after the exact entries).
 */
export interface KnownBoard {
  vendorId: string;
  productId?: string;
  /** What a technician calls it. */
  name: string;
  /** True when the board itself runs Espruino (a node plugged in directly, no bridge). */
  espruino?: boolean;
}

export const KNOWN_BOARDS: readonly KnownBoard[] = [
  { vendorId: '0483', productId: '5740', name: 'Espruino Pico/Original (STM32 virtual COM port)', espruino: true },
  { vendorId: '0403', productId: '6001', name: 'FTDI FT232R USB-serial bridge' },
  { vendorId: '0403', productId: '6015', name: 'FTDI FT-X (FT231X/FT230X) USB-serial bridge' },
  { vendorId: '0403', productId: '6010', name: 'FTDI FT2232 dual USB-serial bridge' },
  { vendorId: '0403', productId: '6014', name: 'FTDI FT232H USB-serial bridge' },
  { vendorId: '0403', name: 'FTDI USB-serial bridge' },
  { vendorId: '10c4', productId: 'ea60', name: 'Silicon Labs CP210x USB-serial bridge (many ESP32 boards)' },
  { vendorId: '1a86', productId: '7523', name: 'WCH CH340 USB-serial bridge' },
  { vendorId: '1a86', productId: '5523', name: 'WCH CH341 USB-serial bridge' },
  { vendorId: '1a86', productId: '55d4', name: 'WCH CH9102 USB-serial bridge (many ESP32 boards)' },
  { vendorId: '1a86', productId: '55d3', name: 'WCH CH343 USB-serial bridge' },
  { vendorId: '1a86', name: 'WCH USB-serial bridge' },
  { vendorId: '067b', productId: '2303', name: 'Prolific PL2303 USB-serial bridge' },
  { vendorId: '067b', name: 'Prolific USB-serial bridge' },
  { vendorId: '303a', name: 'Espressif native USB (ESP32-S2/S3/C3)', espruino: true },
  { vendorId: '2e8a', name: 'Raspberry Pi Pico (RP2040/RP2350)' },
  { vendorId: '0d28', productId: '0204', name: 'BBC micro:bit (DAPLink serial)', espruino: true },
  { vendorId: '1366', name: 'SEGGER J-Link serial (nRF52 DK)', espruino: true },
  { vendorId: '2341', name: 'Arduino' },
  { vendorId: '239a', name: 'Adafruit board' },
];

/** serialport gives ids as lower-case hex without 0x on Linux, upper-case on others. */
function normal(id: string | undefined): string | undefined {
  if (id === undefined || id === '') return undefined;
  return id.replace(/^0x/i, '').toLowerCase().padStart(4, '0');
}

/** The known board for these ids, exact product first, then the vendor's catch-all. */
export function knownBoard(vendorId: string | undefined, productId: string | undefined): KnownBoard | undefined {
  const vid = normal(vendorId);
  const pid = normal(productId);
  if (vid === undefined) return undefined;
  return KNOWN_BOARDS.find((b) => b.vendorId === vid && b.productId === pid) ??
    KNOWN_BOARDS.find((b) => b.vendorId === vid && b.productId === undefined);
}

/** `vid:pid` as lsusb prints it, or undefined when the port has no USB ids (a built-in UART). */
export function usbIds(vendorId: string | undefined, productId: string | undefined): string | undefined {
  const vid = normal(vendorId);
  return vid === undefined ? undefined : `${vid}:${normal(productId) ?? '????'}`;
}
