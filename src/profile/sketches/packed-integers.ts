// zod codecs that keep integer arrays as plain `number[]` in memory and as little-endian base64
// in JSON: a 1 Kbit bloom generation is 172 characters instead of ~350 as a JSON array, which is
// what keeps a whole agent profile under its 4 KB budget.
import { z } from 'zod';

type IntegerKind = 'int32' | 'uint32' | 'uint16';

const BYTES_PER_INTEGER: Record<IntegerKind, number> = { int32: 4, uint32: 4, uint16: 2 };
const INTEGER_RANGE: Record<IntegerKind, [number, number]> = {
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
  uint16: [0, 0xffff],
};

/**
 * An array of `kind` integers, `length` long (or at most `maxLength`), stored as base64.
 * Decoding rejects a string whose byte length does not fit, so a truncated checkpoint is caught.
 */
export function packedIntegers(kind: IntegerKind, size: { length: number } | { maxLength: number }) {
  const width = BYTES_PER_INTEGER[kind];
  const [min, max] = INTEGER_RANGE[kind];
  const fits = (count: number) => ('length' in size ? count === size.length : count <= size.maxLength);
  const expected = 'length' in size ? `${size.length}` : `at most ${size.maxLength}`;
  const stored = z.base64().refine(
    (text) => {
      const bytes = Buffer.byteLength(text, 'base64');
      return bytes % width === 0 && fits(bytes / width);
    },
    { message: `expected ${expected} packed ${kind} values` },
  );
  const inMemory = z.array(z.number().int().min(min).max(max)).refine((values) => fits(values.length), {
    message: `expected ${expected} ${kind} values`,
  });
  return z.codec(stored, inMemory, {
    decode: (text) => {
      const bytes = Buffer.from(text, 'base64');
      const values: number[] = new Array<number>(bytes.length / width);
      for (let i = 0; i < values.length; i++) values[i] = readInteger(bytes, kind, i * width);
      return values;
    },
    encode: (values) => {
      const bytes = Buffer.alloc(values.length * width);
      values.forEach((value, i) => writeInteger(bytes, kind, i * width, value));
      return bytes.toString('base64');
    },
  });
}

function readInteger(bytes: Buffer, kind: IntegerKind, offset: number): number {
  if (kind === 'int32') return bytes.readInt32LE(offset);
  if (kind === 'uint32') return bytes.readUInt32LE(offset);
  return bytes.readUInt16LE(offset);
}

function writeInteger(bytes: Buffer, kind: IntegerKind, offset: number, value: number): void {
  if (kind === 'int32') bytes.writeInt32LE(value, offset);
  else if (kind === 'uint32') bytes.writeUInt32LE(value, offset);
  else bytes.writeUInt16LE(value, offset);
}

/**
 * `length` integers of 0..4095 packed two to three bytes, as base64: histograms whose counts are
 * kept below 4,096 (hour_of_week's bins) cost 1.5 bytes a value instead of 2.
 */
export function packedUint12(length: number) {
  const byteLength = Math.ceil((length * 3) / 2);
  const stored = z.base64().refine((text) => Buffer.byteLength(text, 'base64') === byteLength, {
    message: `expected ${length} packed uint12 values`,
  });
  const inMemory = z.array(z.number().int().min(0).max(0xfff)).length(length);
  return z.codec(stored, inMemory, {
    decode: (text) => {
      const bytes = Buffer.from(text, 'base64');
      const values: number[] = new Array<number>(length);
      for (let i = 0; i < length; i++) {
        const at = (i >> 1) * 3;
        values[i] = i % 2 === 0 ? (bytes[at] ?? 0) | (((bytes[at + 1] ?? 0) & 0x0f) << 8) : ((bytes[at + 1] ?? 0) >> 4) | ((bytes[at + 2] ?? 0) << 4);
      }
      return values;
    },
    encode: (values) => {
      const bytes = Buffer.alloc(byteLength);
      values.forEach((value, i) => {
        const at = (i >> 1) * 3;
        if (i % 2 === 0) {
          bytes[at] = value & 0xff;
          bytes[at + 1] = ((bytes[at + 1] ?? 0) & 0xf0) | (value >> 8);
        } else {
          bytes[at + 1] = ((bytes[at + 1] ?? 0) & 0x0f) | ((value & 0x0f) << 4);
          bytes[at + 2] = value >> 4;
        }
      });
      return bytes.toString('base64');
    },
  });
}

/**
 * A codec between a base64 string of exactly `byteLength` bytes and an instance of `StateClass`,
 * for slices that pack their fields by hand at mixed widths (integers, fixed point, float64):
 * `read` fills a fresh instance from the bytes, `write` fills zeroed bytes from the state.
 */
export function packedBytesCodec<State extends object>(
  StateClass: new () => State,
  byteLength: number,
  read: (bytes: Buffer, state: State) => void,
  write: (state: State, bytes: Buffer) => void,
) {
  const stored = z.base64().refine((text) => Buffer.byteLength(text, 'base64') === byteLength, { message: `expected ${byteLength} packed bytes` });
  return z.codec(stored, z.instanceof(StateClass), {
    decode: (text) => {
      const state = new StateClass();
      read(Buffer.from(text, 'base64'), state);
      return state;
    },
    encode: (state) => {
      const bytes = Buffer.alloc(byteLength);
      write(state, bytes);
      return bytes.toString('base64');
    },
  });
}
