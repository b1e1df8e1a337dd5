// Lines of an NDJSON input file, streamed; a missing or unreadable file becomes one
// INPUT_UNREADABLE error that names it, whether it fails on open or halfway through.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { WardenError } from '../errors.js';

/** `what` names the file in errors: "events", "labels". */
export async function* readLines(path: string, what: string): AsyncGenerator<string> {
  const input = createReadStream(path);
  try {
    yield* createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  } catch (error) {
    // describeError appends the cause: "cannot read events file x: ENOENT: no such file or directory, open 'x'".
    throw new WardenError('INPUT_UNREADABLE', `cannot read ${what} file ${path}`, { cause: error });
  } finally {
    input.destroy();
  }
}
