/**
 * Demo data: a believable, current-looking program for the fictional あおば市.
 * Loaded by `npm start` into an empty database (no users) unless DEMO_DATA=0.
 *
 * Reference data (users, program, car, districts, venues, organisations,
 * contacts, CRM timeline entries, tasks, inquiries, PR) is inserted directly.
 * Requests, visits, sessions, the city's decisions, the car's holds and the
 * day's results are made ONLY through the domain functions the app itself
 * uses (request submission, scheduling, transitions, session planning, the
 * month agreement and results entry), each run with a clock (`now`) at the moment it happens in
 * the story: a visit completed six weeks ago was requested, scheduled,
 * submitted and approved at earlier clocks, then completed on its day. So the
 * demo can only hold states the app can reach, and every day the booking
 * check refuses is replaced by another day rather than forced.
 *
 * Everything is relative to `today` and drawn from a seeded PRNG, so two loads on
 * the same day produce the same rows (except the random status tokens). The
 * whole load is one transaction; each domain call inside it is a savepoint.
 */
import { and, eq, gt, gte, inArray, lte, sql } from "drizzle-orm";
import sharp from "sharp";
import { hashPassword, type SessionUser } from "../../app/auth.server";
import type { Db, Tx } from "../../app/db.server";
import { addDays, daysBetween, isNationalHoliday, isWeekend, isYearEndClosure, nextBusinessDay, todayInTokyo, weekday } from "../../app/lib/dates";
import { programById } from "../../app/reports/data.server";
import { listReports } from "../../app/reports/pages.server";
import { acknowledgeReport, submitReport } from "../../app/reports/store.server";
import { digitsOnly, organisationSearchKey } from "../../app/lib/normalise";
import { requestSchema } from "../../app/requests/schema";
import { applyProposalInTx } from "../../app/crm/proposals.server";
import { requestFormContext, storeRequest } from "../../app/requests/submit.server";
import { checkBooking } from "../../app/visits/booking.server";
import { scheduleVisit, rescheduleVisit } from "../../app/visits/scheduling.server";
import { agreeMonthSchedule, createSession } from "../../app/visits/sessions.server";
import { recordResults } from "../../app/visits/results.server";
import { closeIncident, createIncident } from "../../app/onsite/incidents.server";
import { logInquiry } from "../../app/onsite/inquiries.server";
import { savePrActivity } from "../../app/onsite/pr.server";
import { needsCityOfficial } from "../../app/visits/booking";
import { setKitCheck } from "../../app/visits/kit.server";
import { upcomingStates } from "../../app/visits/lifecycle";
import { processPhoto, savePhoto, type ProcessedPhoto } from "../../app/visits/photos.server";
import { addToRoster, createStaffMember, setStaffMemberActive } from "../../app/visits/roster.server";
import { applyTransition } from "../../app/visits/transitions.server";
import { getSettings } from "../../app/settings.server";
import {
  activities,
  contacts,
  districts,
  emailOutbox,
  inquiries,
  organisationContacts,
  organisations,
  programs,
  reports,
  tasks,
  users,
  vehicles,
  venues,
  visits,
  type Stage,
  type VisitMode,
} from "../schema";
import { CITY, DEMO_USERS, DISTRICTS, EXTRA_ROLES, GIVEN, ORGS, SURNAMES, VENUES, type DemoOrg } from "./data";

export const DEMO_PASSWORD = "demo-pass-2026";

// ---------------------------------------------------------------------------
// Small helpers

/** mulberry32: a tiny deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

/** A local Tokyo date and time as a UTC instant (ISO-8601). */
function instant(ymd: string, hm = "10:00"): string {
  if (hm.length === 4) hm = `0${hm}`;
  return new Date(`${ymd}T${hm}:00+09:00`).toISOString();
}

/** The clock a domain function is run with: that local Tokyo time. */
function clock(ymd: string, hm = "10:00"): Date {
  return new Date(instant(ymd, hm));
}

function lastDayOfMonth(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0));
  return d.toISOString().slice(0, 10);
}

function monthStart(ymd: string, deltaMonths: number): string {
  const [y, m] = ymd.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + deltaMonths, 1));
  return d.toISOString().slice(0, 10);
}

const SLOT_TIMES: Record<"am" | "pm" | "allday", [string, string][]> = {
  // Nothing starts before 09:30 or ends after 16:00: with the car's buffers the
  // car is free before 08:30 and after 17:00 on every demo day (tests rely on it).
  am: [
    ["10:00", "11:30"],
    ["09:30", "11:30"],
    ["10:00", "12:00"],
  ],
  pm: [
    ["13:30", "15:30"],
    ["14:00", "16:00"],
    ["13:00", "15:00"],
  ],
  allday: [["10:00", "15:00"]],
};

const STAGE_LABEL: Record<Stage, string> = {
  uncontacted: "未接触",
  contacted: "接触済",
  consulting: "協議中",
  applied: "申込受付",
  awaiting_city: "市承認待ち",
  confirmed: "実施確定",
  visited: "実施済",
  lost: "見送り",
  revisit: "再訪候補",
};

type Ok = { ok: true };
type Refused = { ok: false; message: string };

/** A domain call that must succeed: a refusal here is a bug in the demo data, reported with the app's own message. */
function must<T extends Ok | Refused>(what: string, result: T): Extract<T, Ok> {
  if (!result.ok) throw new Error(`demo data: ${what}: ${(result as Refused).message}`);
  return result as Extract<T, Ok>;
}

// ---------------------------------------------------------------------------

export async function loadDemoData(db: Db, opts?: { today?: string }): Promise<void> {
  const today = opts?.today ?? todayInTokyo();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  // Image work is asynchronous: done before the (synchronous) transaction, stored inside it.
  const photos = await demoPhotos(getSettings(db).photoMaxMegabytes * 1024 * 1024);
  // One transaction: the domain functions called with `db` inside it nest as savepoints.
  db.transaction((tx) => buildDemo(db, tx, today, passwordHash, photos), { behavior: "immediate" });
}

type DemoPhoto = { processed: ProcessedPhoto; caption: string };

/**
 * Site photos for the demo: drawn scenes of the window (the wrapping car, the
 * reception tent, signage), never people, put through the same processing as
 * an upload.
 */
