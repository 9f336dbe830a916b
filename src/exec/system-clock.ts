import type { Clock } from "../core/index.js";

/** The real clock: monotonic high-resolution time on the epoch scale, and real timers. */
export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimer(ms, callback) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};
