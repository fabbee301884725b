/**
 * Frames on the node <-> gateway serial line:
 *
 *   0x00 COBS( type u8 | seq u8 | ack u8 | length u8 | payload ... | crc16 u16 big-endian ) 0x00
 *
 * The leading 0x00 ends whatever noise preceded the frame on the line (a node booting prints
 * its banner; a cable plugged in mid-byte), so the frame is read whole even after garbage.
 * The CRC covers everything before it. The length byte is not redundant: a corrupted trailing
 * 0x00 merges a frame with the next one's leading 0x00 into the frame plus a 0x00 byte, and a
 * CRC without a final xor still checks out over such a frame; the length does not. `seq` numbers this side's frames (mod 256); `ack`
 * is the last seq received in order from the other side. docs/serial-link.md is the protocol.
 */
import { cobsDecodeInto, cobsEncodeInto, cobsMaxLength } from './cobs.js';
import { crc16 } from './crc16.js';

export const FRAME_HELLO = 1;
export const FRAME_DATA = 2;
export const FRAME_ACK = 3;

/** Largest payload a frame carries; anything longer is a bug on the sending side. */
export const MAX_PAYLOAD = 200;
const HEADER = 4;
const TRAILER = 2;
const MAX_RAW = HEADER + MAX_PAYLOAD + TRAILER;
const MAX_WIRE = cobsMaxLength(MAX_RAW) + 2;

export interface Frame {
  type: number;
  seq: number;
  ack: number;
  payload: Uint8Array;
}

/** Encodes one frame, delimiters included. Throws on an oversized payload (a programming error). */
export function encodeFrame(type: number, seq: number, ack: number, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_PAYLOAD) throw new Error('frame payload of ' + payload.length + ' bytes exceeds ' + MAX_PAYLOAD);
  const raw = new Uint8Array(HEADER + payload.length + TRAILER);
  raw[0] = type & 0xff;
  raw[1] = seq & 0xff;
  raw[2] = ack & 0xff;
  raw[3] = payload.length;
  raw.set(payload, HEADER);
  const crc = crc16(raw, 0, HEADER + payload.length);
  raw[HEADER + payload.length] = crc >> 8;
  raw[HEADER + payload.length + 1] = crc & 0xff;
  const wire = new Uint8Array(cobsMaxLength(raw.length) + 2);
  const n = cobsEncodeInto(raw, raw.length, wire.subarray(1));
  wire[0] = 0;
  wire[n + 1] = 0;
  return wire.subarray(0, n + 2);
}

export interface FrameReaderStats {
  frames: number;
  /** Frames dropped: bad COBS, bad CRC, too short, or too long for the buffer. */
  errors: number;
}

/**
 * Splits a byte stream into frames. Memory is fixed: one wire buffer and one frame buffer. A
 * frame that is too long, not valid COBS or fails its CRC is counted and skipped, and the reader
 * picks up again at the next 0x00 — garbage on the line costs only the frames it touches.
 */
export class FrameReader {
  private readonly wire = new Uint8Array(MAX_WIRE);
  private readonly raw = new Uint8Array(MAX_WIRE);
  private length = 0;
  private overflow = false;
  private readonly onFrame: (frame: Frame) => void;
  readonly stats: FrameReaderStats = { frames: 0, errors: 0 };

  constructor(onFrame: (frame: Frame) => void) {
    this.onFrame = onFrame;
  }

  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b !== 0) {
        if (this.length < this.wire.length) this.wire[this.length++] = b;
        else this.overflow = true;
        continue;
      }
      if (this.length > 0 || this.overflow) this.finish();
      this.length = 0;
      this.overflow = false;
    }
  }

  private finish(): void {
    if (this.overflow) {
      this.stats.errors++;
      return;
    }
    const n = cobsDecodeInto(this.wire, this.length, this.raw);
    if (n < HEADER + TRAILER || n !== HEADER + this.raw[3] + TRAILER) {
      this.stats.errors++;
      return;
    }
    const crc = (this.raw[n - 2] << 8) | this.raw[n - 1];
    if (crc16(this.raw, 0, n - TRAILER) !== crc) {
      this.stats.errors++;
      return;
    }
    this.stats.frames++;
    // A copy: the reader's buffer is reused for the next frame.
    const payload = new Uint8Array(n - HEADER - TRAILER);
    payload.set(this.raw.subarray(HEADER, n - TRAILER));
    this.onFrame({ type: this.raw[0], seq: this.raw[1], ack: this.raw[2], payload: payload });
  }
}
