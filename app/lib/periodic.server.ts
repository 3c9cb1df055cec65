/**
 * A job the in-process worker runs every few minutes (morning emails): one
 * timer, errors logged and never thrown into the timer, unref'd so it never
 * keeps the process alive, run once at start.
 */
export function periodicJob(name: string, run: () => unknown, defaultIntervalMs = 10 * 60_000) {
  let timer: NodeJS.Timeout | undefined;
  return {
    start(intervalMs = defaultIntervalMs) {
      if (timer) return;
      const tick = () => {
        try {
          run();
        } catch (error) {
          console.error(`${name}:`, error);
        }
      };
      timer = setInterval(tick, intervalMs);
      timer.unref();
      tick();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
