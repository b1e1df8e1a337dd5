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
import { z } from 'zod';

/**
 * A codec between the JSON object `shape` describes and an instance of `StateClass` (whose fields
 * must be exactly the shape's: the conformance suite round-trips every state through JSON).
 */
export function stateClassSchema<Shape extends z.ZodRawShape, State extends z.output<z.ZodObject<Shape>>>(StateClass: new () => State, shape: Shape) {
  return z.codec(z.object(shape), z.instanceof(StateClass), {
    decode: (fields) => Object.assign(new StateClass(), fields),
    encode: (state) => state,
  });
}
