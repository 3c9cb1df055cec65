/**
 * Every .ics the app produces (public schedule, personal feeds, the status
 * page's file, the emails' attachments), read back with two independent
 * parsers (node-ical and ical.js) and checked against RFC 5545's 75-octet
 * line limit with Japanese text.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import ICAL from "ical.js";
import * as nodeIcal from "node-ical";
import type { ParsedMail } from "mailparser";
import { startParsingSmtp } from "../support/smtp";
import { publicIcs, regenerateCalendarToken, userIcs } from "../../app/calendar/feeds.server";
import { getDb } from "../../app/db.server";
import { processOutbox } from "../../app/email/outbox.server";
import { todayInTokyo } from "../../app/lib/dates";
import { foldLine } from "../../app/lib/ics.server";
import { requestIcs } from "../../app/requests/status.server";
import { loader as userIcsLoader } from "../../app/routes/feeds.user.$token";
import { loader as scheduleIcsLoader } from "../../app/routes/schedule[.]ics";
import { rescheduleVisit } from "../../app/visits/scheduling.server";
import { applyTransition } from "../../app/visits/transitions.server";
import { loadDemoData } from "../../db/demo/seed";
import { users, venues, visits } from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { groupVisit, plainWeekdayAhead, seedBasics, type Fixture } from "../support/visits";

let ctx: ReturnType<typeof useFreshDatabase>;
let smtp: Awaited<ReturnType<typeof startParsingSmtp>>;
let inbox: ParsedMail[] = [];
// A venue whose name pushes the summary and location lines well past 75 octets.
const LONG_VENUE = "あおば市北部地区コミュニティセンター大ホール（旧あおば第二小学校体育館）";

beforeAll(async () => {
  smtp = await startParsingSmtp();
  inbox = smtp.inbox;
  process.env.SMTP_URL = smtp.url;
  process.env.APP_URL = "https://madoguchi.city.aoba.example.jp";
  ctx = useFreshDatabase();
});
afterAll(async () => {
  ctx.cleanup();
  delete process.env.SMTP_URL;
  delete process.env.APP_URL;
  await smtp.close();
});

type Ev = { uid: string; summary: string; location: string | null; status: string | null; sequence: number | null; lastModified: string | null };

/** Parse with ical.js (throws on malformed input). */
function withIcalJs(body: string): { method: string | null; events: Ev[] } {
  const cal = new ICAL.Component(ICAL.parse(body));
  return {
    method: (cal.getFirstPropertyValue("method") as string | null) ?? null,
    events: cal.getAllSubcomponents("vevent").map((v) => {
      const lm = v.getFirstPropertyValue("last-modified") as ICAL.Time | null;
      return {
        uid: String(v.getFirstPropertyValue("uid")),
        summary: String(v.getFirstPropertyValue("summary")),
        location: (v.getFirstPropertyValue("location") as string | null) ?? null,
        status: (v.getFirstPropertyValue("status") as string | null) ?? null,
        sequence: (v.getFirstPropertyValue("sequence") as number | null) ?? null,
        lastModified: lm ? lm.toJSDate().toISOString() : null,
      };
    }),
  };
}

/** Parse with node-ical. */
function withNodeIcal(body: string): { method: string | null; events: Ev[] } {
  const parsed = nodeIcal.sync.parseICS(body);
  const cal = Object.values(parsed).find((c) => c?.type === "VCALENDAR") as { method?: string } | undefined;
  const events = Object.values(parsed)
    .filter((c): c is nodeIcal.VEvent => c?.type === "VEVENT")
    .map((v) => {
      const raw = v as unknown as { sequence?: string | number; lastmodified?: Date; location?: string; status?: string };
      return {
        uid: v.uid,
        summary: String(v.summary),
        location: raw.location ? String(raw.location) : null,
        status: raw.status ?? null,
        sequence: raw.sequence === undefined ? null : Number(raw.sequence),
        lastModified: raw.lastmodified ? new Date(raw.lastmodified).toISOString() : null,
      };
    });
  return { method: cal?.method ?? null, events };
}

/** Both parsers read the same calendar; returns it. */
function parseBoth(body: string) {
  const a = withIcalJs(body);
  const b = withNodeIcal(body);
  const byUid = (x: Ev, y: Ev) => x.uid.localeCompare(y.uid);
  expect(b.method).toBe(a.method);
  expect([...b.events].sort(byUid)).toEqual([...a.events].sort(byUid));
  return a;
}

/** RFC 5545 §3.1: no line longer than 75 octets, CRLF endings. */
function expectFoldedByOctets(body: string) {
  expect(body.endsWith("\r\n")).toBe(true);
  const lines = body.split("\r\n");
  const long = lines.filter((l) => Buffer.byteLength(l, "utf8") > 75);
  expect(long).toEqual([]);
  // No bare LF and no broken (U+FFFD) characters from a split multi-byte sequence.
  expect(body.replace(/\r\n/g, "")).not.toMatch(/[\n\r\uFFFD]/);
}

