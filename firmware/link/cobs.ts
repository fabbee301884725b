/**
 * Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999): removes every 0x00 from a frame at
 * a cost of at most one byte per 254, so 0x00 can mark frame ends on the serial line and a
 * receiver that joins mid-stream, or sees garbage, resynchronises at the next 0x00.
 */

/** Worst-case encoded length of `n` bytes (without the trailing 0x00 delimiter). */
export function cobsMaxLength(n: number): number {
  return n + Math.floor(n / 254) + 1;
}

/** Encodes `src[0..length)` into `dst` from 0; returns the encoded length. No delimiter is added. */
export function cobsEncodeInto(src: Uint8Array, length: number, dst: Uint8Array): number {
  let codeAt = 0;
  let code = 1;
  let out = 1;
  for (let i = 0; i < length; i++) {
    const b = src[i];
    if (b === 0) {
      dst[codeAt] = code;
      codeAt = out++;
      code = 1;
    } else {
      dst[out++] = b;
      code++;
      if (code === 0xff) {
        dst[codeAt] = code;
        codeAt = out++;
        code = 1;
      }
    }
  }
  dst[codeAt] = code;
  return out;
}

/**
 * Decodes `src[0..length)` (one frame, delimiter removed) into `dst`; returns the decoded length,
 * or -1 when the input is not valid COBS (a zero byte, or a code running past the end).
 */
export function cobsDecodeInto(src: Uint8Array, length: number, dst: Uint8Array): number {
  let i = 0;
  let out = 0;
  while (i < length) {
    const code = src[i];
    if (code === 0 || i + code > length) return -1;
    for (let k = i + 1; k < i + code; k++) {
      const b = src[k];
      if (b === 0) return -1;
      dst[out++] = b;
    }
    i += code;
    if (code !== 0xff && i < length) dst[out++] = 0;
  }
  return out;
}
