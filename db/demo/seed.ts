/**
 * Demo data: a believable, current-looking program for the fictional あおば市.
 * Loaded by `npm start` into an empty database (no users) unless DEMO_DATA=0.
 *
 * Everything is relative to `today` and drawn from a seeded PRNG, so two loads on
 * the same day produce the same rows (except the random status tokens).
 */
import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import { hashPassword } from "../../app/auth.server";
import type { Db, Tx } from "../../app/db.server";
import {
  addDays,
  addMinutesLocal,
  daysBetween,
  isNationalHoliday,
  isWeekend,
  isYearEndClosure,
  todayInTokyo,
  weekday,
} from "../../app/lib/dates";
import { SETTINGS_SCHEMA } from "../../app/settings.server";
import { digitsOnly, organisationSearchKey } from "../../app/lib/normalise";
import {
  activities,
  approvals,
  contacts,
  districts,
  inquiries,
  organisationContacts,
  organisations,
  prActivities,
  programs,
  tasks,
  users,
  vehicles,
  venues,
  visitRequests,
  visitResults,
  visits,
  type Stage,
  type VisitMode,
} from "../schema";
import { CITY, DEMO_USERS, DISTRICTS, EXTRA_ROLES, GIVEN, INQUIRY_TOPICS, ORGS, SURNAMES, VENUES, type DemoOrg } from "./data";

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

function lastDayOfMonth(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0));
  return d.toISOString().slice(0, 10);
}

function monthStart(ymd: string, deltaMonths: number): string {
  const [y, m] = ymd.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + deltaMonths, 1));
  return d.toISOString().slice(0, 10);
}

/** Days the program does not run at all (municipal year-end closure). */
function isClosedDay(ymd: string) {
  return isYearEndClosure(ymd);
}