const iso = (s: string) => new Date(s).toISOString();

describe("folding (RFC 5545 §3.1)", () => {
  it("folds at 75 octets and never inside a Japanese character", () => {
    // 10 ASCII octets, then 3-octet characters: the 22nd would end at octet 76.
    const line = `SUMMARY:ab${"あ".repeat(30)}`;
    const folded = foldLine(line).split("\r\n");
    expect(folded[0]).toBe(`SUMMARY:ab${"あ".repeat(21)}`);
    expect(Buffer.byteLength(folded[0])).toBe(73);
    // A continuation line: one space, then at most 74 octets.
    expect(folded[1]).toBe(` ${"あ".repeat(9)}`);
    expect(folded.join("").replace(/^(.*?) /, "$1")).toBe(line);
    expect(foldLine("UID:short")).toBe("UID:short");
  });
});

describe("the demo feeds", () => {
  let groupId: number;
  beforeAll(async () => {
    await loadDemoData(getDb(), { today: todayInTokyo() });
    groupId = getDb().select().from(visits).where(eq(visits.status, "approved")).all().find((v) => v.kind === "group")!.id;
  }, 60_000);

  it("public /schedule.ics: lines within 75 octets, readable by both parsers, with host UIDs, SEQUENCE and LAST-MODIFIED", async () => {
    // The demo feed as it is (its Japanese summaries ran to 221 octets per line)…
    const asIs = await ((await scheduleIcsLoader()) as Response).text();
    expectFoldedByOctets(asIs);
    parseBoth(asIs);
    // …and with every venue given a long Japanese name, so summaries and locations cross the boundary.
    getDb().update(venues).set({ name: LONG_VENUE }).run();
    const res: Response = await scheduleIcsLoader();
    const body = await res.text();
    expectFoldedByOctets(body);
    // Folded inside Japanese text: a continuation line starts with a (non-ASCII) Japanese character.
    expect(body).toMatch(/\r\n [^\x00-\x7f]/);
    const { method, events } = parseBoth(body);
    expect(method).toBe("PUBLISH");
    expect(events.length).toBeGreaterThan(0);
    const all = getDb().select().from(visits).all();
    for (const e of events) {
      const m = /^session-(\d+)@madoguchi\.city\.aoba\.example\.jp$/.exec(e.uid);
      expect(m, e.uid).not.toBeNull();
      const v = all.find((x) => x.id === Number(m![1]))!;
      expect(e.sequence).toBe(v.version);
      expect(e.lastModified).toBe(iso(v.updatedAt).replace(/\.\d{3}Z$/, ".000Z"));
      expect(e.summary).toMatch(/^マイナンバーカード出張申請窓口（(巡回|拠点)[^）]*） あおば市北部地区コミュニティセンター大ホール（旧あおば第二小学校体育館）$/);
    }
  });

  it("a personal feed: the same, for every visit the user can see", async () => {
    const manager = getDb().select().from(users).where(eq(users.role, "manager")).get()!;
    const token = regenerateCalendarToken(manager.id);
    const res: Response = await userIcsLoader({ request: new Request(`http://localhost/feeds/user/${token}.ics`), params: { token: `${token}.ics` }, context: {} } as never);
    const body = await res.text();
    expectFoldedByOctets(body);
    const { events } = parseBoth(body);
    const ev = events.find((e) => e.uid === `visit-${groupId}@madoguchi.city.aoba.example.jp`);
    const v = getDb().select().from(visits).where(eq(visits.id, groupId)).get()!;
    expect(ev).toMatchObject({ sequence: v.version, status: "CONFIRMED" });
    expect(ev!.location).toContain(LONG_VENUE);
    expect(events.every((e) => e.uid.endsWith("@madoguchi.city.aoba.example.jp"))).toBe(true);
    // The same output from the function the route uses, for a city official too.
    expectFoldedByOctets(userIcs("市役所 三郎", undefined, "city"));
  });
});

describe("an empty public calendar", () => {
  it("is a valid VCALENDAR with no events", () => {
    const body = publicIcs("2999-01-01");
    expectFoldedByOctets(body);
    const { method, events } = parseBoth(body);
    expect(method).toBe("PUBLISH");
    expect(events).toEqual([]);
    expect(body).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:demado\r\n/);
    expect(body.replace(/\r\n /g, "")).toMatch(/X-WR-CALNAME:マイナンバーカード出張申請窓口 巡回・拠点スケジュール\r\nEND:VCALENDAR\r\n$/);
  });
});

