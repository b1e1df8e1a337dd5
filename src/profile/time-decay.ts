// Exponential decay on event time, shared by every time-windowed signal.
//
// Decay only ever moves forward: callers decay to max(event time, their last time), so an
// out-of-order event is folded in at the newest time already seen and a value never grows by
// "negative decay".

/** Weight that survives `elapsedMs` with time constant `timeConstantMs` (1/e after one constant). */
export function decayFactor(elapsedMs: number, timeConstantMs: number): number {
  return elapsedMs <= 0 ? 1 : Math.exp(-elapsedMs / timeConstantMs);
}

/** Half-life of a time constant: the weight halves every `timeConstantMs · ln 2`. */
export function halfLifeMs(timeConstantMs: number): number {
  return timeConstantMs * Math.LN2;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;