const SLOT_TIMES: Record<"am" | "pm" | "allday", [string, string][]> = {
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

const STATUS_LABEL: Record<string, string> = {
  requested: "受付",
  screening: "内容確認中",
  awaiting_city: "市承認待ち",
  changes_requested: "修正依頼",
  approved: "承認済",
  completed: "実施済",
  declined: "見送り",
  cancelled: "取消",
};

// ---------------------------------------------------------------------------

export async function loadDemoData(db: Db, opts?: { today?: string }): Promise<void> {
  const today = opts?.today ?? todayInTokyo();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const rules = SETTINGS_SCHEMA.parse({});
  const before = rules.setupMinutes + rules.travelMinutes;
  const after = rules.teardownMinutes + rules.travelMinutes;

  db.transaction(
    (tx) => {
      insertAll(tx, today, passwordHash, before, after);
    },
    { behavior: "immediate" },
  );
}

function insertAll(tx: Tx, today: string, passwordHash: string, holdBefore: number, holdAfter: number) {
  const rnd = prng(20261122);
  const T = today;
  const day = (offset: number) => addDays(T, offset);
  const year = Number(T.slice(0, 4));
  const reiwa = year - 2018;

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
  }
  const cityId = userId.city;
  const city2Id = userId.city2;
  const outreachIds = [userId.outreach, userId.outreach2, userId.outreach3];

  // ---- vehicle -------------------------------------------------------------
  const car = tx
    .insert(vehicles)
    .values({ name: "ラッピングカー1号", plate: "あおば 800 さ 12-34", active: true })
    .returning({ id: vehicles.id })
    .get();
  const carId = car.id;

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

  // ---- venues --------------------------------------------------------------
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

  // ---- car calendar: one car visit per day, so holds can never overlap ------
  const carDays = new Set<string>();
  const okForCar = (d: string, weekendOk: boolean) =>
    !carDays.has(d) && !isClosedDay(d) && !isNationalHoliday(d) && (weekendOk || !isWeekend(d));
  /** The free day nearest to `target` (searching forward first), staying on the same side of today. */
  function pickCarDay(target: string, weekendOk: boolean): string {
    const past = target < T;
    for (let i = 0; i < 40; i++) {
      for (const cand of [addDays(target, i), addDays(target, -i)]) {
        if (past ? cand >= T : cand <= T) continue;
        if (okForCar(cand, weekendOk)) {
          carDays.add(cand);
          return cand;
        }
      }
    }
    throw new Error(`demo data: no free car day near ${target}`);
  }
  const hold = (startsAt: string, endsAt: string) => ({
    holdStartsAt: addMinutesLocal(startsAt, -holdBefore),
    holdEndsAt: addMinutesLocal(endsAt, holdAfter),
  });

  // ---- results -------------------------------------------------------------
  function insertResult(visitId: number, mode: VisitMode, total: number, date: string, recordedById: number, notes: string) {
    let acceptCount = 0;
    let supportOnlineCount = 0;
    let supportMailCount = 0;
    let fallbackCount = 0;
    if (mode === "accept") {
      fallbackCount = total >= 10 && rnd.next() < 0.6 ? rnd.int(1, 3) : 0;
      acceptCount = total - fallbackCount;
      supportOnlineCount = fallbackCount;
    } else {
      supportMailCount = Math.round(total * (0.15 + rnd.next() * 0.2));
      supportOnlineCount = total - supportMailCount;
    }
    const sum = acceptCount + supportOnlineCount + supportMailCount;
    const outOfCityCount = Math.min(sum, rnd.next() < 0.55 ? rnd.int(1, 3) : 0);
    const inCityCount = sum - outOfCityCount;
    const otherAssistance: Record<string, number> = {
      mynapoint: rnd.int(0, Math.max(1, Math.round(total / 6))),
      health_insurance: rnd.int(0, Math.max(1, Math.round(total / 5))),
      public_funds_account: rnd.int(0, Math.max(1, Math.round(total / 8))),
    };
    tx.insert(visitResults)
      .values({
        visitId,
        acceptCount,
        supportOnlineCount,
        supportMailCount,
        fallbackCount,
        inCityCount,
        outOfCityCount,
        otherAssistance,
        inquiryCount: rnd.int(1, Math.max(2, Math.round(total / 3))),
        notes,
        recordedById,
        recordedAt: instant(date, "16:40"),
        updatedAt: instant(date, "16:40"),
      })
      .run();
    return sum;
  }

  // ---- organisations, contacts, group visits -------------------------------
  let contactSeq = 0;
  const nextPersonName = () => {
    const i = contactSeq++;
    return `${SURNAMES[(i * 7 + 3) % SURNAMES.length]} ${GIVEN[(i * 5 + 1) % GIVEN.length]}`;
  };

  type Planned = { org: DemoOrg; orgId: number; contactName: string; contactPhone: string; contactEmail: string; phone: string; postalCode: string; address: string };
  const planned: Planned[] = [];
  const orgIdBySlug: Record<string, number> = {};
  const primaryContactByOrg: Record<string, number> = {};

  for (const [i, o] of ORGS.entries()) {
    const a = address(o.district);
    const phone = landline();
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
        stage: o.stage,
        lostReason: o.lost?.reason ?? null,
        lostAtStage: o.lost?.atStage ?? null,
        ownerId: userId[o.owner],
        nextActionOn: o.nextAction ? day(o.nextAction.offset) : null,
        nextActionNote: o.nextAction?.note ?? null,
        notes: o.notes ?? null,
        // stageChangedAt, lastActivityAt and createdAt are set once the timeline is known.
        stageChangedAt: instant(day(-90)),
        createdAt: instant(day(-120)),
        updatedAt: instant(day(-120)),
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
      .values({ name: contactName, phone: contactPhone, email: contactEmail, createdAt: instant(day(-120)) })
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
    planned.push({ org: o, orgId: row.id, contactName, contactPhone, contactEmail, phone, ...a });
  }
  // One person serves two organisations: the chair of the seniors' club also chairs her 自治会.
  tx.insert(organisationContacts)
    .values({
      organisationId: orgIdBySlug["midorigaoka2"],
      contactId: primaryContactByOrg["kawara-rojin"],
      role: "副会長（老人クラブ連合会会長を兼務）",
      isPrimary: false,
    })
    .run();
  tx.insert(organisationContacts)
    .values({
      organisationId: orgIdBySlug["nishida-rengo"],
      contactId: primaryContactByOrg["chuo3-chonaikai"],
      role: "顧問",
      isPrimary: false,
    })
    .run();

  // ---- timelines ---------------------------------------------------------
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

  const groupStatuses: Record<string, number> = {};
  let receiptSeq = 0;
  const visitIdBySlug: Record<string, number> = {};
  const completedGroupVisits: { id: number; date: string; orgName: string }[] = [];

  // Group visits in order of request date so receipt numbers are sequential in time.
  const groupOrgs = planned
    .filter((p) => p.org.visit)
    .map((p) => {
      const v = p.org.visit!;
      // when the request came in (days from today)
      const requestOffset =
        v.status === "completed"
          ? v.offset - rnd.int(24, 34)
          : v.status === "approved"
            ? -rnd.int(16, 26)
            : v.status === "awaiting_city"
              ? -rnd.int(8, 12)
              : v.status === "changes_requested"
                ? -14
                : v.status === "requested"
                  ? -rnd.int(1, 2)
                  : v.status === "screening"
                    ? -rnd.int(4, 6)
                    : v.status === "declined"
                      ? -25
                      : -40;
      return { p, v, requestOffset };
    })
    .sort((a, b) => a.requestOffset - b.requestOffset);

  const allActs: Map<number, Act[]> = new Map();
  const pushAct = (orgId: number, act: Act) => {
    const list = allActs.get(orgId) ?? [];
    list.push(act);
    allActs.set(orgId, list);
  };

  let awaitingSeen = 0;
  for (const { p, v, requestOffset } of groupOrgs) {
    const o = p.org;
    const owner = userId[o.owner];
    receiptSeq += 1;
    const receiptNo = `G-${year}-${String(receiptSeq).padStart(4, "0")}`;
    const requestDay = day(requestOffset);
    const requestAt = instant(requestDay, v.source === "web" ? `${rnd.int(19, 22)}:${rnd.pick(["05", "18", "32", "47"])}` : `${rnd.int(9, 16)}:${rnd.pick(["10", "25", "40", "55"])}`);

    // The scheduled day (if any)
    let date: string | null = null;
    let startsAt: string | null = null;
    let endsAt: string | null = null;
    const [from, to] = SLOT_TIMES[v.slot][rnd.int(0, SLOT_TIMES[v.slot].length - 1)];
    if (!["requested", "screening"].includes(v.status)) {
      date = pickCarDay(day(v.offset), !!v.weekendOk);
      startsAt = `${date}T${from}`;
      endsAt = `${date}T${to}`;
    }
    // Preferred dates as submitted: the scheduled day is one of them.
    const pref1 = date ?? pickPreferred(day(rnd.int(20, 34)));
    const pref2 = addDays(pref1, 7);
    const pref3 = rnd.next() < 0.5 ? addDays(pref1, 14) : null;
    function pickPreferred(d: string) {
      let x = d;
      while (isWeekend(x) || isNationalHoliday(x) || isYearEndClosure(x)) x = addDays(x, 1);
      return x;
    }

    const cancelled = v.status === "cancelled";
    const req = tx
      .insert(visitRequests)
      .values({
        programId,
        receiptNo,
        statusToken: crypto.randomBytes(24).toString("base64url"),
        organisationId: p.orgId,
        organisationName: o.name,
        organisationKind: o.kind,
        postalCode: p.postalCode,
        address: p.address,
        contactName: p.contactName,
        phone: p.contactPhone,
        email: p.contactEmail,
        expectedApplicants: o.expected,
        preferredDate1: pref1,
        preferredSlot1: v.slot,
        preferredDate2: pref2,
        preferredSlot2: v.slot === "allday" ? "allday" : rnd.pick(["am", "pm"] as const),
        preferredDate3: pref3,
        preferredSlot3: pref3 ? rnd.pick(["am", "pm", "allday"] as const) : null,
        venueText: v.venueText,
        parking: v.parking,
        message: v.message ?? null,
        source: v.source,
        cancelledAt: cancelled ? instant(day(-6), "11:20") : null,
        cancelReason: cancelled ? (v.reason ?? null) : null,
        createdAt: requestAt,
      })
      .returning({ id: visitRequests.id })
      .get();

    // Key moments of the lifecycle (instants)
    const awaitingAt =
      v.status === "awaiting_city"
        ? instant(day(awaitingSeen++ === 0 ? -6 : -1), "15:10") // one is stale on purpose
        : instant(addDays(requestDay, 2), "14:30");
    const approvalDay =
      v.status === "completed"
        ? addDays(date!, -rnd.int(7, 12))
        : v.status === "approved"
          ? day(-rnd.int(2, 6))
          : v.status === "cancelled"
            ? day(-30)
            : day(-3);
    const approvalAt = instant(approvalDay, `${rnd.int(9, 16)}:${rnd.pick(["00", "15", "30", "45"])}`);
    const approver = rnd.next() < 0.75 ? cityId : city2Id;

    let statusChangedAt: string;
    switch (v.status) {
      case "requested":
        statusChangedAt = requestAt;
        break;
      case "screening":
        statusChangedAt = instant(addDays(requestDay, 1), "10:30");
        break;
      case "awaiting_city":
        statusChangedAt = awaitingAt;
        break;
      case "cancelled":
        statusChangedAt = instant(day(-6), "11:20");
        break;
      case "completed":
        statusChangedAt = instant(date!, "16:40");
        break;
      default:
        statusChangedAt = approvalAt;
    }

    const holds = v.status === "awaiting_city" || v.status === "approved";
    const venueName = v.venueText;
    const visit = tx
      .insert(visits)
      .values({
        programId,
        kind: "group",
        mode: v.mode,
        status: v.status,
        title: `${o.name} 出張申請受付`,
        requestId: req.id,
        organisationId: p.orgId,
        venueId: null,
        vehicleId: carId,
        date,
        startsAt,
        endsAt,
        ...(holds && startsAt && endsAt ? hold(startsAt, endsAt) : { holdStartsAt: null, holdEndsAt: null }),
        expectedApplicants: o.expected,
        ownerId: owner,
        notes: v.notes ?? (v.parking === "ask" ? "駐車位置は当日朝に団体担当者と確認" : null),
        statusReason: ["declined", "cancelled", "changes_requested"].includes(v.status) ? (v.reason ?? null) : null,
        statusChangedAt,
        createdAt: requestAt,
        updatedAt: statusChangedAt,
        reminderSentAt: v.status === "completed" ? instant(addDays(date!, -3), "08:00") : null,
      })
      .returning({ id: visits.id })
      .get();
    visitIdBySlug[o.slug] = visit.id;
    groupStatuses[v.status] = (groupStatuses[v.status] ?? 0) + 1;

    const snapshot = { date, startsAt, endsAt, venue: venueName, expectedApplicants: o.expected };
    const approve = (decision: "approved" | "changes_requested" | "declined", comment: string | null, at: string) =>
      tx.insert(approvals).values({ visitId: visit.id, decision, comment, snapshot, decidedById: approver, decidedAt: at }).run();

    // ---- organisation timeline for this request ----
    const acts: Act[] = [];
    const ref = { visitId: visit.id, requestId: req.id };
    if (v.source === "web") {
      acts.push({ kind: "request", summary: `Webフォームから申込（受付番号 ${receiptNo}）`, at: requestAt, user: owner, ...ref });
      acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.uncontacted} → ${STAGE_LABEL.applied}`, from: "uncontacted", to: "applied", at: requestAt, user: owner, ...ref });
    } else {
      const firstAt = instant(addDays(requestDay, -rnd.int(25, 40)), "10:20");
      const meetAt = instant(addDays(requestDay, -rnd.int(8, 14)), "14:00");
      acts.push({ kind: "call", summary: "電話で出張申請受付の制度を案内", body: "団体内で希望者を取りまとめてもらうことになった。", at: firstAt, user: owner });
      acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.uncontacted} → ${STAGE_LABEL.contacted}`, from: "uncontacted", to: "contacted", at: firstAt, user: owner });
      acts.push({ kind: "meeting", summary: "訪問して日程・会場・駐車スペースを協議", body: `会場候補: ${v.venueText}。申請予定 ${o.expected} 名程度。`, at: meetAt, user: owner });
      acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.contacted} → ${STAGE_LABEL.consulting}`, from: "contacted", to: "consulting", at: meetAt, user: owner });
      acts.push({
        kind: "request",
        summary: v.source === "phone" ? `電話で申込を受付（受付番号 ${receiptNo}）` : `担当者が申込を代理入力（受付番号 ${receiptNo}）`,
        at: requestAt,
        user: owner,
        ...ref,
      });
      acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.consulting} → ${STAGE_LABEL.applied}`, from: "consulting", to: "applied", at: requestAt, user: owner, ...ref });
    }
    const toAwaiting = () => {
      acts.push({ kind: "note", summary: "申込内容を確認し、市へ承認を依頼", at: awaitingAt, user: owner, ...ref });
      acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.applied} → ${STAGE_LABEL.awaiting_city}`, from: "applied", to: "awaiting_city", at: awaitingAt, user: owner, ...ref });
    };
    const toConfirmed = () => {
      approve("approved", null, approvalAt);
      acts.push({ kind: "approval", summary: "市が訪問を承認", at: approvalAt, user: approver, ...ref });
      acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.awaiting_city} → ${STAGE_LABEL.confirmed}`, from: "awaiting_city", to: "confirmed", at: approvalAt, user: owner, ...ref });
      const mailAt = new Date(new Date(approvalAt).getTime() + 40 * 60_000).toISOString();
      acts.push({ kind: "email", summary: "実施確定の案内メールを送付（持ち物・当日の流れ）", at: mailAt, user: owner, ...ref });
    };

    switch (v.status) {
      case "requested":
        break;
      case "screening":
        acts.push({ kind: "call", summary: "申込内容の確認電話", body: v.message ? `相談事項: ${v.message}` : undefined, at: statusChangedAt, user: owner, ...ref });
        break;
      case "awaiting_city":
        toAwaiting();
        break;
      case "changes_requested": {
        toAwaiting();
        const at = instant(day(-4), "16:05");
        approve("changes_requested", v.reason ?? "内容を確認してください。", at);
        acts.push({ kind: "approval", summary: "市から修正依頼", body: v.reason, at, user: approver, ...ref });
        acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.awaiting_city} → ${STAGE_LABEL.applied}`, from: "awaiting_city", to: "applied", at, user: owner, ...ref });
        break;
      }
      case "approved":
        toAwaiting();
        toConfirmed();
        break;
      case "completed": {
        toAwaiting();
        toConfirmed();
        const total = Math.max(3, Math.round(o.expected * (0.7 + rnd.next() * 0.45)));
        const sum = insertResult(visit.id, v.mode, total, date!, owner, `${o.name}にて実施。事前の取りまとめがあり、待ち時間はほぼなし。`);
        const resultAt = instant(date!, "16:40");
        acts.push({ kind: "result", summary: `実施結果を登録（申請 ${sum} 件）`, at: resultAt, user: owner, ...ref });
        acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.confirmed} → ${STAGE_LABEL.visited}`, from: "confirmed", to: "visited", at: resultAt, user: owner, ...ref });
        completedGroupVisits.push({ id: visit.id, date: date!, orgName: o.name });
        if (o.stage === "revisit") {
          const noteDay = addDays(date!, 5) < T ? addDays(date!, 5) : day(-1);
          const at = instant(noteDay, "11:00");
          acts.push({ kind: "note", summary: "当日来られなかった方が多く、再訪を提案", at, user: owner });
          acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.visited} → ${STAGE_LABEL.revisit}`, from: "visited", to: "revisit", at, user: owner });
        }
        break;
      }
      case "declined": {
        toAwaiting();
        const at = instant(day(-16), "13:30");
        approve("declined", v.reason ?? null, at);
        acts.push({ kind: "approval", summary: "市が見送りと判断", body: v.reason, at, user: approver, ...ref });
        acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.awaiting_city} → ${STAGE_LABEL.lost}`, from: "awaiting_city", to: "lost", body: o.lost?.reason, at, user: owner, ...ref });
        break;
      }
      case "cancelled": {
        toAwaiting();
        toConfirmed();
        acts.push({ kind: "call", summary: "団体から取消の連絡", body: v.reason, at: statusChangedAt, user: owner, ...ref });
        acts.push({ kind: "stage_change", summary: `${STAGE_LABEL.confirmed} → ${STAGE_LABEL.lost}`, from: "confirmed", to: "lost", body: o.lost?.reason, at: statusChangedAt, user: owner, ...ref });
        break;
      }
    }
    for (const a of acts) pushAct(p.orgId, a);
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
    for (const a of acts) pushAct(p.orgId, a);
  }

  // ---- write activities; derive createdAt / stageChangedAt / lastActivityAt ---
  for (const p of planned) {
    const acts = (allActs.get(p.orgId) ?? []).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    for (const a of acts) {
      tx.insert(activities)
        .values({
          organisationId: p.orgId,
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
    }
    const first = acts[0]?.at;
    const last = acts.at(-1)?.at ?? null;
    const lastStage = [...acts].reverse().find((a) => a.kind === "stage_change")?.at;
    const createdAt = first ? new Date(new Date(first).getTime() - 60 * 60_000).toISOString() : instant(day(-100), "09:00");
    tx.update(organisations)
      .set({ createdAt, stageChangedAt: lastStage ?? createdAt, lastActivityAt: last, updatedAt: last ?? createdAt })
      .where(eq(organisations.id, p.orgId))
      .run();
  }

  // ---- roaming and base-facility sessions --------------------------------
  const thisMonth = T.slice(0, 7);
  const nextMonth = monthStart(T, 1).slice(0, 7);
  const statusFor = (date: string) =>
    date < T ? "completed" : date.slice(0, 7) <= nextMonth ? "agreed" : "planned";
  const scheduleMonths = new Set<string>();

  // Roaming: two weekdays a week (Tue/Thu, shifted when the car is busy) from 13 weeks back to 8 weeks ahead.
  let roamingIdx = 0;
  const roamingCompleted: { id: number; date: string }[] = [];
  const firstMonday = addDays(T, -91 - ((weekday(addDays(T, -91)) + 6) % 7));
  for (let week = firstMonday; week <= addDays(T, 56); week = addDays(week, 7)) {
    for (const dow of [1, 3]) {
      // Monday + 1 = Tuesday, + 3 = Thursday
      let date: string | null = null;
      for (const shift of [0, 1, -1, 2]) {
        const cand = addDays(week, dow + shift);
        if (okForCar(cand, false)) {
          date = cand;
          break;
        }
      }
      if (!date || date < addDays(T, -91) || date > addDays(T, 56) || date === T) continue;
      carDays.add(date);
      const venue = roamingVenues[(roamingIdx * 7 + 2) % roamingVenues.length];
      roamingIdx += 1;
      const status = statusFor(date);
      const [from, to] = rnd.pick([
        ["10:00", "15:00"],
        ["10:00", "14:00"],
        ["11:00", "16:00"],
      ] as const);
      const startsAt = `${date}T${from}`;
      const endsAt = `${date}T${to}`;
      scheduleMonths.add(date.slice(0, 7));
      const v = tx
        .insert(visits)
        .values({
          programId,
          kind: "roaming",
          mode: "support",
          status,
          title: `巡回申請サポート ${venue.name}`,
          venueId: venue.id,
          vehicleId: carId,
          date,
          startsAt,
          endsAt,
          ...(status === "completed" ? { holdStartsAt: null, holdEndsAt: null } : hold(startsAt, endsAt)),
          expectedApplicants: venue.kind === "supermarket" ? 20 : 12,
          ownerId: outreachIds[roamingIdx % 3],
          statusChangedAt: status === "completed" ? instant(date, "16:40") : instant(scheduleDecidedDay(date.slice(0, 7)), "14:00"),
          createdAt: instant(addDays(scheduleDecidedDay(date.slice(0, 7)), -5), "10:00"),
          updatedAt: instant(addDays(scheduleDecidedDay(date.slice(0, 7)), -5), "10:00"),
        })
        .returning({ id: visits.id })
        .get();
      if (status === "completed") {
        const total = venue.kind === "supermarket" ? rnd.int(9, 26) : venue.kind === "bank" ? rnd.int(5, 14) : rnd.int(6, 18);
        insertResult(v.id, "support", total, date, outreachIds[roamingIdx % 3], rnd.pick([
          "買い物客への声掛けが効果的だった。",
          "午前中は高齢の方が多く、撮影補助の需要が高い。",
          "雨天のため来場少なめ。店内放送で案内してもらった。",
          "郵送申請の希望が多く、申請書の記入補助に時間がかかった。",
        ]));
        roamingCompleted.push({ id: v.id, date });
      }
    }
  }

  // Base-facility sessions: Saturdays or Sundays (both on some weekends) and national holidays; no car.
  let baseIdx = 0;
  for (let d = addDays(T, -91); d <= addDays(T, 56); d = addDays(d, 1)) {
    if (isYearEndClosure(d)) continue;
    const holiday = isNationalHoliday(d);
    const w = weekday(d);
    const weekNo = Math.floor(daysBetween(firstMonday, d) / 7);
    // week % 3 == 0: Saturday only, == 1: Sunday only, == 2: both days
    const take = holiday || d === T || (w === 6 && weekNo % 3 !== 1) || (w === 0 && weekNo % 3 !== 0);
    if (!take || !(isWeekend(d) || holiday)) continue;
    const mode: VisitMode = baseIdx % 5 === 0 ? "accept" : "support";
    const venue = baseVenues[baseIdx % baseVenues.length];
    baseIdx += 1;
    const status = statusFor(d);
    const startsAt = `${d}T10:00`;
    const endsAt = `${d}T${rnd.pick(["15:00", "16:00"])}`;
    scheduleMonths.add(d.slice(0, 7));
    const v = tx
      .insert(visits)
      .values({
        programId,
        kind: "base",
        mode,
        status,
        title: `拠点窓口（${mode === "accept" ? "受付方式" : "サポート方式"}） ${venue.name}`,
        venueId: venue.id,
        vehicleId: null,
        date: d,
        startsAt,
        endsAt,
        expectedApplicants: mode === "accept" ? 25 : 30,
        ownerId: outreachIds[baseIdx % 3],
        notes: mode === "accept" ? "市民課職員2名が本人確認書類を確認" : null,
        statusChangedAt: status === "completed" ? instant(d, "16:40") : instant(scheduleDecidedDay(d.slice(0, 7)), "14:00"),
        createdAt: instant(addDays(scheduleDecidedDay(d.slice(0, 7)), -5), "10:00"),
        updatedAt: instant(addDays(scheduleDecidedDay(d.slice(0, 7)), -5), "10:00"),
      })
      .returning({ id: visits.id })
      .get();
    if (status === "completed") {
      insertResult(v.id, mode, rnd.int(14, 42), d, outreachIds[baseIdx % 3], rnd.pick([
        "家族連れが多く、お子さんの申請も多数。",
        "館内放送とのぼり旗で集客。午後に来場が集中。",
        "電子証明書の更新の問い合わせが多かった。",
        "受付方式の案内チラシを持参した方が多く、スムーズに進んだ。",
      ]));
    }
  }

  // Month schedules agreed by the city (one row per month, no visit).
  function scheduleDecidedDay(month: string): string {
    const d = addDays(`${month}-01`, -11); // around the 20th of the month before
    return d < T ? d : addDays(T, -2);
  }
  for (const month of [...scheduleMonths].sort()) {
    if (month > nextMonth) continue;
    tx.insert(approvals)
      .values({
        visitId: null,
        scheduleMonth: month,
        decision: "agreed",
        comment: month === thisMonth ? "年末の実施日は閉庁日（12/29〜1/3）を避けること。" : null,
        decidedById: cityId,
        decidedAt: instant(scheduleDecidedDay(month), "14:00"),
      })
      .run();
  }

  // ---- tasks -------------------------------------------------------------
  const taskSpecs: { slug: string; title: string; due: number | null; done?: number; who?: "outreach" | "outreach2" | "outreach3" }[] = [
    { slug: "minato-shokuhin", title: "会場（第二工場 食堂）の電源位置を確認", due: 1 },
    { slug: "minato-shokuhin", title: "社内掲示用のお知らせを送付", due: -2, done: -2 },
    { slug: "minamidai-jhs", title: "教職員向け周知文を送付", due: 0 },
    { slug: "midorigaoka2", title: "集会所の駐車位置を現地確認", due: 12 },
    { slug: "hokuoku-kensetsu", title: "市の承認結果を団体へ連絡", due: 3 },
    { slug: "yamate-en", title: "市へ承認依頼の催促（滞留中）", due: -1 },
    { slug: "kawara-rojin", title: "駐車スペースを再確認して再申請", due: -1 },
    { slug: "aoba-shika", title: "申込内容の確認電話", due: 0 },
    { slug: "sakuragawadai", title: "申込内容の確認電話", due: 1 },
    { slug: "aoba-system", title: "コインパーキング利用の可否を市と協議", due: 2 },
    { slug: "aoba-hoikuen", title: "保護者向け案内文の有無を確認", due: 3 },
    { slug: "kitano3", title: "取消の事情を記録し、来年度の相談予定を登録", due: -5, done: -5 },
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

  // ---- inquiries -----------------------------------------------------------
  const siteVisits = [...completedGroupVisits.slice(-3), ...roamingCompleted.slice(-4)];
  for (const [i, v] of siteVisits.entries()) {
    tx.insert(inquiries)
      .values({
        channel: "site",
        visitId: v.id,
        receivedOn: v.date,
        topic: INQUIRY_TOPICS[i % INQUIRY_TOPICS.length],
        summary: i % 2 === 0 ? "会場で口頭にて案内" : "案内チラシを渡して説明",
        count: rnd.int(1, 4),
        createdById: outreachIds[i % 3],
        createdAt: instant(v.date, "16:50"),
      })
      .run();
  }
  for (let i = 0; i < 6; i++) {
    const on = day(-rnd.int(1, 60));
    tx.insert(inquiries)
      .values({
        channel: "phone",
        receivedOn: on,
        topic: INQUIRY_TOPICS[(i * 3 + 1) % INQUIRY_TOPICS.length],
        summary: rnd.pick(["市民課の窓口を案内", "次回の巡回日程を案内", "必要な持ち物を案内", "団体申込の方法を案内"]),
        count: 1,
        createdById: outreachIds[i % 3],
        createdAt: instant(on, "11:00"),
      })
      .run();
  }

  // ---- PR activities -------------------------------------------------------
  const pr: (typeof prActivities.$inferInsert)[] = [
    { programId, medium: "flyer", title: "巡回日程チラシ配布（スーパー・金融機関）", status: "done", plannedOn: day(-80), doneOn: day(-78), reach: 5000, reachUnit: "枚" },
    { programId, medium: "newspaper", title: `市広報誌「広報${CITY.replace("市", "")}」${Number(monthStart(T, -1).slice(5, 7))}月号に掲載`, status: "done", plannedOn: day(-40), doneOn: monthStart(T, -1), reach: 98000, reachUnit: "部" },
    { programId, medium: "sns", title: "市公式SNSで週末の拠点窓口を告知", status: "done", plannedOn: day(-10), doneOn: day(-9), reach: 12400, reachUnit: "表示" },
    { programId, medium: "poster", title: "町内会回覧板用ポスター", status: "done", plannedOn: day(-50), doneOn: day(-47), reach: 1200, reachUnit: "枚" },
    { programId, medium: "sns", title: "年末年始の実施日程をSNSで告知", status: "planned", plannedOn: day(14), reach: null, reachUnit: null },
    { programId, medium: "radio", title: "コミュニティFMで団体向け出張受付を紹介", status: "planned", plannedOn: day(24), reach: null, reachUnit: null, notes: "5分間の出演枠" },
    { programId, medium: "newspaper", title: `市広報誌 ${Number(monthStart(T, 1).slice(5, 7))}月号に巡回日程を掲載`, status: "planned", plannedOn: monthStart(T, 1), reach: 98000, reachUnit: "部" },
  ];
  for (const row of pr) {
    tx.insert(prActivities)
      .values({ ...row, createdAt: instant(row.doneOn && row.doneOn < T ? addDays(row.doneOn, -5) : day(-3), "09:00") })
      .run();
  }

  if (Object.keys(groupStatuses).length < 8) throw new Error("demo data: a group status is missing");
}
