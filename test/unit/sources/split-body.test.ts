import { describe, expect, it } from 'vitest';
import { splitBody } from '../../../src/sources/http-ingest.js';

describe('splitBody', () => {
  it('numbers NDJSON lines from 1 and skips blank lines', () => {
    const records = splitBody('{"a":1}\n\n{"b":2}\r\n');
    expect(records.map((r) => r.position)).toEqual(['1', '3']);
  });

  it('takes a JSON array as one event per element', () => {
    expect(splitBody('[{"a":1},{"b":2}]').map((r) => r.value)).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('keeps a broken array as one record so it is rejected, not lost', () => {
    expect(splitBody('[{"a":1},').length).toBe(1);
  });
});
