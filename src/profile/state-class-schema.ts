// Detector state slices are plain data — numbers, arrays and nested plain data, nothing else —
// held as instances of small field-only classes, with a zod codec between that and JSON.
//
// The class is there for V8, not for behaviour. An object literal with the same keys in the same
// order as a zod shape literal (`z.object({ latestMs: z.number(), ... })`) shares its hidden-class
// transitions, whose fields then hold schema objects, so V8 stores the state's numbers as boxed
// "tagged" fields and every decayed-counter update allocates a fresh HeapNumber. Measured on the
// outcome detector: 48 B of garbage and ~10× the time per update, ~600 B per scored event in all.
// A class instance starts from its own hidden class, so its number fields stay unboxed doubles
// updated in place — and restoring through Object.assign onto a new instance keeps that.
//
// Compact JSON. A profile is checkpointed per agent within a 4 KB budget, and a decayed count
// written as JSON ("newKeyWeight":1966.6290056265068) costs ~35 characters. So the number fields
// of a slice (those whose schema is a z.number()) travel together as little-endian float64s in
// one base64 string under the key `n`, in shape order: 10.7 characters each, bit-exact (−0 and
// all 53 bits survive, which JSON's decimal round trip also guarantees but at 3× the size).
// Every number is still checked against its own schema on restore, with its own name in the
// error path (`signals.event_rate.n.recentCount`). Arrays and nested slices keep their own codecs.
//
// Checkpoints written before this encoding (Warden 0.1.0: every number a JSON field) are still
// read: a slice without `n` is packed first, then checked like any other.
import { z } from 'zod';

const FLOAT64_BYTES = 8;

/**
 * A codec between the JSON object of `shape` (numbers packed under `n`) and a plain object with
 * the shape's fields. The building block of stateClassSchema, usable for sketches that are plain
 * objects rather than class instances.
 */
export function packedObjectSchema<Shape extends z.ZodRawShape>(shape: Shape, defaults?: () => Record<string, unknown>) {
  const numberKeys = Object.keys(shape).filter((key) => shape[key] instanceof z.ZodNumber);
  const otherShape: Record<string, z.ZodType> = {};
  for (const key of Object.keys(shape)) if (!numberKeys.includes(key)) otherShape[key] = shape[key] as z.ZodType;
  const numbersShape: Record<string, z.ZodType> = {};
  for (const key of numberKeys) numbersShape[key] = shape[key] as z.ZodType;

  const packedNumbers = z.codec(
    z.base64().refine((text) => Buffer.byteLength(text, 'base64') === numberKeys.length * FLOAT64_BYTES, {
      message: `expected ${numberKeys.length} packed float64 values (${numberKeys.join(', ')})`,
    }),
    z.object(numbersShape),
    {
      decode: (text) => {
        const bytes = Buffer.from(text, 'base64');
        const fields: Record<string, number> = {};
        numberKeys.forEach((key, i) => (fields[key] = bytes.readDoubleLE(i * FLOAT64_BYTES)));
        return fields;
      },
      encode: (fields) => packNumbers(numberKeys, fields),
    },
  );
  // A slice with no number fields (a volume detector's reservoir holder) has no `n` at all.
  const stored = numberKeys.length > 0 ? z.object({ n: packedNumbers, ...otherShape }) : z.object(otherShape);
  type Fields = z.output<z.ZodObject<Shape>>;
  return z.codec(
    // Upgrades a Warden 0.1.0 slice (numbers as fields) to the packed form before it is checked.
    z.codec(z.unknown(), stored, {
      decode: (json) => upgradeUnpacked(json, numberKeys, defaults) as z.input<typeof stored>,
      encode: (packed) => packed,
    }),
    z.custom<Fields>(() => true),
    {
      // Fields in shape order, as a fresh state has them, so restored and new states share a hidden class.
      decode: (decoded) => {
        const { n: numbers = {}, ...others } = decoded as { n?: Record<string, unknown> } & Record<string, unknown>;
        const fields: Record<string, unknown> = {};
        for (const key of Object.keys(shape)) fields[key] = key in numbers ? numbers[key] : others[key];
        return fields as Fields;
      },
      encode: (fields) => {
        const record = fields as Record<string, unknown>;
        const numbers: Record<string, unknown> = {};
        for (const key of numberKeys) numbers[key] = record[key];
        const others: Record<string, unknown> = {};
        for (const key of Object.keys(otherShape)) others[key] = record[key];
        return (numberKeys.length > 0 ? { n: numbers, ...others } : others) as z.output<typeof stored>;
      },
    },
  );
}

/**
 * A codec between the JSON of `shape` and an instance of `StateClass` (whose fields must be
 * exactly the shape's: the conformance suite round-trips every state through JSON).
 */
export function stateClassSchema<Shape extends z.ZodRawShape, State extends z.output<z.ZodObject<Shape>>>(StateClass: new () => State, shape: Shape) {
  const defaults = () => new StateClass() as unknown as Record<string, unknown>;
  return z.codec(packedObjectSchema(shape, defaults), z.instanceof(StateClass), {
    decode: (fields) => Object.assign(new StateClass(), fields),
    encode: (state) => state,
  });
}

function packNumbers(numberKeys: readonly string[], fields: Record<string, unknown>): string {
  const bytes = Buffer.alloc(numberKeys.length * FLOAT64_BYTES);
  numberKeys.forEach((key, i) => bytes.writeDoubleLE(fields[key] as number, i * FLOAT64_BYTES));
  return bytes.toString('base64');
}

/**
 * A slice whose packed numbers (`n`) are from an older shape of `oldCount` numbers, repacked as
 * `repack` maps them (in shape order) — how a detector that added number fields upgrades its own
 * checkpoints. Anything else (the current shape, a 0.1.0 slice without `n`) is returned as it is.
 */
export function repackOldNumbers(json: unknown, oldCount: number, repack: (old: number[]) => number[]): unknown {
  if (json === null || typeof json !== 'object' || !('n' in json) || typeof json.n !== 'string') return json;
  const bytes = Buffer.from(json.n, 'base64');
  if (bytes.length !== oldCount * FLOAT64_BYTES) return json;
  const old = Array.from({ length: oldCount }, (_, i) => bytes.readDoubleLE(i * FLOAT64_BYTES));
  const numbers = repack(old);
  const packed = Buffer.alloc(numbers.length * FLOAT64_BYTES);
  numbers.forEach((value, i) => packed.writeDoubleLE(value, i * FLOAT64_BYTES));
  return { ...json, n: packed.toString('base64') };
}

/**
 * An unpacked slice gets its number fields packed; a number field it does not have (added to the
 * detector since) takes the fresh state's value. Anything else is left for the check to refuse.
 */
function upgradeUnpacked(json: unknown, numberKeys: readonly string[], defaults: (() => Record<string, unknown>) | undefined): unknown {
  if (numberKeys.length === 0 || json === null || typeof json !== 'object' || Array.isArray(json) || 'n' in json) return json;
  const fields: Record<string, unknown> = { ...(json as Record<string, unknown>) };
  const fresh = defaults?.();
  for (const key of numberKeys) if (!(key in fields) && fresh !== undefined) fields[key] = fresh[key];
  if (!numberKeys.every((key) => typeof fields[key] === 'number')) return json;
  const upgraded: Record<string, unknown> = { n: packNumbers(numberKeys, fields) };
  for (const key of Object.keys(fields)) if (!numberKeys.includes(key)) upgraded[key] = fields[key];
  return upgraded;
}
