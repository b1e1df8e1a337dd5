import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stateClassSchema } from '../../../src/profile/state-class-schema.js';

class ExampleState {
  latestMs = 0;
  weight = 0;
  keys: number[] = [];
  learnedEvents = 0;
}

const schema = stateClassSchema(ExampleState, {
  latestMs: z.number().finite(),
  weight: z.number().finite().min(0),
  keys: z.array(z.number().int()),
  learnedEvents: z.number().int().min(0),
});

const example = () => Object.assign(new ExampleState(), { latestMs: 1_794_781_430_424, weight: 1966.6290056265068, keys: [3, 4], learnedEvents: 100_000 });

describe('stateClassSchema', () => {
  it('packs the number fields as float64s in one base64 string, in shape order, and keeps other fields as they are', () => {
    const json = schema.encode(example()) as { n: string; keys: number[] };
    expect(Object.keys(json)).toEqual(['n', 'keys']);
    const bytes = Buffer.from(json.n, 'base64');
    expect(bytes).toHaveLength(3 * 8);
    expect([bytes.readDoubleLE(0), bytes.readDoubleLE(8), bytes.readDoubleLE(16)]).toEqual([1_794_781_430_424, 1966.6290056265068, 100_000]);
    expect(JSON.stringify(json).length).toBeLessThan(JSON.stringify({ ...example() }).length);
  });

  it('restores an instance of the class, bit for bit (−0 included, which a JSON number would lose)', () => {
    const state = Object.assign(example(), { weight: -0 });
    const restored = schema.decode(JSON.parse(JSON.stringify(schema.encode(state))));
    expect(restored).toBeInstanceOf(ExampleState);
    expect(restored).toStrictEqual(state);
    expect(Object.is(restored.weight, -0)).toBe(true);
  });

  it("reads Warden 0.1.0's unpacked slices, a number field added since taking the fresh state's value", () => {
    const { learnedEvents: _added, ...unpacked } = { ...example() };
    const restored = schema.decode(unpacked as never);
    expect(restored).toStrictEqual(Object.assign(example(), { learnedEvents: 0 }));
  });

  it('checks every packed number against its own schema, naming it', () => {
    const json = schema.encode(example()) as { n: string; keys: number[] };
    const bytes = Buffer.from(json.n, 'base64');
    bytes.writeDoubleLE(-5, 8);
    const result = schema.safeDecode({ ...json, n: bytes.toString('base64') });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['n', 'weight']);
    expect(schema.safeDecode({ ...json, n: json.n.slice(0, 8) }).success).toBe(false);
  });
});
