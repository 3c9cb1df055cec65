// Graceful stop on SIGTERM / SIGINT.
//
// Node 20's `server.close()` stops listening at once, which resets every
// connection still waiting in the kernel's accept queue (Node accepts one per
// turn of the event loop, so under load several wait there although their
// clients have sent a request). It also destroys at once each connection with
// no request in progress, including one just accepted whose request has not
// been read yet; and a keep-alive socket held by a client keeps the server
// open. So the server is drained by hand:
//   1. keep accepting until a whole turn of the event loop accepted nothing
//      (the queue is empty), for at most ACCEPT_BACKLOG_MS, then stop
//      listening (net.Server's close, without http.Server's sweep);
//   2. every 100 ms close the connections that are idle (see closeIdle); a
//      request in progress, or one still arriving, is left to finish, and
//      every response written while draining carries `Connection: close`;
//   3. at the deadline close whatever is still open;
//   4. once no connection is left, run `onDrained` (the app's shutdown, then
//      the database) and exit 0.

import net from "node:net";

export const DRAIN_DEADLINE_MS = 10_000;
/** Extra time for `onDrained` (the outbox finishing its email) before the process gives up. */
export const STOP_DEADLINE_MS = 10_000;
/** Longest time spent accepting the connections already queued when the signal came (half the drain deadline). */
const ACCEPT_BACKLOG_MS = 5_000;
/** A connection that has sent no request for this long is idle, not a request still arriving. */
const FRESH_GRACE_MS = 1_000;

export function gracefulShutdown(server, { onDrained, drainDeadlineMs = DRAIN_DEADLINE_MS, stopDeadlineMs = STOP_DEADLINE_MS, log = console.log }) {
  let draining = false;
  let accepted = 0;
  /**
   * Open connections: when they opened, requests answered and in progress, the
   * bytes read when the last response ended, and how many sweeps saw them.
   */
  const connections = new Map();
  server.on("connection", (socket) => {
    accepted += 1;
    connections.set(socket, { openedAt: Date.now(), served: 0, active: 0, readWhenIdle: 0, sweeps: 0 });
    socket.once("close", () => connections.delete(socket));
  });
  server.on("request", (req, res) => {
    const state = connections.get(req.socket);
    if (!state) return;
    state.active += 1;
    res.once("close", () => {
      state.active -= 1;
      state.served += 1;
      state.readWhenIdle = req.socket.bytesRead;
    });
  });

  /**
   * Close the connections with nothing to answer: no request in progress, no
   * byte of a next request read, and either at least one request served (a
   * keep-alive socket) or nothing sent at all for a second and three sweeps
   * (each sweep is a turn of the event loop later, so a request waiting in
   * the kernel would have been read by then).
   */
  function closeIdle() {
    const now = Date.now();
    for (const [socket, state] of connections) {
      state.sweeps += 1;
      if (state.active > 0 || socket.bytesRead !== state.readWhenIdle) continue;
      if (state.served > 0 || (state.sweeps >= 3 && now - state.openedAt > FRESH_GRACE_MS)) socket.destroy();
    }
  }

  /** Calls `then` once a full turn of the event loop (timers → poll → timers) accepted no connection. */
  function afterAcceptQueueEmpty(then) {
    const started = Date.now();
    let seen = -1;
    const check = () => {
      if (accepted === seen) return then();
      if (Date.now() - started > ACCEPT_BACKLOG_MS) {
        log(`${ACCEPT_BACKLOG_MS / 1000} 秒経っても新しい接続が続くため、受け付けを止めます。`);
        return then();
      }
      seen = accepted;
      setTimeout(check, 10);
    };
    setTimeout(check, 10);
  }

  function stop(signal) {
    // A second signal (Ctrl-C pressed again): stop waiting for the requests in progress.
    if (draining) {
      for (const socket of connections.keys()) socket.destroy();
      return;
    }
    draining = true;
    log(`${signal} を受け取りました。処理中のリクエストを終えてから停止します…`);
    const sweep = setInterval(closeIdle, 100);
    const deadline = setTimeout(() => {
      log(`${drainDeadlineMs / 1000} 秒待っても終わらない接続を閉じます。`);
      for (const socket of connections.keys()) socket.destroy();
    }, drainDeadlineMs);
    afterAcceptQueueEmpty(() => {
      net.Server.prototype.close.call(server, async () => {
        clearInterval(sweep);
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
    });
  }

  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  /** Express middleware: while draining, tell keep-alive clients to reconnect elsewhere. */
  return (_req, res, next) => {
    if (draining) res.setHeader("Connection", "close");
    next();
  };
}
