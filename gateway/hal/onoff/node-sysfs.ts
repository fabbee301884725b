/**
 * The SysfsGpio the gateway uses on a Pi: plain synchronous file access, as onoff does (GPIO
 * export and unexport are sysfs writes that finish at once).
 */
import fs from 'node:fs';
import type { SysfsGpio } from './gpio-api.js';

export const nodeSysfs: SysfsGpio = {
  list(dir) {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  },
  read(file) {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists(path) {
    return fs.existsSync(path);
  },
  write(file, data) {
    fs.writeFileSync(file, data);
  },
};
