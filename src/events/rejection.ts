// Why an event was refused: a stable code for metrics and machines, a one-line reason for people.
export const REJECTION_CODES = ['too_large', 'not_json', 'not_object', 'missing_field', 'invalid_field', 'field_too_large', 'bad_time', 'future_time'] as const;

export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  code: RejectionCode;
  reason: string;
}
