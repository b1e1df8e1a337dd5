// Every error Warden throws on purpose, from one table of codes. The edges map them: the CLI to
// an exit code and a one-line reason, the API to problem+json, the Kafka source to retry or
// dead-letter. `retriable` says whether trying again later can succeed.
export const ERROR_CODES = {
  CONFIG_INVALID: { retriable: false, exitCode: 78 },
  CONFIG_FILE_UNREADABLE: { retriable: false, exitCode: 78 },
  STORAGE_UNAVAILABLE: { retriable: true, exitCode: 69 },
  STORAGE_WRITE_FAILED: { retriable: true, exitCode: 69 },
  MIGRATION_FAILED: { retriable: false, exitCode: 70 },
  BASELINE_CORRUPT: { retriable: false, exitCode: 65 },
  KAFKA_UNAVAILABLE: { retriable: true, exitCode: 69 },
  DEAD_LETTER_FAILED: { retriable: true, exitCode: 69 },
  INPUT_UNREADABLE: { retriable: false, exitCode: 66 },
  SHUTTING_DOWN: { retriable: false, exitCode: 0 },
  USAGE: { retriable: false, exitCode: 64 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class WardenError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WardenError';
    this.code = code;
    this.retriable = ERROR_CODES[code].retriable;
  }
}

export function isWardenError(error: unknown): error is WardenError {
  return error instanceof WardenError;
}

/** The one line a person reads: the message plus the cause's, without a stack. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error && !error.message.includes(error.cause.message) ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
