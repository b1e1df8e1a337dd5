// NDJSON file sink: one event per line. Writes are queued in order on the file handle and run in
// libuv's thread pool while the next events are generated; generation waits only when more than
// MAX_QUEUED_BYTES are queued, and then only for the oldest writes. (A WriteStream's 'drain' fires
// only once its whole buffer is empty, which left generation idle for ~20 % of a run, measured.)
import { type FileHandle, open } from 'node:fs/promises';
import { WardenError } from '../../errors.js';
import type { SimulatedEvent } from '../event-builder.js';
import type { EventSink } from './sink.js';

const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

export async function openNdjsonFile(path: string): Promise<EventSink> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    throw new WardenError('USAGE', `cannot write ${path}`, { cause: error });
  }
  const queued: { done: Promise<void>; bytes: number }[] = [];
  let queuedBytes = 0;
  let lastWrite: Promise<void> = Promise.resolve();
  let failure: unknown;
  let lineCount = 0;
  let bytes = 0;

  const writeAll = async (buffer: Buffer) => {
    for (let offset = 0; offset < buffer.length;) offset += (await handle.write(buffer, offset, buffer.length - offset)).bytesWritten;
  };
  const check = () => {
    if (failure !== undefined) throw new WardenError('USAGE', `writing ${path} failed`, { cause: failure });
  };

  return {
    name: 'file',
    async write(events: readonly SimulatedEvent[]) {
      check();
      if (events.length === 0) return;
      const lines: string[] = new Array<string>(events.length + 1);
      for (let i = 0; i < events.length; i += 1) lines[i] = (events[i] as SimulatedEvent).line;
      lines[events.length] = ''; // the last line's newline
      const buffer = Buffer.from(lines.join('\n'));
      lineCount += events.length;
      bytes += buffer.length;
      const done = lastWrite.then(() => (failure === undefined ? writeAll(buffer) : undefined)).catch((error: unknown) => void (failure ??= error));
      lastWrite = done;
      queued.push({ done, bytes: buffer.length });
      queuedBytes += buffer.length;
      while (queuedBytes > MAX_QUEUED_BYTES) {
        const oldest = queued.shift() as { done: Promise<void>; bytes: number };
        await oldest.done;
        queuedBytes -= oldest.bytes;
      }
      check();
    },
    async close() {
      await lastWrite;
      await handle.close();
      check();
      return { path, lines: lineCount, bytes };
    },
  };
}
