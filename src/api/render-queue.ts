import { ApiError } from "./problem.js";

/**
 * A bounded queue for heavy rendering (the brief: jsdom and Observable Plot, synchronous, tens of
 * milliseconds to seconds). At most `concurrency` renders run at once and `maxWaiting` wait; a
 * request beyond that gets a 503 with Retry-After at once instead of queueing without bound. Each
 * render starts on a fresh turn of the event loop (setImmediate), so requests that arrived while the
 * previous one ran (/health, a page) are answered between two renders, not after all of them.
 */
export function renderQueue({ concurrency = 1, maxWaiting = 32, retryAfterSeconds = 2 } = {}) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(task: () => T | Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= maxWaiting) {
        throw new ApiError(503, `Too many renders waiting (${maxWaiting}); try again in ${retryAfterSeconds} s`, undefined, retryAfterSeconds);
      }
      // The slot is handed over by the render that ends (running is not decremented for it).
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else running++;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
