// Issue 11 item 10 (server part): TRUST_PROXY decides how far X-Forwarded-For
// is believed, and the app keys its per-client limits on the result
// (x-demado-client-ip, set by server.mjs from Express's req.ip). The address a
// failed sign-in is counted under (login_attempts.ip) shows what the app saw.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** A failed sign-in with the given headers; returns the address it was counted under. */
async function addressSeen(headers: Record<string, string>) {
  const email = `probe-${Math.random().toString(36).slice(2)}@example.jp`;
  const res = await fetch(`${server!.url}/login`, { method: "POST", headers, body: new URLSearchParams({ email, password: "wrong-password" }) });
  expect(res.status).toBe(200);
  const db = server!.db();
  const row = db.prepare("select ip from login_attempts where email = ?").get(email) as { ip: string };
  db.close();
  return row.ip;
}

const LOOPBACK = /^(::ffff:)?127\.0\.0\.1$/;

describe("the client address behind proxies", () => {
  it("without TRUST_PROXY the socket address counts; X-Forwarded-For and a forged x-demado-client-ip are ignored", async () => {
    server = await startServer();
    expect(await addressSeen({})).toMatch(LOOPBACK);
    expect(await addressSeen({ "X-Forwarded-For": "203.0.113.7" })).toMatch(LOOPBACK);
    expect(await addressSeen({ "x-demado-client-ip": "198.51.100.1" })).toMatch(LOOPBACK);
  });

  it("TRUST_PROXY=1 believes the one proxy in front: the last address it appended", async () => {
    server = await startServer({ env: { TRUST_PROXY: "1" } });
    // The client claimed 203.0.113.7; our proxy saw it connect from 198.51.100.23.
    expect(await addressSeen({ "X-Forwarded-For": "203.0.113.7, 198.51.100.23" })).toBe("198.51.100.23");
    expect(await addressSeen({ "X-Forwarded-For": "198.51.100.23" })).toBe("198.51.100.23");
    expect(await addressSeen({})).toMatch(LOOPBACK);
  });

  it("TRUST_PROXY as addresses believes only hops from those addresses", async () => {
    server = await startServer({ env: { TRUST_PROXY: "loopback, 10.0.0.0/8" } });
    // 10.1.2.3 is a trusted inner proxy, so the address before it is the client.
    expect(await addressSeen({ "X-Forwarded-For": "203.0.113.7, 10.1.2.3" })).toBe("203.0.113.7");
    // 198.51.100.23 is not ours: it is the client, whatever it claims before.
    expect(await addressSeen({ "X-Forwarded-For": "203.0.113.7, 198.51.100.23" })).toBe("198.51.100.23");
  });

  it.each([
    ["true", "すべての X-Forwarded-For を信じる"],
    ["10.0.0.0/33", "を読めません"],
    ["proxy.example", "を読めません"],
    ["1,,2", "空の項目"],
    ["11", "多すぎます"],
  ])("refuses to start with TRUST_PROXY=%s and says how to fix it", (value, message) => {
    const run = spawnSync(process.execPath, ["server.mjs"], {
      cwd: path.resolve(__dirname, "../../.."),
      env: { ...process.env, NODE_ENV: "production", TRUST_PROXY: value, PORT: "1", DATABASE_URL: "/nonexistent/never-opened.db" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("TRUST_PROXY=1");
  });
});
