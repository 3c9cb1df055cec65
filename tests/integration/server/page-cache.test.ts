// Issue 14 item 4: anonymous GETs of the public pages are served from a render
// cache (app/http/page-cache.mjs). What a visitor must be able to rely on:
// a change to the schedule or the settings shows at once, a signed-in page is
// never handed to anyone else, and every response keeps its own CSP nonce,
// its own form key and every security header.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let manager: string;
beforeAll(async () => {
  server = await startServer({ demoData: true });
  manager = await signIn(server, "manager@demo.example");
});
afterAll(() => server?.stop());

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, { headers, redirect: "manual" });
  // React separates adjacent text with <!-- -->: read the text as a visitor does.
  return { res, html: (await res.text()).replaceAll("<!-- -->", "") };
}

/** Warm the cache: the second anonymous request of a page is the one served from it. */
async function cached(path: string) {
  await get(path);
  return get(path);
}

describe("cached public pages follow every change at once", () => {
  it("a session moved by staff leaves /schedule on the next request (it needs agreeing again)", async () => {
    const db = server.db();
    const session = db
      .prepare("select id, starts_at as startsAt, ends_at as endsAt, version from visits where kind = 'roaming' and status = 'agreed' and date > date('now', '+2 day') order by date limit 1")
      .get() as { id: number; startsAt: string; endsAt: string; version: number };
    const shown = db.prepare("select count(*) from visits where kind in ('roaming', 'base') and status = 'agreed' and date >= date('now', '+9 hours')").pluck().get() as number;
    db.close();
    const before = await cached("/schedule");
    expect(before.html).toContain(`${shown}件の予定があります。`);

    // Through the app itself (the server's own connection): ends half an hour earlier, so the session is planned again.
    const newEnd = `${session.endsAt.slice(0, 11)}${String(Number(session.endsAt.slice(11, 13)) - 1).padStart(2, "0")}:30`;
    const moved = await fetch(`${server.url}/calendar/move`, {
      method: "POST",
      headers: { Cookie: manager, Origin: server.url },
      body: new URLSearchParams({ visitId: String(session.id), startsAt: session.startsAt, endsAt: newEnd, version: String(session.version) }),
    });
    expect(await moved.json()).toMatchObject({ ok: true });

    expect((await get("/schedule")).html).toContain(`${shown - 1}件の予定があります。`);
  });

  it("a settings change written by another process (a CLI, a restore) shows on the next request", async () => {
    const before = await cached("/");
    expect(before.html).not.toContain("0120-999-888");
    const db = server.db();
    db.prepare("insert into settings (key, value) values ('windowPhone', '\"0120-999-888\"') on conflict(key) do update set value = excluded.value").run();
    db.close();
    expect((await get("/")).html).toContain("0120-999-888");
    expect((await get("/request")).html).toContain("0120-999-888");
  });
});

describe("no page is shared between people", () => {
  it("a signed-in visitor gets their own page, never the anonymous one, and anonymous visitors never get theirs", async () => {
    await cached("/");
    const signedIn = await get("/", { Cookie: manager });
    expect(signedIn.html).toContain("サインアウト");
    const schedule = await get("/schedule", { Cookie: manager });
    expect(schedule.html).toContain("サインアウト");
    expect(schedule.res.headers.get("cache-control")).toBe("no-store");
    const anonymous = await get("/schedule");
    expect(anonymous.html).not.toContain("サインアウト");
    expect(anonymous.html).toContain("職員サインイン");
  });

  it("every response has its own CSP nonce and its own form key, and keeps every security header", async () => {
    await get("/request");
    const pages = [await get("/request"), await get("/request"), await get("/request")];
    const nonces = new Set<string>();
    const keys = new Set<string>();
    for (const { res, html } of pages) {
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      nonces.add(nonce!);
      // Every inline script carries this response's nonce, and only it.
      const scriptNonces = [...html.matchAll(/<script\b[^>]*\bnonce="([^"]*)"/g)].map((m) => m[1]);
      for (const n of scriptNonces) expect(n).toBe(nonce);
      const key = /name="idempotencyKey"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="idempotencyKey"/.exec(html);
      const value = key?.[1] ?? key?.[2];
      expect(value).toMatch(/^[A-Za-z0-9_-]{24}$/);
      keys.add(value!);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    expect(nonces.size).toBe(3);
    expect(keys.size).toBe(3);
  });

  it("two forms served from the cache make two requests, not one repeated receipt", async () => {
    const keyOf = (html: string) => {
      const m = /name="idempotencyKey"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="idempotencyKey"/.exec(html)!;
      return m[1] ?? m[2];
    };
    const submit = async (idempotencyKey: string, organisationName: string, preferredDate1: string) => {
      const res = await fetch(`${server.url}/request?index`, {
        method: "POST",
        redirect: "manual",
        headers: { Origin: server.url },
        body: new URLSearchParams({
          idempotencyKey,
          organisationName,
          organisationKind: "company",
          postalCode: "030-0801",
          address: "青森市新町一丁目1番",
          contactName: "確認太郎",
          phone: "017-000-0001",
          email: "cache-check@example.jp",
          expectedApplicants: "20",
          preferredDate1,
          preferredSlot1: "am",
          venueText: "会議室",
          parking: "yes",
          message: "",
          consent: "on",
        }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    // The first date the form takes (a weekday in the program, far enough ahead).
    const dates = Array.from({ length: 30 }, (_, i) => new Date(Date.now() + (30 + i) * 86_400_000).toISOString().slice(0, 10));
    let date = "";
    for (const d of dates) if (!date && (await submit(`probe-${d}-0123456789`, "日付確認商事", d)) === 303) date = d;
    expect(date).not.toBe("");

    // Two visitors open the form from the cache, then both send the same details. First let the
    // outbox worker deliver the receipt above: its write would make the next page a fresh render.
    const db = server.db();
    for (let i = 0; i < 100 && (db.prepare("select count(*) from email_outbox where state in ('pending', 'sending', 'retrying')").pluck().get() as number) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    db.close();
    await get("/request");
    const first = keyOf((await get("/request")).html);
    const second = keyOf((await get("/request")).html);
    expect(await submit(first, "キャッシュ確認商事", date)).toBe(303);
    expect(await submit(second, "キャッシュ確認商事", date)).toBe(303);
    const check = server.db();
    expect(check.prepare("select count(*) from visit_requests where organisation_name = 'キャッシュ確認商事'").pluck().get()).toBe(2);
    check.close();
  });
});