async function demoPhotos(maxBytes: number): Promise<DemoPhoto[]> {
  const scenes = [
    { caption: "ラッピングカーと受付テント（設営完了時）", sky: "#9fd3f5", ground: "#b9c4a2", car: "#0b5cad", tent: "#f4f4f4" },
    { caption: "受付テーブルと案内看板", sky: "#cfe8fb", ground: "#c9b99a", car: "#1b6e3a", tent: "#ffd966" },
    { caption: "会場入口ののぼり旗", sky: "#f6d7b0", ground: "#a7b59b", car: "#7a3ea1", tent: "#ffffff" },
  ];
  const out: DemoPhoto[] = [];
  for (const [i, sc] of [...scenes, ...scenes].entries()) {
    const shift = i >= scenes.length ? 140 : 0;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="960">
      <rect width="1280" height="600" fill="${sc.sky}"/><rect y="600" width="1280" height="360" fill="${sc.ground}"/>
      <rect x="${160 + shift}" y="420" width="560" height="250" rx="36" fill="${sc.car}"/>
      <rect x="${200 + shift}" y="450" width="150" height="90" rx="10" fill="#dff1ff"/>
      <rect x="${160 + shift}" y="600" width="560" height="26" fill="#ffcc00"/>
      <circle cx="${270 + shift}" cy="690" r="46" fill="#333"/><circle cx="${610 + shift}" cy="690" r="46" fill="#333"/>
      <polygon points="${820 - shift / 2},420 ${1060 - shift / 2},420 ${1120 - shift / 2},500 ${760 - shift / 2},500" fill="${sc.tent}" stroke="#777" stroke-width="4"/>
      <rect x="${790 - shift / 2}" y="560" width="300" height="40" fill="#8b5a2b"/>
      <rect x="${1150 - shift / 3}" y="240" width="60" height="420" fill="#e03c31"/><rect x="${1146 - shift / 3}" y="230" width="6" height="470" fill="#555"/>
    </svg>`;
    const jpeg = await sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
    const processed = await processPhoto(jpeg, maxBytes);
    if (!processed.ok) throw new Error(`demo data: photo ${i}: ${processed.message}`);
    out.push({ processed, caption: sc.caption });
  }
  return out;
}

function buildDemo(db: Db, tx: Tx, today: string, passwordHash: string, photos: DemoPhoto[]) {
  const rnd = prng(20261122);
  const T = today;
  const day = (offset: number) => addDays(T, offset);
  const year = Number(T.slice(0, 4));
  const reiwa = year - 2018;

  // Emails the domain functions queue are the ones organisations and staff got
  // at the time: recorded as sent then, so the worker never mails the
  // fictional addresses.
  let outboxMark = tx.select({ max: sql<number | null>`max(${emailOutbox.id})` }).from(emailOutbox).get()?.max ?? 0;
  function sentAt(at: Date) {
    const iso = at.toISOString();
    tx.update(emailOutbox).set({ state: "sent", attempts: 1, createdAt: iso, nextAttemptAt: iso, sentAt: iso }).where(gt(emailOutbox.id, outboxMark)).run();
    outboxMark = tx.select({ max: sql<number | null>`max(${emailOutbox.id})` }).from(emailOutbox).get()?.max ?? outboxMark;
  }
  /** Run one step of the story at `at` (a domain call that must succeed). */
  function step<T extends Ok | Refused>(what: string, at: Date, run: (now: Date) => T): Extract<T, Ok> {
    const result = must(what, run(at));
    sentAt(at);
    return result;
  }

  // ---- program -----------------------------------------------------------
  const startsOn = monthStart(T, -6);
  const endMonth = monthStart(T, 4);
  let endsOn = lastDayOfMonth(Number(endMonth.slice(0, 4)), Number(endMonth.slice(5, 7)));
  // The year-end (12/29–1/3) must fall inside the period.
  const nextNewYear = `${year + (T.slice(5) > "01-03" ? 1 : 0)}-01-03`;
  if (endsOn < nextNewYear) endsOn = nextNewYear;
  const program = tx
    .insert(programs)
    .values({
      name: `令和${reiwa}年度 マイナンバーカード出張申請等窓口業務`,
      fiscalYear: year,
      startsOn,
      endsOn,
      targetGroupVisits: 100,
      targetRoamingVisits: 100,
      targetBaseAccept: 10,
      targetBaseSupport: 40,
      targetSupportCombined: 150,
      active: true,
      createdAt: instant(addDays(startsOn, -20), "09:00"),
    })
    .returning({ id: programs.id })
    .get();
  const programId = program.id;

  // ---- users ---------------------------------------------------------------
  const userId: Record<string, number> = {};
  const actors: Record<string, SessionUser> = {};
  for (const u of DEMO_USERS) {
    const row = tx
      .insert(users)
      .values({
        email: u.email,
        name: u.name,
        role: u.role,
        passwordHash,
        active: true,
        createdAt: instant(addDays(startsOn, -14), "09:00"),
        updatedAt: instant(addDays(startsOn, -14), "09:00"),
      })
      .returning({ id: users.id })
      .get();
    userId[u.key] = row.id;
    actors[u.key] = { id: row.id, email: u.email, name: u.name, role: u.role, sessionId: "demo-data" };
  }
  const outreachKeys = ["outreach", "outreach2", "outreach3"] as const;
  const outreachIds = outreachKeys.map((k) => userId[k]);
  const actorById = (id: number) => Object.values(actors).find((a) => a.id === id)!;

  // ---- 従事者名簿: staff with accounts, part-timers and city officials without one ----
  const member = (what: string, input: Parameters<typeof createStaffMember>[0]) => must(what, createStaffMember({ ...input, now: clock(addDays(startsOn, -10)) }, actors.manager, db)).id;
  const crew = {
    leads: [...outreachKeys.map((k) => member(k, { name: actors[k].name, affiliation: "contractor", userId: userId[k] })), member("manager", { name: actors.manager.name, affiliation: "contractor", userId: userId.manager })],
    helpers: [
      member("part-timer 1", { name: "葛西 美咲", nameKana: "かさい みさき", affiliation: "contractor", phone: "080-1111-2201" }),
      member("part-timer 2", { name: "工藤 陽介", nameKana: "くどう ようすけ", affiliation: "contractor", phone: "080-1111-2202" }),
      member("part-timer 3", { name: "福士 早苗", nameKana: "ふくし さなえ", affiliation: "contractor", phone: "080-1111-2203" }),
    ],
    city: [
      member("city", { name: actors.city.name, affiliation: "city", userId: userId.city }),
      member("city2", { name: actors.city2.name, affiliation: "city", userId: userId.city2 }),
      member("city clerk 1", { name: "奈良 智子", nameKana: "なら ともこ", affiliation: "city", phone: "017-000-1234" }),
    ],
  };
  // A retired part-timer: kept on the list for the record, no longer offered.
  must("retire part-timer 4", setStaffMemberActive(member("part-timer 4", { name: "木村 隆", affiliation: "contractor" }), false, actors.manager, { now: clock(addDays(startsOn, 20)) }, db));
  let crewTurn = 0;
  /**
   * Who worked (or will work) a session, and its kit ticked before departure:
   * a site lead, a helper and, for 受付方式, a city official checking
   * identity documents. A person already busy then is skipped (the roster
   * refuses overlaps); `withCityOfficial: false` leaves the gap the pages warn about.
   */
  function staffSession(visitId: number, date: string, mode: VisitMode, opts: { kitUntil?: number; withCityOfficial?: boolean } = {}) {
    // Never after the demo's own now (the audit trail sorts by time): sessions still to come were staffed yesterday.
    const at = clock(addDays(date, -2) < day(-1) ? addDays(date, -2) : day(-1), "17:00");
    const turn = crewTurn++;
    const place = (pool: number[], role: "lead" | "staff" | "id_checker") => {
      for (let i = 0; i < pool.length; i++) {
        if (addToRoster({ visitId, staffMemberId: pool[(turn + i) % pool.length], role, now: at }, actors.manager, db).ok) return;
      }
    };
    place(crew.leads, "lead");
    place(crew.helpers, "staff");
    if (needsCityOfficial(mode) && opts.withCityOfficial !== false) place(crew.city, "id_checker");
    const items = getSettings(tx).kitItems;
    for (const item of items.slice(0, opts.kitUntil ?? items.length)) {
      must(`kit ${item.key} of visit ${visitId}`, setKitCheck({ visitId, itemKey: item.key, checked: true, now: date < T ? clock(date, "08:20") : clock(day(-1), "18:00") }, actors.outreach, db));
    }
  }

  // ---- vehicle -------------------------------------------------------------
  tx.insert(vehicles).values({ name: "ラッピングカー1号", plate: "あおば 800 さ 12-34", active: true }).run();

  // ---- districts -----------------------------------------------------------
  const districtIds: number[] = [];
  for (const d of DISTRICTS) {
    const row = tx
      .insert(districts)
      .values({
        name: d.name,
        nameKana: d.kana,
        population: d.population,
        cardsIssued: Math.round((d.population * d.rate) / 100) + rnd.int(-40, 40),
        updatedAt: instant(monthStart(T, 0), "09:00"),
      })
      .returning({ id: districts.id })
      .get();
    districtIds.push(row.id);
  }
  const address = (district: number) => {
    const d = DISTRICTS[district];
    return {
      postalCode: `${d.postal}${String(rnd.int(11, 98))}`,
      address: `${CITY}${d.town}${rnd.int(1, 5)}丁目${rnd.int(1, 28)}-${rnd.int(1, 20)}`,
    };
  };
  const landline = () => `0172-${rnd.int(20, 89)}-${String(rnd.int(1000, 9999))}`;
  const mobile = () => `090-${rnd.int(1000, 9999)}-${rnd.int(1000, 9999)}`;

  // ---- venues (public places of roaming and base sessions) -----------------
  const venueRows: { id: number; name: string; kind: string }[] = [];
  for (const v of VENUES) {
    const a = address(v.district);
    const row = tx
      .insert(venues)
      .values({
        name: v.name,
        kind: v.kind,
        districtId: districtIds[v.district],
        postalCode: a.postalCode,
        address: a.address,
        parkingNotes: v.parking,
        contactName: v.contact ?? null,
        contactPhone: landline(),
        active: true,
        createdAt: instant(addDays(startsOn, -10), "09:00"),
      })
      .returning({ id: venues.id })
      .get();
    venueRows.push({ id: row.id, name: v.name, kind: v.kind });
  }
  const roamingVenues = venueRows.filter((v) => v.kind !== "shopping_centre");
  const baseVenues = venueRows.filter((v) => v.kind === "shopping_centre");

  // ---- results: entered on the day through the results form's own function (it completes the visit) ----
  const inquiryKeys = getSettings(tx).inquiryCategories.map((c) => c.key);
  const fallbackKeys = getSettings(tx).fallbackReasons.map((c) => c.key);
  function enterResults(visitId: number, mode: VisitMode, total: number, date: string, recordedBy: SessionUser, notes: string, revisitWanted = false) {
    let acceptCount = 0;
    let supportOnlineCount = 0;
    let supportMailCount = 0;
    let fallbackCount = 0;
    if (mode === "accept") {
      // Fallbacks (ID documents incomplete …) applied by サポート方式 online: counted there, never twice.
      fallbackCount = total >= 10 && rnd.next() < 0.6 ? rnd.int(1, 3) : 0;
      acceptCount = total - fallbackCount;
      supportOnlineCount = fallbackCount;
    } else {
      supportMailCount = Math.round(total * (0.15 + rnd.next() * 0.2));
      supportOnlineCount = total - supportMailCount;
    }
    const fallbackReasons: Record<string, number> = {};
    for (let i = 0; i < fallbackCount; i++) {
      const key = rnd.next() < 0.7 ? fallbackKeys[0] : rnd.pick(fallbackKeys);
      fallbackReasons[key] = (fallbackReasons[key] ?? 0) + 1;
    }
    const biggest = mode === "accept" ? acceptCount : supportOnlineCount;
    const outOfCity = Math.min(biggest, rnd.next() < 0.55 ? rnd.int(1, 3) : 0);
    const otherAssistance: Record<string, number> = {
      mynapoint: rnd.int(0, Math.max(1, Math.round(total / 6))),
      health_insurance: rnd.int(0, Math.max(1, Math.round(total / 5))),
      public_funds_account: rnd.int(0, Math.max(1, Math.round(total / 8))),
    };
    const siteInquiries: Record<string, number> = {};
    for (let i = rnd.int(1, Math.max(2, Math.round(total / 3))); i > 0; i--) {
      const key = rnd.pick(inquiryKeys);
      siteInquiries[key] = (siteInquiries[key] ?? 0) + 1;
    }
    step(`results of visit ${visitId} (${date})`, clock(date, "16:40"), (now) =>
      recordResults(
        {
          visitId,
          acceptCount,
          supportOnlineCount,
          supportMailCount,
          acceptOutOfCityCount: mode === "accept" ? outOfCity : 0,
          supportOnlineOutOfCityCount: mode === "accept" ? 0 : outOfCity,
          fallbackCount,
          fallbackReasons,
          otherAssistance,
          inquiries: siteInquiries,
          revisitWanted,
          notes,
        },
        recordedBy,
        { now, db },
      ),
    );
    return acceptCount + supportOnlineCount + supportMailCount;
  }

  // ---- CRM timeline entries that are not lifecycle steps (calls, meetings …) ----
  type Act = {
    kind: (typeof activities.$inferInsert)["kind"];
    summary: string;
    body?: string;
    from?: Stage;
    to?: Stage;
    at: string;
    user: number;
    visitId?: number;
    requestId?: number;
  };
  const addAct = (organisationId: number, a: Act) =>
    tx
      .insert(activities)
      .values({
        organisationId,
        kind: a.kind,
        summary: a.summary,
        body: a.body ?? null,
        fromStage: a.from ?? null,
        toStage: a.to ?? null,
        visitId: a.visitId ?? null,
        requestId: a.requestId ?? null,
        userId: a.user,
        occurredAt: a.at,
        createdAt: a.at,
      })
      .run();

  // ---- organisations and contacts -----------------------------------------
  let contactSeq = 0;
  const nextPersonName = () => {
    const i = contactSeq++;
    return `${SURNAMES[(i * 7 + 3) % SURNAMES.length]} ${GIVEN[(i * 5 + 1) % GIVEN.length]}`;
  };

  type Planned = { org: DemoOrg; orgId: number; contactName: string; contactEmail: string; phone: string; postalCode: string; address: string };
  const planned: Planned[] = [];
  const orgIdBySlug: Record<string, number> = {};
  const primaryContactByOrg: Record<string, number> = {};

  for (const [i, o] of ORGS.entries()) {
    const a = address(o.district);
    const phone = landline();
    // An organisation with a group visit starts where it stood before its request
    // (a web request: unknown to us; by phone or through staff: in consultation);
    // the visit lifecycle moves it from there. Leads are where the data says.
    const startStage: Stage = o.visit ? (o.visit.source === "web" ? "uncontacted" : "consulting") : o.stage;
    const row = tx
      .insert(organisations)
      .values({
        name: o.name,
        searchKey: organisationSearchKey(o.name),
        kind: o.kind,
        districtId: districtIds[o.district],
        postalCode: a.postalCode,
        address: a.address,
        phone,
        phoneKey: digitsOnly(phone) || null,
        email: i % 3 === 2 ? null : `info@${o.slug}.example`,
        headCount: o.headCount,
        expectedApplicants: o.expected,
        stage: startStage,
        lostReason: o.visit ? null : (o.lost?.reason ?? null),
        lostAtStage: o.visit ? null : (o.lost?.atStage ?? null),
        ownerId: userId[o.owner],
        nextActionOn: o.nextAction ? day(o.nextAction.offset) : null,
        nextActionNote: o.nextAction?.note ?? null,
        notes: o.notes ?? null,
        // createdAt, stageChangedAt and lastActivityAt are set once the timeline is known.
        stageChangedAt: instant(day(-150)),
        createdAt: instant(day(-150)),
        updatedAt: instant(day(-150)),
      })
      .returning({ id: organisations.id })
      .get();
    orgIdBySlug[o.slug] = row.id;

    // primary contact
    const contactName = nextPersonName();
    const contactPhone = rnd.next() < 0.5 ? mobile() : phone;
    const contactEmail = `contact${String(contactSeq).padStart(2, "0")}@${o.slug}.example`;
    const c = tx
      .insert(contacts)
      .values({ name: contactName, phone: contactPhone, email: contactEmail, createdAt: instant(day(-150)) })
      .returning({ id: contacts.id })
      .get();
    primaryContactByOrg[o.slug] = c.id;
    tx.insert(organisationContacts).values({ organisationId: row.id, contactId: c.id, role: o.role, isPrimary: true }).run();

    // a second contact for about a quarter of the organisations
    if (i % 4 === 1) {
      const c2 = tx
        .insert(contacts)
        .values({ name: nextPersonName(), phone: mobile(), email: null, notes: "平日日中は不在が多い", createdAt: instant(day(-100)) })
        .returning({ id: contacts.id })
        .get();
      tx.insert(organisationContacts)
        .values({ organisationId: row.id, contactId: c2.id, role: EXTRA_ROLES[o.kind][i % 2], isPrimary: false })
        .run();
    }
    planned.push({ org: o, orgId: row.id, contactName, contactEmail, phone, ...a });
  }
  // One person serves two organisations: the chair of the seniors' club also chairs her 自治会.
  tx.insert(organisationContacts)
    .values({ organisationId: orgIdBySlug["midorigaoka2"], contactId: primaryContactByOrg["kawara-rojin"], role: "副会長（老人クラブ連合会会長を兼務）", isPrimary: false })
    .run();
  tx.insert(organisationContacts)
    .values({ organisationId: orgIdBySlug["nishida-rengo"], contactId: primaryContactByOrg["chuo3-chonaikai"], role: "顧問", isPrimary: false })
    .run();

  // ---- roaming and base-facility sessions --------------------------------
  // Planned a month at a time around the 15th of the month before, agreed by
  // the city around the 20th, completed on the day. The months up to next
  // month are agreed; the month after waits for the city (/city/schedule).
  const thisMonth = T.slice(0, 7);
  const nextMonth = monthStart(T, 1).slice(0, 7);
  const monthAfter = monthStart(T, 2);
  const firstDay = addDays(T, -91);
  const lastDay = lastDayOfMonth(Number(monthAfter.slice(0, 4)), Number(monthAfter.slice(5, 7)));
  /** When the city agreed a month's schedule: around the 20th of the month before (never later than two days ago). */
  function scheduleDecidedDay(month: string): string {
    const d = addDays(`${month}-01`, -11);
    return d < addDays(T, -2) ? d : addDays(T, -2);
  }
  /** When staff planned a month's sessions: five days before the agreement (planned months: three days ago). */
  const plannedOn = (month: string) => (month > nextMonth ? day(-3) : addDays(scheduleDecidedDay(month), -5));

  /** Days the car is out (one car trip a day in the demo). */
  const carDays = new Set<string>();
  const firstMonday = addDays(firstDay, -((weekday(firstDay) + 6) % 7));
  const sessions: { id: number; kind: "roaming" | "base"; mode: VisitMode; date: string; venueKind: string; owner: number }[] = [];

  let roamingIdx = 0;
  let baseIdx = 0;
  const months: string[] = [];
  for (let m = monthStart(firstDay, 0); m <= monthAfter; m = monthStart(m, 1)) months.push(m.slice(0, 7));
  for (const month of months) {
    const at = clock(plannedOn(month), "10:00");
    const inMonth = (d: string) => d.slice(0, 7) === month && d >= firstDay && d <= lastDay;

    // Roaming: two weekdays a week (Tue/Thu, moved to a nearby weekday when the booking check refuses).
    for (let week = firstMonday; week <= lastDay; week = addDays(week, 7)) {
      for (const dow of [1, 3]) {
        if (!inMonth(addDays(week, dow))) continue;
        const venue = roamingVenues[(roamingIdx * 7 + 2) % roamingVenues.length];
        const ownerKey = outreachKeys[roamingIdx % 3];
        const [from, to] = rnd.pick([
          ["10:00", "15:00"],
          ["10:00", "14:00"],
          ["11:00", "16:00"],
        ] as const);
        for (const shift of [0, 1, -1, 2]) {
          const date = addDays(week, dow + shift);
          if (!inMonth(date) || date === T || carDays.has(date) || isWeekend(date) || isNationalHoliday(date)) continue;
          const r = createSession({ kind: "roaming", mode: "support", venueId: venue.id, date, startsAt: from, endsAt: to, now: at }, actors[ownerKey], db);
          if (!r.ok) continue; // e.g. the year-end closure: try the next weekday
          carDays.add(date);
          roamingIdx += 1;
          sessions.push({ id: r.id, kind: "roaming", mode: "support", date, venueKind: venue.kind, owner: userId[ownerKey] });
          break;
        }
      }
    }

    // Base-facility sessions: Saturdays or Sundays (both on some weekends) and national holidays; no car.
    for (let d = `${month}-01`; d.slice(0, 7) === month; d = addDays(d, 1)) {
      if (!inMonth(d)) continue;
      const holiday = isNationalHoliday(d);
      const w = weekday(d);
      const weekNo = Math.floor(daysBetween(firstMonday, d) / 7);
      // week % 3 == 0: Saturday only, == 1: Sunday only, == 2: both days
      const take = holiday || (d === T && isWeekend(d)) || (w === 6 && weekNo % 3 !== 1) || (w === 0 && weekNo % 3 !== 0);
      if (!take) continue;
      const mode: VisitMode = baseIdx % 5 === 0 ? "accept" : "support";
      const venue = baseVenues[baseIdx % baseVenues.length];
      const ownerKey = outreachKeys[baseIdx % 3];
      const r = createSession(
        {
          kind: "base",
          mode,
          venueId: venue.id,
          date: d,
          startsAt: "10:00",
          endsAt: rnd.pick(["15:00", "16:00"]),
          notes: mode === "accept" ? "市民課職員2名が本人確認書類を確認" : null,
          now: at,
        },
        actors[ownerKey],
        db,
      );
      if (!r.ok) continue; // the booking check refused the day (closure): no session that day
      baseIdx += 1;
      sessions.push({ id: r.id, kind: "base", mode, date: d, venueKind: venue.kind, owner: userId[ownerKey] });
    }

    if (month <= nextMonth && sessions.some((x) => x.date.slice(0, 7) === month)) {
      const decided = clock(scheduleDecidedDay(month), "14:00");
      step(`agree ${month}`, decided, (now) =>
        agreeMonthSchedule({ month, user: rnd.next() < 0.75 ? actors.city : actors.city2, comment: month.endsWith("-12") ? "年末の実施日は閉庁日（12/29〜1/3）を避けること。" : null, now }, db),
      );
    }
  }

  // Past sessions happened: completed on the day, with their results.
  const roamingCompleted: { id: number; date: string }[] = [];
  for (const s of sessions.filter((x) => x.date < T)) {
    staffSession(s.id, s.date, s.mode);
    if (s.kind === "roaming") {
      const total = s.venueKind === "supermarket" ? rnd.int(9, 26) : s.venueKind === "bank" ? rnd.int(5, 14) : rnd.int(6, 18);
      enterResults(s.id, "support", total, s.date, actorById(s.owner), rnd.pick([
        "買い物客への声掛けが効果的だった。",
        "午前中は高齢の方が多く、撮影補助の需要が高い。",
        "雨天のため来場少なめ。店内放送で案内してもらった。",
        "郵送申請の希望が多く、申請書の記入補助に時間がかかった。",
      ]));
      roamingCompleted.push({ id: s.id, date: s.date });
    } else {
      enterResults(s.id, s.mode, rnd.int(14, 42), s.date, actorById(s.owner), rnd.pick([
        "家族連れが多く、お子さんの申請も多数。",
        "館内放送とのぼり旗で集客。午後に来場が集中。",
        "電子証明書の更新の問い合わせが多かった。",
        "受付方式の案内チラシを持参した方が多く、スムーズに進んだ。",
      ]));
    }
  }

  // Changes staff made after the agreement (two days ago): one roaming stop
  // moved (back to 計画中 until the city agrees again), one of each kind
  // cancelled with the reason.
  const upcoming = (kind: "roaming" | "base", month: string) => sessions.filter((x) => x.kind === kind && x.date > addDays(T, 2) && x.date.slice(0, 7) === month);
  const changedAt = clock(day(-2), "11:00");
  const toMove = upcoming("roaming", nextMonth)[0] ?? upcoming("roaming", thisMonth)[0];
  const toCancelRoaming = upcoming("roaming", nextMonth)[1] ?? upcoming("roaming", thisMonth)[1];
  const toCancelBase = upcoming("base", thisMonth)[0] ?? upcoming("base", nextMonth)[0];
  if (!toMove || !toCancelRoaming || !toCancelBase) throw new Error("demo data: not enough agreed sessions to change");
  step("move an agreed roaming stop", changedAt, (now) =>
        // 13:00–16:00: never a planned time, so it is a real change.
    rescheduleVisit({ visitId: toMove.id, startsAt: `${toMove.date}T13:00`, endsAt: `${toMove.date}T16:00`, now }, actors.outreach, db),
  );
  step("cancel a roaming stop", changedAt, (now) =>
    applyTransition({ visitId: toCancelRoaming.id, transition: "cancel", actor: actors.manager, comment: "店舗の改装工事のため中止（店舗から連絡あり）。翌週に振替を検討。", now }, db),
  );
  step("cancel a base session", changedAt, (now) =>
    applyTransition({ visitId: toCancelBase.id, transition: "cancel", actor: actors.manager, comment: "会場の設備点検日と重なったため中止。", now }, db),
  );

  // ---- group visits: requested through the request form, then the lifecycle ----
  const visitIdBySlug: Record<string, number> = {};
  const completedGroupVisits: { id: number; date: string }[] = [];

  /** When the request came in (days from today) and, for the path it takes, the later steps. */
  const requestOffsetOf = (v: NonNullable<DemoOrg["visit"]>): number => {
    switch (v.status) {
      case "completed":
        return v.offset - rnd.int(24, 34);
      case "approved":
        return v.flow === "resubmitted" ? -26 : -rnd.int(16, 22);
      case "awaiting_city":
        return v.flow === "reapproval" ? -24 : -rnd.int(8, 12);
      case "changes_requested":
        return -14;
      case "requested":
        return -rnd.int(1, 2);
      case "screening":
        return -rnd.int(4, 6);
      case "declined":
        return -25;
      case "cancelled":
        return v.cancelledBy === "organisation" ? -18 : -40;
    }
  };
  // In order of request date, so receipt numbers run in time.
  const groupOrgs = planned
    .filter((p) => p.org.visit)
    .map((p) => ({ p, v: p.org.visit!, requestOffset: requestOffsetOf(p.org.visit!) }))
    .sort((a, b) => a.requestOffset - b.requestOffset);

  /** Weekdays (or any day when the organisation is fine with weekends) for a preferred date. */
  const preferable = (d: string, weekendOk: boolean) => !isYearEndClosure(d) && !isNationalHoliday(d) && (weekendOk || !isWeekend(d)) && d <= endsOn;
  function nextPreferable(d: string, weekendOk: boolean) {
    let x = d;
    while (!preferable(x, weekendOk)) x = addDays(x, 1);
    return x;
  }

  /**
   * The visit day nearest to `target` (forward first) on the same side of
   * today that the booking check accepts for a visit holding the car, checked
   * at the clock staff submit it.
   */
  function pickVisitDay(target: string, times: [string, string], o: { weekendOk: boolean; organisationId: number; expected: number; now: Date; avoid?: string }): string {
    const past = target < T;
    let lastRefusal = "";
    for (let i = 0; i < 40; i++) {
      for (const cand of i === 0 ? [target] : [addDays(target, i), addDays(target, -i)]) {
        if (past ? cand >= T : cand <= T) continue;
        if (carDays.has(cand) || cand === o.avoid || !preferable(cand, o.weekendOk)) continue;
        const booked = checkBooking(tx, {
          visitId: null,
          kind: "group",
          status: "awaiting_city",
          organisationId: o.organisationId,
          vehicleId: null,
          date: cand,
          startsAt: `${cand}T${times[0]}`,
          endsAt: `${cand}T${times[1]}`,
          venueId: null,
          expectedApplicants: o.expected,
          mode: "accept",
          channel: "staff",
          now: o.now,
        });
        if (booked.ok) {
          carDays.add(cand);
          return cand;
        }
        lastRefusal = booked.message;
      }
    }
    throw new Error(`demo data: no day near ${target} for a group visit (${lastRefusal})`);
  }

  let awaitingSeen = 0;
  for (const { p, v, requestOffset } of groupOrgs) {
    const o = p.org;
    const ownerKey = o.owner;
    const owner = actors[ownerKey];
    const requestDay = day(requestOffset);
    const requestAt = clock(requestDay, v.source === "web" ? `${rnd.int(19, 22)}:${rnd.pick(["05", "18", "32", "47"])}` : `${rnd.int(9, 16)}:${rnd.pick(["10", "25", "40", "55"])}`);
    const times = SLOT_TIMES[v.slot][rnd.int(0, SLOT_TIMES[v.slot].length - 1)];
    const scheduled = !["requested", "screening"].includes(v.status);
    const screenAt = clock(addDays(requestDay, 1), "10:30");
    const submitAt = v.status === "awaiting_city" && v.flow !== "reapproval" ? clock(day(awaitingSeen++ === 0 ? -6 : -1), "15:10") : clock(addDays(requestDay, 3), "14:30");

    // The visit day: chosen before the request so it can be the organisation's first preference.
    const date = scheduled ? pickVisitDay(day(v.offset), times, { weekendOk: !!v.weekendOk, organisationId: p.orgId, expected: o.expected, now: submitAt }) : null;
    const pref1 = date ?? nextPreferable(day(rnd.int(20, 34)), !!v.weekendOk);
    const pref2 = nextPreferable(addDays(pref1, 7), !!v.weekendOk);
    const pref3 = rnd.next() < 0.5 ? nextPreferable(addDays(pref2, 7), !!v.weekendOk) : null;

    // Before the request: first contact and consultation (phone and staff-entered requests).
    if (v.source !== "web") {
      const firstAt = instant(addDays(requestDay, -rnd.int(25, 40)), "10:20");
      const meetAt = instant(addDays(requestDay, -rnd.int(8, 14)), "14:00");
      addAct(p.orgId, { kind: "call", summary: "電話で出張申請受付の制度を案内", body: "団体内で希望者を取りまとめてもらうことになった。", at: firstAt, user: owner.id });
      addAct(p.orgId, { kind: "stage_change", summary: `${STAGE_LABEL.uncontacted} → ${STAGE_LABEL.contacted}`, from: "uncontacted", to: "contacted", at: firstAt, user: owner.id });
      addAct(p.orgId, { kind: "meeting", summary: "訪問して日程・会場・駐車スペースを協議", body: `会場候補: ${v.venueText}。申請予定 ${o.expected} 名程度。`, at: meetAt, user: owner.id });
      addAct(p.orgId, { kind: "stage_change", summary: `${STAGE_LABEL.contacted} → ${STAGE_LABEL.consulting}`, from: "contacted", to: "consulting", at: meetAt, user: owner.id });
    }

    // The request, through the public form's schema and the same store the form uses.
    const form = {
      organisationName: o.name,
      organisationKind: o.kind,
      postalCode: p.postalCode,
      address: p.address,
      contactName: p.contactName,
      phone: p.phone,
      email: p.contactEmail,
      expectedApplicants: String(o.expected),
      preferredDate1: pref1,
      preferredSlot1: v.slot,
      preferredDate2: pref2,
      preferredSlot2: v.slot === "allday" ? "allday" : rnd.pick(["am", "pm"] as const),
      preferredDate3: pref3 ?? "",
      preferredSlot3: pref3 ? rnd.pick(["am", "pm", "allday"] as const) : "",
      venueText: v.venueText,
      parking: v.parking,
      message: v.message ?? "",
      consent: "on",
    };
    const ctx = requestFormContext(tx, requestAt);
    if (!ctx) throw new Error("demo data: no active program");
    const parsed = requestSchema(ctx).safeParse(form);
    if (!parsed.success) throw new Error(`demo data: request of ${o.name}: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join(" / ")}`);
    const stored = storeRequest(tx, parsed.data, { idempotencyKey: null, now: requestAt, source: v.source, userId: v.source === "web" ? null : owner.id });
    sentAt(requestAt);
    if (stored.organisationId !== p.orgId) throw new Error(`demo data: the request of ${o.name} did not match its organisation`);
    // A web request leaves a proposal for the organisation (app/crm/proposals.server.ts); here its owner confirmed it at once.
    if (stored.proposalId) applyProposalInTx(tx, stored.proposalId, p.orgId, owner.id, requestAt.toISOString());
    const visitId = stored.visitId;
    visitIdBySlug[o.slug] = visitId;
    const ref = { visitId, requestId: stored.requestId };

    if (v.status === "requested") continue;

    // Staff start screening: the confirmation call.
    step(`${o.slug}: start screening`, screenAt, (now) => applyTransition({ visitId, transition: "start_screening", actor: owner, now }, db));
    addAct(p.orgId, { kind: "call", summary: "申込内容の確認電話", body: v.message ? `相談事項: ${v.message}` : undefined, at: screenAt.toISOString(), user: owner.id, ...ref });
    if (!scheduled) continue;

    // Date, times, the organisation's own site, head-count and mode saved and sent to the city together.
    const schedule = (d: string, now: Date, thenSubmit: boolean) =>
      scheduleVisit(
        { visitId, date: d, startTime: times[0], endTime: times[1], venueText: v.venueText, expectedApplicants: o.expected, mode: v.mode, notes: v.notes ?? (v.parking === "ask" ? "駐車位置は当日朝に団体担当者と確認" : ""), thenSubmit, now },
        owner,
        db,
      );
    step(`${o.slug}: schedule and submit`, submitAt, (now) => schedule(date!, now, true));

    const approver = rnd.next() < 0.75 ? actors.city : actors.city2;
    const decide = (transition: "approve" | "request_changes" | "decline", at: Date, comment?: string) =>
      step(`${o.slug}: ${transition}`, at, (now) => applyTransition({ visitId, transition, actor: approver, comment, now }, db));
    const approveAt = (d: string) => clock(d, `${rnd.int(9, 16)}:${rnd.pick(["00", "15", "30", "45"])}`);

    switch (v.status) {
      case "awaiting_city":
        if (v.flow === "reapproval") {
          // Approved, then the organisation asked for another day: back to the city.
          decide("approve", approveAt(day(-15)));
          const newDate = pickVisitDay(addDays(date!, 2), times, { weekendOk: !!v.weekendOk, organisationId: p.orgId, expected: o.expected, now: clock(day(-1)), avoid: date! });
          addAct(p.orgId, { kind: "call", summary: "団体から日程変更の依頼", body: v.notes, at: instant(day(-1), "10:40"), user: owner.id, ...ref });
          step(`${o.slug}: move the approved visit`, clock(day(-1), "11:00"), (now) => schedule(newDate, now, false));
        }
        break;
      case "changes_requested":
        decide("request_changes", approveAt(day(-4)), v.reason);
        break;
      case "declined":
        decide("decline", approveAt(day(-16)), v.reason);
        break;
      case "approved":
        if (v.flow === "resubmitted") {
          decide("request_changes", approveAt(addDays(requestDay, 5)), v.changesComment);
          addAct(p.orgId, { kind: "meeting", summary: "現地で駐車位置を確認", body: "集会所裏の空き地に駐車できることを会長と確認。", at: instant(addDays(requestDay, 7), "10:00"), user: owner.id, ...ref });
          step(`${o.slug}: resubmit`, clock(addDays(requestDay, 8), "15:00"), (now) => applyTransition({ visitId, transition: "submit_for_approval", actor: owner, now }, db));
        }
        decide("approve", approveAt(day(-rnd.int(2, 6))));
        break;
      case "completed": {
        decide("approve", approveAt(addDays(requestDay, rnd.int(5, 8))));
        const total = Math.max(3, Math.round(o.expected * (0.7 + rnd.next() * 0.45)));
        staffSession(visitId, date!, v.mode);
        // The results complete the visit, log them on the timeline and move the stage (再訪候補 when staff ticked the wish).
        enterResults(visitId, v.mode, total, date!, owner, `${o.name}にて実施。事前の取りまとめがあり、待ち時間はほぼなし。`, o.stage === "revisit");
        completedGroupVisits.push({ id: visitId, date: date! });
        if (o.stage === "revisit") {
          const noteDay = addDays(date!, 5) < T ? addDays(date!, 5) : day(-1);
          addAct(p.orgId, { kind: "note", summary: "当日来られなかった方が多く、再訪を提案", at: instant(noteDay, "11:00"), user: owner.id });
        }
        break;
      }
      case "cancelled": {
        decide("approve", approveAt(v.cancelledBy === "organisation" ? day(-10) : day(-30)));
        if (v.cancelledBy === "organisation") {
          step(`${o.slug}: organisation cancels`, clock(day(-2), "21:15"), (now) => applyTransition({ visitId, transition: "organisation_cancel", actor: { role: "organisation" }, comment: v.reason, now }, db));
        } else {
          const at = clock(day(-6), "11:20");
          addAct(p.orgId, { kind: "call", summary: "団体から取消の連絡", body: v.reason, at: instant(day(-6), "11:05"), user: owner.id, ...ref });
          step(`${o.slug}: staff cancel`, at, (now) => applyTransition({ visitId, transition: "cancel", actor: actors.manager, comment: v.reason, now }, db));
        }
        break;
      }
      default:
        break;
    }
  }

  // ---- timelines of leads without a visit -----------------------------------
  for (const p of planned) {
    const o = p.org;
    if (o.visit) continue;
    const owner = userId[o.owner];
    const base = -rnd.int(20, 75);
    const at = (offset: number, hm: string) => instant(day(Math.min(-1, base + offset)), hm);
    const acts: Act[] = [];
    const contact = () => {
      const t = at(0, "10:30");
      acts.push({ kind: "call", summary: `${o.role}に電話で出張申請受付を案内`, body: "パンフレットを送付することになった。", at: t, user: owner });
      acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.uncontacted} → ${STAGE_LABEL.contacted}`, from: "uncontacted", to: "contacted", at: t, user: owner });
      acts.push({ kind: "email", summary: "案内チラシとパンフレット（PDF）を送付", at: at(1, "09:15"), user: owner });
    };
    const consult = () => {
      const t = at(12, "14:00");
      acts.push({ kind: "meeting", summary: "訪問して実施方法を説明", body: `対象者 約${o.headCount}名、申請見込み ${o.expected}名。`, at: t, user: owner });
      acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.contacted} → ${STAGE_LABEL.consulting}`, from: "contacted", to: "consulting", at: t, user: owner });
    };
    switch (o.stage) {
      case "uncontacted":
        if (o.kind === "company" || o.kind === "school") {
          acts.push({ kind: "note", summary: "商工会議所の会員名簿・学校一覧から登録", at: instant(day(-95), "09:00"), user: owner });
        }
        break;
      case "contacted":
        contact();
        break;
      case "consulting":
        contact();
        consult();
        if (rnd.next() < 0.6) acts.push({ kind: "call", summary: "日程候補について電話で相談", at: at(18, "11:00"), user: owner });
        break;
      case "lost": {
        contact();
        if (o.lost?.atStage === "consulting") consult();
        const t = at(25, "15:30");
        acts.push({ kind: "stage_change", summary: `${STAGE_LABEL[o.lost!.atStage]} → ${STAGE_LABEL.lost}`, from: o.lost!.atStage, to: "lost", body: o.lost!.reason, at: t, user: owner });
        break;
      }
      case "revisit": {
        contact();
        consult();
        const t = at(22, "10:00");
        acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.consulting} → ${STAGE_LABEL.revisit}`, from: "consulting", to: "revisit", body: o.notes, at: t, user: owner });
        break;
      }
      default:
        break;
    }
    for (const a of acts) addAct(p.orgId, a);
  }

  // ---- organisations: dates from their timelines; the lifecycle put them in the stage the data names ----
  for (const p of planned) {
    const row = tx
      .select({
        stage: organisations.stage,
        first: sql<string | null>`min(${activities.occurredAt})`,
        last: sql<string | null>`max(${activities.occurredAt})`,
        lastStage: sql<string | null>`max(case when ${activities.kind} = 'stage_change' then ${activities.occurredAt} end)`,
      })
      .from(organisations)
      .leftJoin(activities, eq(activities.organisationId, organisations.id))
      .where(eq(organisations.id, p.orgId))
      .get()!;
    if (row.stage !== p.org.stage) throw new Error(`demo data: ${p.org.name} ended in stage ${row.stage}, the data says ${p.org.stage}`);
    const createdAt = row.first ? new Date(new Date(row.first).getTime() - 60 * 60_000).toISOString() : instant(day(-100), "09:00");
    tx.update(organisations)
      .set({ createdAt, stageChangedAt: row.lastStage ?? createdAt, lastActivityAt: row.last, updatedAt: row.last ?? createdAt })
      .where(eq(organisations.id, p.orgId))
      .run();
  }

  // ---- tasks -------------------------------------------------------------
  const taskSpecs: { slug: string; title: string; due: number | null; done?: number; who?: "outreach" | "outreach2" | "outreach3" }[] = [
    { slug: "minato-shokuhin", title: "会場（第二工場 食堂）の電源位置を確認", due: 1 },
    { slug: "minato-shokuhin", title: "社内掲示用のお知らせを送付", due: -2, done: -2 },
    { slug: "minamidai-jhs", title: "教職員向け周知文を送付", due: 0 },
    { slug: "midorigaoka2", title: "集会所の駐車位置を現地確認", due: 12 },
    { slug: "hokuoku-kensetsu", title: "変更後の日程で市の再承認を確認し、団体へ連絡", due: 3 },
    { slug: "yamate-en", title: "市へ承認依頼の催促（滞留中）", due: -1 },
    { slug: "kawara-rojin", title: "駐車スペースを再確認して再申請", due: -1 },
    { slug: "aoba-shika", title: "申込内容の確認電話", due: 0 },
    { slug: "sakuragawadai", title: "申込内容の確認電話", due: 1 },
    { slug: "aoba-system", title: "コインパーキング利用の可否を市と協議", due: 2 },
    { slug: "aoba-hoikuen", title: "保護者向け案内文の有無を確認", due: 3 },
    { slug: "kitano3", title: "取消の事情を記録し、来年度の相談予定を登録", due: -5, done: -5 },
    { slug: "aoba-insatsu", title: "取消の連絡へのお礼と来年度の案内を送付", due: 1 },
    { slug: "aoba-kotsu", title: "乗務員の休憩時間帯を確認", due: -3 },
    { slug: "minamidai1", title: "役員会の検討結果を確認", due: 0 },
    { slug: "ds-hamanasu", title: "利用者家族への周知方法を相談", due: 8 },
    { slug: "aoba-silver", title: "会員研修日程を入手", due: 5 },
    { slug: "minato-butsuryu", title: "日程候補（3案）を提示", due: -1 },
    { slug: "kitano-hospital", title: "職員向け説明会の資料を送付", due: 0 },
    { slug: "yamate-chonaikai", title: "集会所の予約状況を確認", due: 2 },
    { slug: "aoba-kango", title: "学生向け案内の可否を問い合わせ", due: -4 },
    { slug: "ryokufuen", title: "入所者家族向けの再訪日程を提案", due: -2 },
    { slug: "higashihama-unso", title: "夜勤シフト社員向けの再訪を相談", due: 6 },
    { slug: "nishida-rengo", title: "実施報告のお礼状を送付", due: -3, done: -4 },
    { slug: "hidamari-kitano", title: "当日の写真（顔なし）を施設へ共有", due: -15, done: -16 },
    { slug: "ja-okusawa", title: "1月の組合員集会の日程を確認", due: 20 },
    { slug: "sakura-hoikuen", title: "園だより掲載の可否を確認", due: 12, who: "outreach3" },
    { slug: "chuo-shotengai", title: "理事会で説明する時間をもらう", due: null },
  ];
  for (const t of taskSpecs) {
    const o = ORGS.find((x) => x.slug === t.slug)!;
    const assignee = userId[t.who ?? o.owner];
    const created = t.due === null ? day(-10) : day(Math.min(t.due, t.done ?? 0) - rnd.int(3, 10));
    tx.insert(tasks)
      .values({
        organisationId: orgIdBySlug[t.slug],
        visitId: visitIdBySlug[t.slug] ?? null,
        title: t.title,
        dueOn: t.due === null ? null : day(t.due),
        assigneeId: assignee,
        doneAt: t.done !== undefined ? instant(day(t.done), "17:10") : null,
        doneById: t.done !== undefined ? assignee : null,
        createdById: rnd.next() < 0.3 ? userId.manager : assignee,
        createdAt: instant(created < day(-1) ? created : day(-1), "09:30"),
      })
      .run();
  }

  // ---- rosters of the next ten days: today's sessions ready to go, later ones partly planned ----
  const soon = tx
    .select({ id: visits.id, date: visits.date, mode: visits.mode })
    .from(visits)
    .where(and(inArray(visits.status, upcomingStates()), gte(visits.date, T), lte(visits.date, day(10))))
    .orderBy(visits.startsAt, visits.id)
    .all();
  const firstAcceptLater = soon.find((v) => v.date! > T && v.mode === "accept");
  for (const v of soon) {
    // One 受付方式 session still lacks its city official: the session page, Today and the city's approval page warn about it.
    staffSession(v.id, v.date!, v.mode, { kitUntil: v.date === T ? undefined : 2, withCityOfficial: v.id !== firstAcceptLater?.id });
  }

  // ---- incidents and complaints (事故・苦情): two closed, a serious one still open, a minor one open ----
  const lastRoaming = roamingCompleted.at(-1);
  const olderRoaming = roamingCompleted.at(-9);
  const baseDone = sessions.filter((x) => x.kind === "base" && x.date < T);
  const someBase = baseDone.at(-5);
  const lastGroup = completedGroupVisits.at(-1);
  if (!lastRoaming || !olderRoaming || !someBase || !lastGroup) throw new Error("demo data: not enough completed sessions for incidents");
  const incident = (what: string, visitId: number, date: string, input: { kind: string; severity: string; hm: string; what: string; actionTaken?: string }) =>
    step(what, clock(date, "17:30"), (now) => createIncident({ visitId, kind: input.kind, severity: input.severity, occurredAt: `${date}T${input.hm}`, what: input.what, actionTaken: input.actionTaken, now }, actors.outreach, db)).id;
  const complaint = incident("waiting-time complaint", olderRoaming.id, olderRoaming.date, {
    kind: "complaint",
    severity: "minor",
    hm: "11:20",
    what: "撮影の順番待ちが20分ほどになり、来場者から「待ち時間の案内がない」との苦情があった。",
    actionTaken: "その場でお詫びし、待ち時間の目安を掲示。次回から整理券を配布する。",
  });
  step("close the complaint", clock(addDays(olderRoaming.date, 1), "10:00"), (now) => closeIncident({ incidentId: complaint, now }, actors.manager, db));
  const fall = incident("a visitor trips", someBase.id, someBase.date, {
    kind: "accident",
    severity: "serious",
    hm: "13:45",
    what: "来場者（高齢の方）が会場入口の段差でつまずき、膝を擦りむいた。意識ははっきりしており、歩行に支障なし。",
    actionTaken: "救急箱で手当てし、ご家族に連絡。施設管理者と段差にスロープと注意表示を設置することで合意。",
  });
  step("close the fall", clock(addDays(someBase.date, 2), "15:00"), (now) => closeIncident({ incidentId: fall, now }, actors.manager, db));
  incident("a form goes missing", lastRoaming.id, lastRoaming.date, {
    kind: "accident",
    severity: "serious",
    hm: "14:10",
    what: "郵送申請用に預かった申請書1部の所在が一時わからなくなった（個人番号の記載はなし）。撤収時に再確認中。",
    actionTaken: "当日の書類を全件照合し、市民課に電話で第一報。翌朝、車両内の書類箱を再点検する。",
  });
  incident("a parking remark", lastGroup.id, lastGroup.date, {
    kind: "complaint",
    severity: "minor",
    hm: "10:05",
    what: "近隣の方から、ラッピングカーの駐車位置が通路にかかっているとの指摘があった。",
  });

  // ---- inquiries (問合せ記録): by phone, email and at the counter; on site at recent sessions ----
  const topics = getSettings(tx).inquiryCategories.map((c) => c.key);
  const siteVisits = [...completedGroupVisits.slice(-3), ...roamingCompleted.slice(-4)];
  for (const [i, v] of siteVisits.entries()) {
    // Logged one by one as well: the results' on-site count covers them too (never counted twice).
    step(`site inquiry at visit ${v.id}`, clock(v.date, "16:50"), (now) =>
      logInquiry({ channel: "site", visitId: v.id, receivedOn: v.date, topic: topics[i % topics.length], summary: i % 2 === 0 ? "会場で口頭にて案内" : "案内チラシを渡して説明", count: rnd.int(1, 4), now }, actorById(outreachIds[i % 3]), db),
    );
  }
  const channels = ["phone", "phone", "phone", "email", "counter"] as const;
  for (let i = 0; i < 14; i++) {
    const on = day(-rnd.int(1, 75));
    step(`inquiry ${i}`, clock(on, "11:00"), (now) =>
      logInquiry(
        {
          channel: channels[i % channels.length],
          receivedOn: on,
          topic: topics[(i * 3 + 1) % topics.length],
          summary: rnd.pick(["市民課の窓口を案内", "次回の巡回日程を案内", "必要な持ち物を案内", "団体申込の方法を案内", "カードの受取方法を案内"]),
          count: 1,
          now,
        },
        actorById(outreachIds[i % 3]),
        db,
      ),
    );
  }

  // ---- PR activities (広報): materials approved by the city before use (§5(3)②) ----
  const month = (delta: number) => Number(monthStart(T, delta).slice(5, 7));
  const prItems: { input: Parameters<typeof savePrActivity>[1]; at: string }[] = [
    { at: day(-82), input: { medium: "flyer", title: "巡回日程チラシ配布（スーパー・金融機関）", status: "done", plannedOn: day(-80), doneOn: day(-78), reach: "5000", reachUnit: "枚", cityApprovedOn: day(-84), cityApprovalRef: `市民課第${reiwa}-118号` } },
    { at: day(-45), input: { medium: "newsletter", title: `市広報誌「広報${CITY.replace("市", "")}」${month(-1)}月号に掲載`, status: "done", plannedOn: monthStart(T, -1), doneOn: monthStart(T, -1), reach: "98000", reachUnit: "部", cityApprovedOn: addDays(monthStart(T, -1), -12), cityApprovalRef: "広報広聴課 確認済" } },
    { at: day(-12), input: { medium: "sns", title: "市公式SNSで週末の拠点窓口を告知", status: "done", plannedOn: day(-10), doneOn: day(-9), reach: "12400", reachUnit: "表示", cityApprovedOn: day(-11), cityApprovalRef: "メールにて承認" } },
    { at: day(-52), input: { medium: "poster", title: "町内会回覧板用ポスター", status: "done", plannedOn: day(-50), doneOn: day(-47), reach: "1200", reachUnit: "枚", cityApprovedOn: day(-51), cityApprovalRef: `市民課第${reiwa}-131号` } },
    { at: day(-3), input: { medium: "sns", title: "年末年始の実施日程をSNSで告知", status: "planned", plannedOn: day(14), cityApprovedOn: day(-3), cityApprovalRef: "メールにて承認" } },
    { at: day(-3), input: { medium: "radio", title: "コミュニティFMで団体向け出張受付を紹介", status: "planned", plannedOn: day(24), notes: "5分間の出演枠。原稿は市の確認待ち。" } },
    { at: day(-3), input: { medium: "newsletter", title: `市広報誌 ${month(1)}月号に巡回日程を掲載`, status: "planned", plannedOn: monthStart(T, 1), reach: "98000", reachUnit: "部" } },
    { at: day(-20), input: { medium: "event", title: "市民まつりの市ブースで出張申請を案内", status: "done", plannedOn: day(-22), doneOn: day(-21), reach: "350", reachUnit: "人", cityApprovedOn: day(-30), cityApprovalRef: "イベント実施計画書にて承認" } },
  ];
  for (const [i, item] of prItems.entries()) {
    // Recorded when planned; done items are recorded on the day they were done.
    step(`PR ${i}`, clock(item.input.doneOn ?? item.at, "17:00"), (now) => savePrActivity(null, { ...item.input, now }, actors.manager, db));
  }

  // ---- site photos (generated scenes of the window, no people), made before the transaction ----
  const photoSessions = [lastRoaming, someBase, lastGroup];
  for (const [i, photo] of photos.entries()) {
    const target = photoSessions[Math.floor(i / 2) % photoSessions.length];
    must(`photo ${i}`, savePhoto(tx, { visitId: target.id, photo: photo.processed, caption: photo.caption, at: instant(target.date, "15:30") }, actors.outreach));
  }

  // ---- reports ---------------------------------------------------------------
  // Every report whose deadline day is past was submitted by the manager on
  // the morning it was due (a monthly one two days before) and acknowledged
  // by the city the next business day, except those of the last few days,
  // which wait for the city. Reports due today or later are the manager's
  // work this morning (docs/decisions/010).
  const demoProgram = programById(programId, tx)!;
  for (const r of listReports(demoProgram, clock(T, "08:00"), db).reverse()) {
    if (r.kind === "completion" || r.deadline.dueOn >= T || (r.state !== "open" && r.state !== "not_ready")) continue;
    const submittedOn = r.kind === "monthly" ? addDays(r.deadline.dueOn, -2) : r.deadline.dueOn;
    const remarks = r.kind === "monthly" ? "場所別の分析を踏まえ、来月は商業施設での土日実施を増やします。" : null;
    const submitted = submitReport({ program: demoProgram, kind: r.kind, key: r.key, remarks: remarks ?? "", user: actors.manager, now: clock(submittedOn, "10:00") }, db);
    if (!submitted.ok) continue; // e.g. a day whose results are missing: it stays on the manager's list
    const acknowledgedOn = nextBusinessDay(r.deadline.dueOn);
    if (acknowledgedOn >= day(-2)) continue;
    const row = tx.select({ id: reports.id }).from(reports).where(and(eq(reports.programId, programId), eq(reports.kind, r.kind), eq(reports.periodStart, submitted.built.periodStart))).get()!;
    must(`acknowledge ${r.kind} ${r.key}`, acknowledgeReport({ reportId: row.id, user: actors.city, now: clock(acknowledgedOn, "11:00") }, db) ?? { ok: false, message: "not found" });
  }
}
