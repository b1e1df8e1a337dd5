// Every detector Warden runs, in the order their findings are computed. Adding a detector is one
// file exporting a Detector plus one line here (and its test); its state slice appears in every
// agent profile under its name, and older profiles without that slice start it fresh (a slice of
// a detector no longer listed, like 0.1.0's exact-IP source_ip_novelty, is dropped on restore).
import { actionFrequencyDetector } from './action-frequency.js';
import { bytesVolumeDetector } from './bytes-volume.js';
import { contextNoveltyDetector } from './context-novelty.js';
import { declaredIntentDetector } from './declared-intent.js';
import type { Detector } from './detector.js';
import { dormancyDetector } from './dormancy.js';
import { eventRateDetector } from './event-rate.js';
import { fanOutDetector } from './fan-out.js';
import { hourOfWeekDetector } from './hour-of-week.js';
import { outcomeFailuresDetector } from './outcome-failures.js';
import { recordsVolumeDetector } from './records-volume.js';
import { repeatedCallDetector } from './repeated-call.js';
import { resourceNoveltyDetector } from './resource-novelty.js';
import { tokenContextDetector } from './token-context.js';
import { workflowDetector } from './workflow.js';

const REGISTERED_DETECTORS = [
  eventRateDetector,
  actionFrequencyDetector,
  resourceNoveltyDetector,
  contextNoveltyDetector,
  hourOfWeekDetector,
  outcomeFailuresDetector,
  bytesVolumeDetector,
  recordsVolumeDetector,
  fanOutDetector,
  workflowDetector,
  tokenContextDetector,
  declaredIntentDetector,
  dormancyDetector,
  repeatedCallDetector,
] as const;

type RegisteredDetector = (typeof REGISTERED_DETECTORS)[number];

/** One plain-data state slice per registered detector, keyed by its name. */
export type SignalStates = {
  [D in RegisteredDetector as D['name']]: D extends Detector<infer State, string> ? State : never;
};

export type SignalName = keyof SignalStates;

/** The registry seen generically: each detector's state type is known only to itself. */
export const DETECTORS: readonly Detector<unknown>[] = REGISTERED_DETECTORS;
