// Reference detector 1: a per-agent event-rate z-score, the simplest thing a team would build.
// Per agent, in event time, online, learning from every event (no protection against an attack
// teaching it):
//   count  = the agent's events in the last 60 s, this one included (exact sliding window);
//   mean, std = of the agent's per-minute counts over the calendar minutes (UTC) in which it
//           was active, each folded in (Welford) once the minute is over;
//   score  = (count − mean) / max(std, 1)   (0 until two active minutes are complete).
// Active minutes only, not idle ones: with idle minutes counted as 0, every call of an agent
// that calls once an hour would read as a 7σ burst. The std floor of 1 call keeps an agent with
// perfectly regular minutes from turning one extra call into an infinite z.
import type { ReplayedEvent } from '../replay.js';

const WINDOW_MS = 60_000;
const MINUTE_MS = 60_000;
const MIN_COMPLETE_MINUTES = 2;
const MIN_STD = 1;

interface AgentRateState {
  /** Times of the agent's events in the sliding window: `windowTimes[windowStart..]`. */
  windowTimes: number[];
  windowStart: number;
  latestMs: number;
  currentMinute: number;
  currentMinuteCount: number;
  /** Welford accumulators over completed active minutes. */
  minutes: number;
  meanPerMinute: number;
  squaredDeviations: number;
}

export class RateZScoreReference {
  private readonly agents = new Map<string, AgentRateState>();

  /** Scores `event` against its agent's rate history, then learns it. */
  scoreAndLearn(event: Pick<ReplayedEvent, 'agent_id' | 'time'>): number {
    let state = this.agents.get(event.agent_id);
    if (!state) {
      state = {
        windowTimes: [],
        windowStart: 0,
        latestMs: event.time,
        currentMinute: Math.floor(event.time / MINUTE_MS),
        currentMinuteCount: 0,
        minutes: 0,
        meanPerMinute: 0,
        squaredDeviations: 0,
      };
      this.agents.set(event.agent_id, state);
    }
    // Input is time-ordered; a late event is counted at the newest time seen, never rewinding.
    const atMs = Math.max(event.time, state.latestMs);
    state.latestMs = atMs;

    const minute = Math.floor(atMs / MINUTE_MS);
    if (minute !== state.currentMinute) {
      foldMinute(state, state.currentMinuteCount);
      state.currentMinute = minute;
      state.currentMinuteCount = 0;
    }
    state.currentMinuteCount++;

    const times = state.windowTimes;
    times.push(atMs);
    while ((times[state.windowStart] as number) <= atMs - WINDOW_MS) state.windowStart++;
    if (state.windowStart > 1024 && state.windowStart * 2 > times.length) {
      times.splice(0, state.windowStart);
      state.windowStart = 0;
    }
    const lastMinuteCount = times.length - state.windowStart;

    if (state.minutes < MIN_COMPLETE_MINUTES) return 0;
    const std = Math.sqrt(state.squaredDeviations / (state.minutes - 1));
    return (lastMinuteCount - state.meanPerMinute) / Math.max(std, MIN_STD);
  }
}

function foldMinute(state: AgentRateState, count: number): void {
  state.minutes++;
  const delta = count - state.meanPerMinute;
  state.meanPerMinute += delta / state.minutes;
  state.squaredDeviations += delta * (count - state.meanPerMinute);
}
