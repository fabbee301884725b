/**
 * Where BCM GPIO 0 sits in the sysfs numbering. Up to Linux 6.5 the header GPIOs of a Raspberry
 * Pi were sysfs GPIOs 0..53. From 6.6 on the kernel numbers gpiochips dynamically from 512 up,
 * so BCM 17 is sysfs GPIO 529 on a Pi 4 (pinctrl-bcm2711 at 512) and 588 on a Pi 5, whose header
 * hangs off the RP1 chip (pinctrl-rp1 at 571). Writing a plain BCM number to the export file
 * then fails with EINVAL. The offset is found from each gpiochip's `base` and `label`.
 */
import { SYSFS_GPIO, type SysfsGpio } from './gpio-api.js';

export interface GpioChip {
  /** The directory name, e.g. 'gpiochip571'. */
  name: string;
  base: number;
  /** Number of lines, when the kernel says. */
  ngpio: number | undefined;
  label: string;
}

/** Labels of the chips that carry the 40-pin header's BCM GPIOs, and the boards they mean. */
export const HEADER_CHIPS: { readonly [label: string]: string } = {
  'pinctrl-rp1': 'Raspberry Pi 5',
  'pinctrl-bcm2711': 'Raspberry Pi 4, 400 or CM4',
  'pinctrl-bcm2835': 'Raspberry Pi 1, 2, 3 or Zero',
};

export interface GpioBaseDetection {
  /** The sysfs number of BCM GPIO 0: the header chip's base, or 0 when none was found. */
  base: number;
  /** The chip carrying the header, when one with a known label was found. */
  header: GpioChip | undefined;
  /** Every gpiochip seen, for messages. */
  chips: GpioChip[];
}

/** Every gpiochip under /sys/class/gpio with a readable base, in base order. */
export function listGpioChips(sysfs: SysfsGpio): GpioChip[] {
  const chips: GpioChip[] = [];
  for (const name of sysfs.list(SYSFS_GPIO)) {
    if (!/^gpiochip\d+$/.test(name)) continue;
    const dir = `${SYSFS_GPIO}/${name}`;
    const base = integer(sysfs.read(`${dir}/base`));
    if (base === undefined) continue;
    const ngpio = integer(sysfs.read(`${dir}/ngpio`));
    chips.push({ name, base, ngpio, label: (sysfs.read(`${dir}/label`) ?? '').trim() });
  }
  return chips.sort((a, b) => a.base - b.base);
}

/** The header chip's base, found from the gpiochips' labels. */
export function detectGpioBase(sysfs: SysfsGpio): GpioBaseDetection {
  const chips = listGpioChips(sysfs);
  const header = chips.find((c) => HEADER_CHIPS[c.label] !== undefined);
  return { base: header?.base ?? 0, header, chips };
}

/** 'pinctrl-rp1 at 571 (Raspberry Pi 5), gpio-brcmstb@107d508500 at 512' or 'none'. */
export function describeChips(chips: GpioChip[]): string {
  if (chips.length === 0) return 'none';
  return chips.map((c) => {
    const board = HEADER_CHIPS[c.label];
    return `${c.label || c.name} at ${c.base}${board !== undefined ? ` (${board})` : ''}`;
  }).join(', ');
}

function integer(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : undefined;
}
