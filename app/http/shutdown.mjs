// Graceful stop on SIGTERM / SIGINT.
//
// Node 20's `server.close()` stops accepting but waits for every open socket,
// and a keep-alive socket stays open after its last response. So: close, then
// keep closing the idle connections (a socket becomes idle when its in-flight
// request is answered), and close whatever is left at the deadline. Responses
// written while draining carry `Connection: close`. Then the app's own work
// stops (`onDrained`: timers, the outbox worker, the database), and the
// process exits.

export const DRAIN_DEADLINE_MS = 10_000;
/** Extra time for `onDrained` (the outbox finishing its email) before the process gives up. */
export const STOP_DEADLINE_MS = 10_000;

export function gracefulShutdown(server, { onDrained, drainDeadlineMs = DRAIN_DEADLINE_MS, stopDeadlineMs = STOP_DEADLINE_MS, log = console.log }) {
  let draining = false;

  function stop(signal) {
    if (draining) return;
    draining = true;
    log(`${signal} を受け取りました。処理中のリクエストを終えてから停止します…`);
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      log(`${drainDeadlineMs / 1000} 秒待っても終わらない接続を閉じます。`);
      server.closeAllConnections();
    }, drainDeadlineMs);
    server.close(async () => {
      clearInterval(idle);
      clearTimeout(deadline);
      setTimeout(() => {
        console.error("停止処理が終わらないため強制終了します。");
        process.exit(1);
      }, stopDeadlineMs).unref();
      try {
        await onDrained();
        process.exit(0);
      } catch (error) {
        console.error(error);
        process.exit(1);
      }
    });
    server.closeIdleConnections();
  }

  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  /** Express middleware: while draining, tell keep-alive clients to reconnect elsewhere. */
  return (_req, res, next) => {
    if (draining) res.setHeader("Connection", "close");
    next();
  };
}
