// The fixed-width input of the learned model, one row per scored event: what each registered
// detector found (its finding's score, 0 when it said nothing) plus a few facts of the event
// itself that need no per-agent state. The model learns which combinations of these are usual,
// so it adds evidence the detectors cannot give one by one; it reads their output, never their
// state. Free of TensorFlow so the pipeline can build rows without loading it.
//
// The signal slots follow the registry's order, read when this module loads: a new detector
// widens the vector, and a model saved before it no longer matches (model-scorer.ts refuses it,
// naming the difference) until it is retrained.
import { DETECTORS } from '../detect/registry.js';
import type { SignalFinding } from '../detect/combine.js';
import type { AuditEvent } from '../events/audit-event.js';

const SIGNAL_PREFIX = 'signal.';

/** Event facts after the signal slots, each scaled to about 0..1. */
const EVENT_FEATURE_NAMES = [
  /** 0.5 + 0.5·sin(2π · hour of day UTC / 24), fractional hours. */
  'event.hour_sin',
  /** 0.5 + 0.5·cos(2π · hour of day UTC / 24). */
  'event.hour_cos',
  /** ln(1 + bytes) / 20 (1 at ~485 MB). */
  'event.log_bytes',
  /** ln(1 + records) / 10 (1 at ~22,000 records). */
  'event.log_records',
  /** 1 if the outcome is failure. */
  'event.outcome_failure',
  /** 1 if the outcome is denied. */
  'event.outcome_denied',
  /** 1 if the event names a task (task_id or task.id). */
  'event.has_task',
  /** 1 if the task declares its actions and this action is not among them; 0 when nothing is declared. */
  'event.action_undeclared',
] as const;

const SIGNAL_NAMES: readonly string[] = DETECTORS.map((detector) => detector.name);

/** Every slot of a row, in order: `signal.<detector name>` for each detector, then `event.*`. */
export const MODEL_FEATURE_NAMES: readonly string[] = Object.freeze([...SIGNAL_NAMES.map((name) => `${SIGNAL_PREFIX}${name}`), ...EVENT_FEATURE_NAMES]);

export const MODEL_FEATURE_COUNT = MODEL_FEATURE_NAMES.length;

const SLOT_OF_SIGNAL = new Map(SIGNAL_NAMES.map((name, slot) => [name, slot]));
const EVENT_OFFSET = SIGNAL_NAMES.length;
const DAY_MS = 86_400_000;
const TWO_PI = 2 * Math.PI;

/**
 * Writes the event's row into `out[offset .. offset + MODEL_FEATURE_COUNT)`. `findings` are the
 * scored findings of the event (EventScore.reasons); signals this model does not know (its own
 * finding, a detector added after it) are ignored.
 */
export function modelFeatures(findings: readonly SignalFinding[], event: AuditEvent, out: Float32Array, offset: number): void {
  out.fill(0, offset, offset + MODEL_FEATURE_COUNT);
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as SignalFinding;
    const slot = SLOT_OF_SIGNAL.get(finding.signal);
    if (slot !== undefined) out[offset + slot] = finding.score;
  }
  const dayAngle = (TWO_PI * (((event.timeMs % DAY_MS) + DAY_MS) % DAY_MS)) / DAY_MS;
  const at = offset + EVENT_OFFSET;
  out[at] = 0.5 + 0.5 * Math.sin(dayAngle);
  out[at + 1] = 0.5 + 0.5 * Math.cos(dayAngle);
  out[at + 2] = Math.log1p(event.bytes ?? 0) / 20;
  out[at + 3] = Math.log1p(event.records ?? 0) / 10;
  out[at + 4] = event.outcome === 'failure' ? 1 : 0;
  out[at + 5] = event.outcome === 'denied' ? 1 : 0;
  out[at + 6] = (event.task_id ?? event.task?.id ?? '') === '' ? 0 : 1;
  const declared = event.task?.declared_actions;
  out[at + 7] = declared !== undefined && declared.length > 0 && !declared.includes(event.action) ? 1 : 0;
}
