// Issue 11 item 3: a state-changing request sent from another site's page is
// refused with 403 in one place (app/http/origin.mjs) and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startServer, type RunningServer } from "../../support/server";

const REFUSAL = "別のサイトから送られた操作のため受け付けませんでした。このサイトの画面を開き直してから操作してください。";

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ demoData: true });
});
afterAll(() => server?.stop());

/** Whether the cookie still opens a staff page. */
async function signedIn(cookie: string) {
  const res = await fetch(`${server.url}/staff`, { headers: { Cookie: cookie }, redirect: "manual" });
  return res.status === 200;
}

function visitRow(id: number) {
  const db = server.db();
  try {
    return db.prepare("select status, starts_at as startsAt, ends_at as endsAt, version from visits where id = ?").get(id) as {
      status: string;
      startsAt: string;
      endsAt: string;
      version: number;
    };
  } finally {
    db.close();
  }
}

/** An approved group visit of the demo data and a shortened end (a resize on the calendar). */
function approvedVisit() {
  const db = server.db();
  const v = db.prepare("select id, starts_at as startsAt, ends_at as endsAt from visits where kind = 'group' and status = 'approved' order by starts_at limit 1").get() as {
    id: number;
    startsAt: string;
    endsAt: string;
  };
  db.close();
  const end = new Date(`${v.endsAt}:00Z`);
  end.setUTCMinutes(end.getUTCMinutes() - 30);
  return { ...v, newEnd: end.toISOString().slice(0, 16) };
}

function move(cookie: string, v: ReturnType<typeof approvedVisit>, headers: Record<string, string>) {
  return fetch(`${server.url}/calendar/move`, {
    method: "POST",
    headers: { Cookie: cookie, ...headers },
    body: new URLSearchParams({ visitId: String(v.id), startsAt: v.startsAt, endsAt: v.newEnd }),
  });
}

describe("requests from another site", () => {
  it("a foreign Origin cannot sign the user out", async () => {
    const cookie = await signIn(server, "outreach@demo.example");
    const res = await fetch(`${server.url}/logout`, { method: "POST", headers: { Cookie: cookie, Origin: "https://evil.example" }, redirect: "manual" });
    expect(res.status).toBe(403);
    expect(await res.text()).toBe(REFUSAL);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await signedIn(cookie)).toBe(true);
  });

  it("a foreign Origin, or a foreign Referer without Origin, or Origin null, cannot move an approved visit", async () => {
    const cookie = await signIn(server, "manager@demo.example");
    const v = approvedVisit();
    const before = visitRow(v.id);
    expect(before.status).toBe("approved");
    for (const headers of <Record<string, string>[]>[
      { Origin: "https://evil.example" },
      { Origin: `http://127.0.0.1:${server.port}.evil.example` },
      { Origin: `https://127.0.0.1:${server.port}` }, // same host, other scheme
      { Origin: "null" },
      { Referer: "https://evil.example/page" },
      { Referer: "not a url" },
    ]) {
      const res = await move(cookie, v, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    expect(visitRow(v.id)).toEqual(before);
  });

  it("Origin null passes only when the browser marks the post same-origin (a plain form post from a no-referrer page)", async () => {
    const cookie = await signIn(server, "manager@demo.example");
    const v = approvedVisit();
    const before = visitRow(v.id);
    for (const site of ["cross-site", "same-site", "none"]) {
      const res = await move(cookie, v, { Origin: "null", "Sec-Fetch-Site": site });
      expect(res.status, site).toBe(403);
    }
    expect(visitRow(v.id)).toEqual(before);
    const res = await move(cookie, v, { Origin: "null", "Sec-Fetch-Site": "same-origin" });
    expect(res.status).toBe(200);
    expect(visitRow(v.id)).toMatchObject({ status: "awaiting_city", endsAt: v.newEnd });
  });

  it("the app's own origin (APP_URL or the address the browser used) still works, as does a same-origin Referer", async () => {
    const cookie = await signIn(server, "manager@demo.example");
    const v = approvedVisit();
    const res = await move(cookie, v, { Origin: `http://127.0.0.1:${server.port}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
    // Moving an approved visit sends it back to the city.
    expect(visitRow(v.id)).toMatchObject({ status: "awaiting_city", endsAt: v.newEnd });

    // Opened as localhost although APP_URL says 127.0.0.1: the Host the browser used is the app's origin too.
    const viaLocalhost = await fetch(`http://localhost:${server.port}/logout`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: `http://localhost:${server.port}` },
      redirect: "manual",
    });
    expect(viaLocalhost.status).toBe(302);
    expect(await signedIn(cookie)).toBe(false);

    const second = await signIn(server, "outreach@demo.example");
    const viaReferer = await fetch(`${server.url}/logout`, {
      method: "POST",
      headers: { Cookie: second, Referer: `http://127.0.0.1:${server.port}/staff` },
      redirect: "manual",
    });
    expect(viaReferer.status).toBe(302);
    expect(await signedIn(second)).toBe(false);
  });

  it("a request with neither Origin nor Referer (curl, scripts) is let through: browsers always send Origin on a cross-site POST", async () => {
    const cookie = await signIn(server, "outreach@demo.example");
    const res = await fetch(`${server.url}/logout`, { method: "POST", headers: { Cookie: cookie }, redirect: "manual" });
    expect(res.status).toBe(302);
    expect(await signedIn(cookie)).toBe(false);
  });

  it("the public request form refuses a foreign Origin and stores nothing", async () => {
    const db = server.db();
    const count = () => (db.prepare("select count(*) as n from visits").get() as { n: number }).n;
    const before = count();
    const res = await fetch(`${server.url}/request`, {
      method: "POST",
      headers: { Origin: "https://evil.example" },
      body: new URLSearchParams({ organisationName: "偽の団体" }),
    });
    expect(res.status).toBe(403);
    expect(count()).toBe(before);
    db.close();
  });

  it("reading (GET) from anywhere is unaffected", async () => {
    const res = await fetch(`${server.url}/login`, { headers: { Origin: "https://evil.example" } });
    expect(res.status).toBe(200);
  });
});
