// Issue 11 item 4: responses that depend on a session or a token are never
// stored by a browser or proxy cache (Cache-Control: no-store by default, in
// app/http/caching.mjs); with an https APP_URL every response carries HSTS.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let cookie: string;
beforeAll(async () => {
  server = await startServer({ demoData: true });
  cookie = await signIn(server, "manager@demo.example");
});
afterAll(() => server?.stop());

async function cacheControl(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, { headers, redirect: "manual" });
  await res.arrayBuffer();
  return res.headers.get("cache-control");
}

describe("private responses are not cached", () => {
  it("signed-in pages and their data requests are no-store", async () => {
    for (const path of ["/staff", "/staff/organisations", "/calendar", "/staff.data", "/staff/organisations.data?_routes=routes/staff.organisations._index"]) {
      expect(await cacheControl(path, { Cookie: cookie }), path).toBe("no-store");
    }
  });

  it("a public page opened while signed in is no-store too (its header shows the user)", async () => {
    expect(await cacheControl("/", { Cookie: cookie })).toBe("no-store");
  });

  it("token pages are no-store even for unknown tokens", async () => {
    const db = server.db();
    const token = db.prepare("select status_token from visit_requests limit 1").pluck().get() as string;
    db.close();
    expect(await cacheControl(`/request/status/${token}`)).toBe("no-store");
    expect(await cacheControl("/request/status/unknown-token-unknown-token")).toBe("no-store");
    expect(await cacheControl("/feeds/user/unknown-token.ics")).toBe("no-store");
  });

  it("the response that sets the session cookie is no-store", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: "outreach@demo.example", password: "demo-pass-2026" }),
      redirect: "manual",
    });
    expect(res.headers.getSetCookie()).toHaveLength(1);
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("anonymous public pages and the build's assets keep their caching", async () => {
    expect(await cacheControl("/")).toBeNull();
    const html = await (await fetch(`${server.url}/`)).text();
    const asset = /src="(\/build\/[^"]+\.js)"/.exec(html)?.[1] ?? /href="(\/build\/[^"]+\.css)"/.exec(html)![1];
    expect(await cacheControl(asset, { Cookie: cookie })).toBe("public, max-age=31536000, immutable");
  });

  it("no HSTS while APP_URL is http", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("https", () => {
  it("sends HSTS on every response when APP_URL is https", async () => {
    const https = await startServer({ env: { APP_URL: "https://demado.example.jp" } });
    try {
      for (const path of ["/healthz", "/login", "/no-such-page", "/favicon.svg"]) {
        const res = await fetch(`${https.url}${path}`, { redirect: "manual" });
        expect(res.headers.get("strict-transport-security"), path).toBe("max-age=63072000; includeSubDomains");
      }
    } finally {
      await https.stop();
    }
  });
});
