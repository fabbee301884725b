/**
 * Picks the controller for a device kind, and lists every kind's metrics for the gateway's
 * aggregation and the profile schema.
 */
import type { BinConfig, LampConfig, ParkingConfig } from './config.js';
import { BIN_METRICS, BinController } from './bin.js';
import { LAMP_METRICS, LampController } from './lamp.js';
import { PARKING_METRICS, ParkingController } from './parking.js';
import type { Controller, ControllerContext, DeviceKind, MetricSpec } from './types.js';

export interface ConfigByKind {
  lamp: LampConfig;
  parking: ParkingConfig;
  bin: BinConfig;
}

export const METRICS_BY_KIND: { [K in DeviceKind]: MetricSpec[] } = {
  lamp: LAMP_METRICS,
  parking: PARKING_METRICS,
  bin: BIN_METRICS,
};

/** Constructs (does not start) the controller; throws for an unknown kind. */
export function createController<K extends DeviceKind>(kind: K, ctx: ControllerContext<ConfigByKind[K]>): Controller {
  if (kind === 'lamp') return new LampController(ctx as ControllerContext<LampConfig>);
  if (kind === 'parking') return new ParkingController(ctx as ControllerContext<ParkingConfig>);
  if (kind === 'bin') return new BinController(ctx as ControllerContext<BinConfig>);
  const err = new Error("unknown device kind '" + String(kind) + "'; expected lamp, parking or bin") as Error & { code: string };
  err.code = 'E_DEVICE_KIND';
  throw err;
}
