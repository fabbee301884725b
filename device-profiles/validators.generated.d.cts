// Types of the validators `npm run build` generates from schema/ (generate-validators.ts).
import type { ValidateFunction } from 'ajv';

export declare const profileHeader: ValidateFunction;
export declare const profileWhole: ValidateFunction;
export declare const reporting: ValidateFunction;
export declare const site: ValidateFunction;
export declare const lamp: ValidateFunction;
export declare const parking: ValidateFunction;
export declare const bin: ValidateFunction;