describe("the visit's event in emails and on the status page", () => {
  let f: Fixture;
  beforeAll(() => {
    f = seedBasics();
  });
  const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address;
  const icsOf = (m: ParsedMail) => {
    const a = m.attachments.find((x) => x.filename === "visit.ics");
    return a ? { type: a.contentType, body: a.content.toString("utf8") } : null;
  };
  const name = "あおば市北部地区第三町内会老人クラブ「ひまわり会」";

  it("confirmed, then moved: the update carries the new time and a higher SEQUENCE for the same UID; cancelled: METHOD:CANCEL", async () => {
    const date = plainWeekdayAhead(30);
    const a = groupVisit(f, { status: "screening", date, email: "himawari@example.jp", name });
    expect(applyTransition({ visitId: a.visitId, transition: "submit_for_approval", actor: f.staff }).ok).toBe(true);
    expect(applyTransition({ visitId: a.visitId, transition: "approve", actor: f.city }).ok).toBe(true);
    // The status page's file is the same event.
    const fromPage = requestIcs(a.token)!;
    expectFoldedByOctets(fromPage);
    const pageEv = parseBoth(fromPage).events[0];
    expect(pageEv.uid).toBe(`visit-${a.visitId}@madoguchi.city.aoba.example.jp`);
    expect(pageEv.summary).toBe(`出張申請窓口（${name}）`);

    expect(rescheduleVisit({ visitId: a.visitId, startsAt: `${date}T13:00`, endsAt: `${date}T15:00` }, f.staff).ok).toBe(true);
    expect(applyTransition({ visitId: a.visitId, transition: "approve", actor: f.city }).ok).toBe(true);
    expect(applyTransition({ visitId: a.visitId, transition: "cancel", actor: f.staff, comment: "会場の都合により" }).ok).toBe(true);
    const sent = await processOutbox();
    expect(sent.failed).toBe(0);

    const mails = inbox.filter((m) => to(m) === "himawari@example.jp");
    expect(mails.map((m) => m.subject ?? "")).toHaveLength(3);
    const [confirmed, changed, cancelled] = mails.map(icsOf);
    for (const x of [confirmed, changed, cancelled]) {
      expect(x).not.toBeNull();
      expectFoldedByOctets(x!.body);
    }
    const c1 = parseBoth(confirmed!.body);
    const c2 = parseBoth(changed!.body);
    const c3 = parseBoth(cancelled!.body);
    const uid = `visit-${a.visitId}@madoguchi.city.aoba.example.jp`;
    expect([c1.events[0].uid, c2.events[0].uid, c3.events[0].uid]).toEqual([uid, uid, uid]);
    expect(c1.method).toBe("PUBLISH");
    expect(c2.method).toBe("PUBLISH");
    expect(c2.events[0].status).toBe("CONFIRMED");
    expect(c3.method).toBe("CANCEL");
    expect(c3.events[0].status).toBe("CANCELLED");
    expect(cancelled!.type).toBe("text/calendar");
    expect(c2.events[0].sequence!).toBeGreaterThan(c1.events[0].sequence!);
    expect(c3.events[0].sequence!).toBeGreaterThan(c2.events[0].sequence!);
    // The moved event starts at 13:00 Tokyo (04:00 UTC).
    const start = new ICAL.Component(ICAL.parse(changed!.body)).getFirstSubcomponent("vevent")!.getFirstPropertyValue("dtstart") as ICAL.Time;
    expect(start.toJSDate().toISOString()).toBe(new Date(`${date}T13:00:00+09:00`).toISOString());
    const v = getDb().select().from(visits).where(eq(visits.id, a.visitId)).get()!;
    expect(c3.events[0].sequence).toBe(v.version);
    expect(c3.events[0].lastModified).toBe(iso(v.updatedAt).replace(/\.\d{3}Z$/, ".000Z"));
  });

  it("declined: METHOD:CANCEL with STATUS:CANCELLED for the visit's UID", async () => {
    const b = groupVisit(f, { status: "screening", date: plainWeekdayAhead(37), email: "kotowari@example.jp", name });
    applyTransition({ visitId: b.visitId, transition: "submit_for_approval", actor: f.staff });
    expect(applyTransition({ visitId: b.visitId, transition: "decline", actor: f.city, comment: "同日に市の行事があるため" }).ok).toBe(true);
    await processOutbox();
    const mail = inbox.find((m) => to(m) === "kotowari@example.jp")!;
    const x = icsOf(mail)!;
    expectFoldedByOctets(x.body);
    const { method, events } = parseBoth(x.body);
    expect(method).toBe("CANCEL");
    expect(events).toMatchObject([{ uid: `visit-${b.visitId}@madoguchi.city.aoba.example.jp`, status: "CANCELLED" }]);
  });
});
