// Drill (issue 11 item 12): SIGTERM while requests are in flight. The server
// stops accepting, answers every request it already has (a slow upload
// included), closes idle keep-alive connections, runs the app's shutdown,
// closes the database and exits 0.
import fs from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ demoData: false });
});
afterAll(() => server?.stop());

type Outcome = { status: number; body: string } | { error: string };

/** One request on its own connection; resolves once the request is fully sent, and again with its outcome. */
function send(path: string, options: { method?: string; body?: string; slowMs?: number; agent?: http.Agent } = {}) {
  let sentResolve!: () => void;
  const sent = new Promise<void>((r) => (sentResolve = r));
  const outcome = new Promise<Outcome>((resolve) => {
    const body = options.body ?? "";
    const req = http.request(`${server.url}${path}`, {
      method: options.method ?? "GET",
      agent: options.agent ?? false,
      headers: body ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) } : {},
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
      res.on("error", (e) => resolve({ error: e.message }));
    });
    req.on("error", (e) => resolve({ error: e.message }));
    if (!options.slowMs) {
      // Sent: connected and the whole request written.
      let connected = false;
      let written = false;
      req.once("socket", (s) => s.once("connect", () => ((connected = true), written && sentResolve())));
      req.end(body, () => ((written = true), connected && sentResolve()));
      return;
    }
    // A slow client: the body trickles in over slowMs, the headers went out at once.
    req.flushHeaders();
    req.once("socket", (s) => s.once("connect", () => sentResolve()));
    const bytes = Buffer.from(body);
    const step = Math.ceil(bytes.length / 20);
    let i = 0;
    const timer = setInterval(() => {
      req.write(bytes.subarray(i, i + step));
      i += step;
      if (i >= bytes.length) {
        clearInterval(timer);
        req.end();
      }
    }, options.slowMs / 20);
  });
  return { sent, outcome };
}

const signInBody = (n: number) => new URLSearchParams({ email: `drill-${n}@example.jp`, password: "wrong-password" }).toString();

it("SIGTERM drains in-flight requests (a 4.5 s upload included), closes idle keep-alive sockets, and exits 0 with the database closed", async () => {
  // An idle keep-alive connection, as a browser leaves one: it must not hold the shutdown up.
  const keepAlive = new http.Agent({ keepAlive: true });
  const warm = await send("/healthz", { agent: keepAlive }).outcome;
  expect(warm).toMatchObject({ status: 200 });

  const slow = send("/login", { method: "POST", body: signInBody(0), slowMs: 4_500 });
  // Four rounds of: a failed sign-in (a password hash and a database write) and five pages.
  const burst = [1, 2, 3, 4].flatMap((n) => [
    send("/login", { method: "POST", body: signInBody(n) }),
    send("/login"),
    send("/"),
    send("/request"),
    send("/schedule"),
    send("/no-such-page"),
  ]);
  await Promise.all([slow.sent, ...burst.map((r) => r.sent)]);

  server.child.kill("SIGTERM");
  // Once the connections queued at the signal are taken (at most 5 s), new
  // ones are refused while the upload still goes on. (One that races the
  // closing of the listener may be answered or reset; that is TCP.)
  let slowDone = false;
  void slow.outcome.then(() => (slowDone = true));
  let refusedWhileDraining = false;
  while (!slowDone && !refusedWhileDraining) {
    const probe = await send("/healthz").outcome;
    refusedWhileDraining = "error" in probe && /ECONNREFUSED/.test(probe.error) && !slowDone;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(refusedWhileDraining).toBe(true);

  const outcomes = await Promise.all([slow.outcome, ...burst.map((r) => r.outcome)]);
  const code = await server.exited;

  // Each answered in full: Remix's streamed data ends by closing its stream.
  // Pages without JavaScript (docs/decisions/008) end at </html>; hydrated ones stream their data after it.
  const whole = (body: string) => body.includes("</html>") && (!body.includes("streamController") || body.includes("streamController.close();"));
  const summary = outcomes.map((o) => ("error" in o ? o.error : `${o.status}${whole(o.body) ? " complete" : " cut"}`));
  const round = ["200 complete", "200 complete", "200 complete", "200 complete", "200 complete", "404 complete"];
  expect(summary, server.output()).toEqual(["200 complete", ...round, ...round, ...round, ...round]);
  expect(code).toBe(0);
  // The idle keep-alive socket did not hold the server open until the 10 s
  // deadline, which would have closed connections with this message.
  expect(server.output()).toContain("SIGTERM を受け取りました");
  expect(server.output()).not.toContain("秒待っても終わらない接続を閉じます");

  // Every sign-in the server answered was recorded, and the database was closed cleanly (its WAL merged and removed).
  expect(fs.existsSync(`${server.dbFile}-wal`)).toBe(false);
  const db = server.db();
  expect(db.prepare("select count(*) from login_attempts").pluck().get()).toBe(5);
  expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  db.close();
  keepAlive.destroy();
});
