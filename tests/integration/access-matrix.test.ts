/**
 * The access-control matrix: every route module in app/routes, each of its
 * handlers (loader, action and every action intent), called directly with a
 * real Request as anonymous, a status-token holder, outreach, manager, city
 * and admin, plus someone else's ids (another organisation's record, another
 * user's record, 999999, 0x-hex ids, look-alike tokens).
 *
 * The expectations are written out by hand below. The matrix fails when a
 * route file has no row, when a row names a route that does not exist, when a
 * module's handlers differ from its rows, or when an action intent found in a
 * route's source has no row. A refused call (redirect to sign-in, 403, 404,
 * 400, a form error) must change nothing in the database; an allowed action
 * must change something.
 *
 * The status-token holder calls with its organisation's status token in the
 * URL of the /request/status/:token routes; everyone else there gets a token
 * of nothing (a session cookie is no substitute). On other routes the token
 * holder is simply anonymous.
 *
 * Adding a route: add its rows to ROWS (one per handler and per intent, and
 * rows for someone else's ids when it takes one).
 *
 * Fixtures are built here (direct inserts and the app's own domain
 * functions), not taken from the demo data.
 */
import fs from "node:fs";
import path from "node:path";
import argon2 from "argon2";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq, inArray } from "drizzle-orm";
import { login, type SessionUser } from "../../app/auth.server";
import { ensureCalendarToken } from "../../app/calendar/feeds.server";
import { planSessions } from "../../app/calendar/planning.server";
import { createImportJob } from "../../app/crm/import.server";
import { getDb, writeTransaction } from "../../app/db.server";
import { emlPath, enqueueEmail } from "../../app/email/outbox.server";
import { addDays, todayInTokyo } from "../../app/lib/dates";
import { createIncident } from "../../app/onsite/incidents.server";
import { previousMonth } from "../../app/reports/deadlines";
import { submitReport } from "../../app/reports/store.server";
import { newIdempotencyKey } from "../../app/requests/submit.server";
import { recordResults } from "../../app/visits/results.server";
import { addToRoster } from "../../app/visits/roster.server";
import { getActiveProgram, getSettings, SETTINGS_LIST_KEYS, SETTINGS_NUMBER_KEYS } from "../../app/settings.server";
import { storePhoto } from "../../app/visits/photos.server";
import {
  contacts,
  crmProposals,
  emailOutbox,
  districts,
  importJobs,
  inquiries,
  organisationContacts,
  organisations,
  postalCodeCache,
  prActivities,
  programs,
  kitChecks,
  reports,
  savedFilters,
  staffMembers,
  tasks,
  users,
  vehicles,
  venues,
  visitRequests,
  visits,
  type Role,
  type VisitStatus,
} from "../../db/schema";
import { useFreshDatabase } from "../support/db";
import { groupVisit, plainWeekdayAhead, type Fixture } from "../support/visits";

// ---------------------------------------------------------------------------
// Who calls, and what they may get

const WHO = ["anon", "token", "outreach", "manager", "city", "admin"] as const;
type Who = (typeof WHO)[number];

/**
 * "ok": 2xx and the body reports no failure; "fail": 2xx with a form error
 * (ok: false, error, errors); "login": redirect to /login?redirectTo=…;
 * { redirect }: a redirect whose Location matches; a number: that status.
 */
type Expect = "ok" | "fail" | "login" | 400 | 403 | 404 | 405 | 409 | { redirect: RegExp };

type Target = Record<string, unknown> & { cookie?: string };

type Row = {
  /** File name in app/routes. */
  route: string;
  /** "none": the module has neither loader nor action (a page with only a component). */
  handler: "loader" | "action" | "none";
  /** The action intent this row exercises (checked against the intents found in the route's source). */
  intent?: string;
  /** What is special about this row (someone else's id …). */
  label?: string;
  /** Fresh records for one call (so an allowed call does not change what the next role sees). */
  prepare?: (who: Who) => Target | Promise<Target>;
  url?: (t: Target, who: Who) => string;
  params?: (t: Target, who: Who) => Record<string, string>;
  form?: (t: Target, who: Who) => Record<string, string | File>;
  expect: Record<Who, Expect>;
  /** An allowed action that legitimately writes nothing (sign-out without a session). */
  mayNotWrite?: boolean;
  /** A 2xx body that means refusal although it has no ok/error/errors keys. */
  failWhen?: (body: unknown) => boolean;
  /** Text that must never appear in any answer of this row (someone else's secret). */
  mustNotLeak?: (t: Target) => string;
  /** Wait for background work an allowed call started (CSV import chunks). */
  settle?: () => Promise<void>;
};

const STAFF: Role[] = ["outreach", "manager", "admin"];
const LEADS: Role[] = ["manager", "admin"];
const ADMIN: Role[] = ["admin"];
const CITY: Role[] = ["city"];
const SIGNED_IN: Role[] = ["outreach", "manager", "city", "admin"];

/** A staff/city/admin page: anonymous callers (and token holders) go to sign-in; roles not listed get 403. */
function gate(roles: Role[], ok: Expect): Record<Who, Expect> {
  const e = { anon: "login", token: "login" } as Record<Who, Expect>;
  for (const r of SIGNED_IN) e[r] = roles.includes(r) ? ok : 403;
  return e;
}

function everyone(e: Expect): Record<Who, Expect> {
  return Object.fromEntries(WHO.map((w) => [w, e])) as Record<Who, Expect>;
}

/** A status-link route: only the holder of the right token gets `ok`; a session cookie is no substitute. */
function tokenOnly(ok: Expect): Record<Who, Expect> {
  return { ...everyone(404), token: ok };
}

const redirectTo = (re: RegExp): Expect => ({ redirect: re });

// ---------------------------------------------------------------------------
// Fixtures

let ctx: ReturnType<typeof useFreshDatabase>;
const PASSWORD = "matrix-password-0123";
const today = todayInTokyo();
const people = {} as Record<Role, SessionUser>;
const cookies = {} as Record<Role, string>;
let f: Fixture;
let orgA: number;
let orgB: number;
let taskOfB: number;
let contactOfB: number;
let venueId: number;
let outboxId: number;
let deadOutboxId: number;
let otherUsersJob: number;
let otherUsersFilter: number;
let screening: ReturnType<typeof groupVisit>;
let approved: ReturnType<typeof groupVisit>;
let awaiting: ReturnType<typeof groupVisit>;
let roamingId: number;
let baseId: number;
/** One open session whose roster and kit the roster rows change (fresh people each call, so no clash and no day used up). */
let rosterSessionId: number;
let inactiveUsersToken: string;
/** A day of last month with a completed session and its results (its daily and monthly reports exist). */
let reportDay = "";
let seq = 0;
const usedDays = new Set<string>();

/** A plain weekday no other fixture uses (each visit gets its own day, so the car never clashes). */
function freeDay(): string {
  const d = plainWeekdayAhead(20, (ymd) => usedDays.has(ymd));
  usedDays.add(d);
  return d;
}

const db = () => getDb();
const unique = (prefix: string) => `${prefix}${++seq}`;

function insertUser(role: Role, email: string, name: string, passwordHash: string, extra: Partial<typeof users.$inferInsert> = {}) {
  return db().insert(users).values({ email, name, role, passwordHash, ...extra }).returning({ id: users.id }).get().id;
}

async function signIn(email: string): Promise<{ user: SessionUser; cookie: string }> {
  const r = await login({ email, password: PASSWORD });
  if (!r.ok) throw new Error(r.message);
  return { user: r.user, cookie: r.setCookie.split(";")[0] };
}

function newOrg(stage: "contacted" | "uncontacted" = "contacted"): number {
  const name = unique("マトリクス商事");
  return db().insert(organisations).values({ name, searchKey: name, kind: "company", stage, ownerId: people.outreach.id }).returning({ id: organisations.id }).get().id;
}

function newTask(organisationId: number): number {
  return db().insert(tasks).values({ organisationId, title: unique("電話する"), assigneeId: people.outreach.id, createdById: people.outreach.id }).returning({ id: tasks.id }).get().id;
}

function newContact(organisationId: number | null): number {
  const id = db().insert(contacts).values({ name: unique("連絡 太郎") }).returning({ id: contacts.id }).get().id;
  if (organisationId) db().insert(organisationContacts).values({ organisationId, contactId: id, role: "総務" }).run();
  return id;
}

/** A pending proposal of a public request for the organisation (app/crm/proposals.server.ts). */
function newProposal(organisationId: number): number {
  const g = groupVisit(f, { status: "requested", date: null });
  db().update(visitRequests).set({ organisationId }).where(eq(visitRequests.id, g.requestId)).run();
  db().update(visits).set({ organisationId }).where(eq(visits.id, g.visitId)).run();
  return db().insert(crmProposals).values({ organisationId, requestId: g.requestId, visitId: g.visitId }).returning({ id: crmProposals.id }).get().id;
}

function newVenue(): number {
  return db().insert(venues).values({ name: unique("まとめスーパー"), kind: "supermarket", address: "あおば市中央1-1" }).returning({ id: venues.id }).get().id;
}

function newUser(extra: Partial<typeof users.$inferInsert> = {}): number {
  return insertUser("outreach", `${unique("u")}@matrix.jp`, "対象 利用者", "x", extra);
}

/** A planned roaming session (holds the car) on a day of its own. */
function newSession(date = freeDay()): { id: number; date: string } {
  const r = planSessions({ kind: "roaming", mode: "support", venueId: String(venueId), date, startTime: "10:00", endTime: "11:00", repeatWeeks: "1" }, people.outreach);
  if (!r.ok) throw new Error(r.message);
  return { id: r.created[0].id, date };
}

/** A person on the staff list (direct insert: the matrix tests the routes, not the list's rules). */
function newStaffMember(extra: Partial<typeof staffMembers.$inferInsert> = {}): number {
  return db().insert(staffMembers).values({ name: unique("名簿 太郎"), affiliation: "contractor", ...extra }).returning({ id: staffMembers.id }).get().id;
}

/** A person on the shared roster session (for removal rows). */
function newRosterEntry(): number {
  const r = addToRoster({ visitId: rosterSessionId, staffMemberId: newStaffMember(), role: "staff" }, people.manager);
  if (!r.ok) throw new Error(r.message);
  return r.id;
}

/** A planned base-facility session on a Saturday of its own (base sessions run on weekends and holidays). */
function newBaseSession(): number {
  let d = addDays(today, 20);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 6 || usedDays.has(d)) d = addDays(d, 1);
  usedDays.add(d);
  const r = planSessions({ kind: "base", mode: "accept", venueId: String(venueId), date: d, startTime: "10:00", endTime: "15:00", repeatWeeks: "1" }, people.outreach);
  if (!r.ok) throw new Error(r.message);
  return r.created[0].id;
}

function newGroup(status: VisitStatus, date: string | null = freeDay()) {
  return groupVisit(f, { status, date });
}

/** A minor open incident on a session (app/onsite/incidents.server.ts). */
function newIncident(visitId: number): number {
  const r = createIncident({ visitId, kind: "accident", severity: "minor", occurredAt: `${addDays(today, -1)}T11:00`, what: unique("機材の転倒") }, people.outreach);
  if (!r.ok) throw new Error(r.message);
  return r.id;
}

/** An inquiry logged by staff, or one written by the results form (read-only in the log). */
function newInquiry(fromResults: boolean): number {
  return db().insert(inquiries).values({ channel: fromResults ? "site" : "phone", receivedOn: today, topic: "how_to_apply", count: 1, fromResults, visitId: fromResults ? approved.visitId : null }).returning({ id: inquiries.id }).get().id;
}

/** A planned PR item of the program. */
function newPr(): number {
  return db().insert(prActivities).values({ programId: f.programId, medium: "poster", title: unique("掲示ポスター"), status: "planned" }).returning({ id: prActivities.id }).get().id;
}

/** Submit a new version of a report as the manager (fresh remarks each time, so it is a new version) and return its id. */
function submitVersion(kind: "daily" | "monthly", key: string): number {
  const r = submitReport({ program: getActiveProgram()!, kind, key, remarks: unique("提出の備考"), user: people.manager });
  if (!r.ok) throw new Error(r.message);
  return db().select({ id: reports.id }).from(reports).orderBy(desc(reports.id)).get()!.id;
}

function csvFile(text: string, name = "import.csv"): File {
  return new File([new TextEncoder().encode(text)], name, { type: "text/csv" });
}

/** A small real JPEG, as a phone would send it. */
async function photoFile(): Promise<File> {
  const bytes = await sharp({ create: { width: 16, height: 12, channels: 3, background: "#4a7" } }).jpeg().toBuffer();
  return new File([bytes], "site.jpg", { type: "image/jpeg" });
}

/** A stored photo of the visit (uploaded by outreach). */
async function newPhoto(visitId: number): Promise<number> {
  const r = await storePhoto({ visitId, bytes: new Uint8Array(await (await photoFile()).arrayBuffer()) }, people.outreach);
  if (!r.ok) throw new Error(r.message);
  return r.id;
}

function settingsForm(): Record<string, string> {
  const s = getSettings() as unknown as Record<string, unknown> & {
    assistanceCategories: { key: string; label: string }[];
    closedDates: string[];
    openedDates: string[];
    postalLookupUrl: string;
    priorityWeights: { kind: Record<string, number>; headCount: number; districtGap: number; recency: number; yield: number };
  };
  const p = getActiveProgram()!;
  const form: Record<string, string> = {};
  for (const k of SETTINGS_NUMBER_KEYS) form[k] = String(s[k]);
  form.postalLookupUrl = s.postalLookupUrl;
  form.windowPhone = String(s.windowPhone);
  form.windowHours = String(s.windowHours);
  form.windowAddress = String(s.windowAddress);
  for (const k of Object.keys(SETTINGS_LIST_KEYS)) form[k] = (s[k] as { key: string; label: string }[]).map((c) => `${c.key}:${c.label}`).join("\n");
  form.closedDates = s.closedDates.join("\n");
  form.openedDates = s.openedDates.join("\n");
  for (const [k, v] of Object.entries(s.priorityWeights.kind)) form[`weight.kind.${k}`] = String(v);
  for (const k of ["headCount", "districtGap", "recency", "yield"] as const) form[`weight.${k}`] = String(s.priorityWeights[k]);
  Object.assign(form, {
    name: p.name,
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    targetGroupVisits: String(p.targetGroupVisits),
    targetRoamingVisits: String(p.targetRoamingVisits),
    targetBaseAccept: String(p.targetBaseAccept),
    targetBaseSupport: String(p.targetBaseSupport),
    targetSupportCombined: String(p.targetSupportCombined),
  });
  return form;
}

function requestForm(email: string, idempotencyKey = newIdempotencyKey()): Record<string, string> {
  return {
    organisationName: unique("株式会社マトリクス"),
    organisationKind: "company",
    postalCode: "030-0801",
    address: "あおば市新町1-2-3",
    contactName: "山田 花子",
    phone: "017-123-4567",
    email,
    expectedApplicants: "20",
    preferredDate1: freeDay(),
    preferredSlot1: "am",
    venueText: "本社2階 会議室",
    parking: "yes",
    message: "よろしくお願いします。",
    consent: "on",
    idempotencyKey,
  };
}

/** A user id for `who` (signed-in roles are themselves; the others borrow outreach's, they never get past the gate). */
const userOf = (who: Who) => (who === "anon" || who === "token" ? people.outreach : people[who]);

const hex = (id: number) => `0x${id.toString(16)}`;
/** A well-formed token that belongs to nothing. */
const BOGUS_TOKEN = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const BOGUS_FEED_TOKEN = "B".repeat(43);

// ---------------------------------------------------------------------------
// The matrix (hand-written: route × handler × intent → expectation per caller)

const org = (id: number | string) => `/staff/organisations/${id}`;
const orgAction = (intent: string, values: Record<string, string> = {}) => () => ({ intent, ...values });

const ROWS: Row[] = [
  { route: "_index.tsx", handler: "none", expect: everyone("ok") },

  // ---- admin: users
  { route: "admin._index.tsx", handler: "loader", url: () => "/admin", expect: gate(ADMIN, "ok") },
  {
    route: "admin._index.tsx",
    handler: "action",
    intent: "create",
    url: () => "/admin",
    form: () => ({ intent: "create", email: `${unique("new")}@matrix.jp`, name: "新規 利用者", role: "outreach", password: "new-password-0123" }),
    expect: gate(ADMIN, "ok"),
  },
  ...(["reset", "revoke", "deactivate", "unlock"] as const).map(
    (intent): Row => ({
      route: "admin._index.tsx",
      handler: "action",
      intent,
      url: () => "/admin",
      prepare: () => ({ userId: newUser({ failedLogins: 5, lockedUntil: new Date(Date.now() + 600_000).toISOString() }) }),
      form: (t) => ({ intent, userId: String(t.userId), password: "another-password-0123" }),
      expect: gate(ADMIN, "ok"),
    }),
  ),
  {
    route: "admin._index.tsx",
    handler: "action",
    intent: "activate",
    url: () => "/admin",
    prepare: () => ({ userId: newUser({ active: false }) }),
    form: (t) => ({ intent: "activate", userId: String(t.userId) }),
    expect: gate(ADMIN, "ok"),
  },
  { route: "admin._index.tsx", handler: "action", intent: "nonsense", url: () => "/admin", form: () => ({ intent: "nonsense" }), expect: gate(ADMIN, "fail") },
  {
    route: "admin._index.tsx",
    handler: "action",
    intent: "deactivate",
    label: "the admin themself",
    url: () => "/admin",
    form: () => ({ intent: "deactivate", userId: String(people.admin.id) }),
    expect: gate(ADMIN, "fail"),
  },
  ...(["reset", "revoke", "deactivate", "activate", "unlock"] as const).map(
    (intent): Row => ({
      route: "admin._index.tsx",
      handler: "action",
      intent,
      label: "user 999999",
      url: () => "/admin",
      form: () => ({ intent, userId: "999999", password: "another-password-0123" }),
      expect: gate(ADMIN, 404),
    }),
  ),
  {
    route: "admin._index.tsx",
    handler: "action",
    intent: "deactivate",
    label: "user id written as 0x-hex",
    url: () => "/admin",
    prepare: () => ({ userId: newUser() }),
    form: (t) => ({ intent: "deactivate", userId: hex(t.userId as number) }),
    expect: gate(ADMIN, 404),
  },

  { route: "admin.audit.tsx", handler: "loader", url: () => "/admin/audit", expect: gate(ADMIN, "ok") },
  { route: "admin.audit.tsx", handler: "loader", label: "filtered", url: () => `/admin/audit?user=${people.city.id}&action=visit.view&entity=visit&from=2026-01-01`, expect: gate(ADMIN, "ok") },
  { route: "admin.audit[.]csv.ts", handler: "loader", url: () => "/admin/audit.csv?action=auth.login", expect: gate(ADMIN, "ok") },

  // ---- admin: outbox
  { route: "admin.outbox.tsx", handler: "loader", url: () => `/admin/outbox?view=${outboxId}`, expect: gate(ADMIN, "ok") },
  { route: "admin.outbox.tsx", handler: "action", intent: "retry", url: () => "/admin/outbox", form: () => ({ intent: "retry", id: String(outboxId) }), expect: gate(ADMIN, "ok") },
  { route: "admin.outbox.tsx", handler: "action", intent: "nonsense", url: () => "/admin/outbox", form: () => ({ intent: "nonsense", id: String(outboxId) }), expect: gate(ADMIN, "fail") },
  { route: "admin.outbox.tsx", handler: "action", intent: "acknowledge", url: () => "/admin/outbox", form: () => ({ intent: "acknowledge", id: String(deadOutboxId) }), expect: gate(ADMIN, "ok") },
  { route: "admin.outbox.tsx", handler: "action", intent: "acknowledge", label: "email 999999", url: () => "/admin/outbox", form: () => ({ intent: "acknowledge", id: "999999" }), expect: gate(ADMIN, 404) },
  { route: "admin.outbox.tsx", handler: "action", intent: "retry", label: "email 999999", url: () => "/admin/outbox", form: () => ({ intent: "retry", id: "999999" }), expect: gate(ADMIN, 404) },
  {
    route: "admin.outbox_.$id.eml.ts",
    handler: "loader",
    url: () => `/admin/outbox/${outboxId}.eml`,
    params: () => ({ id: String(outboxId) }),
    expect: gate(ADMIN, "ok"),
  },
  { route: "admin.outbox_.$id.eml.ts", handler: "loader", label: "email 999999", url: () => "/admin/outbox/999999.eml", params: () => ({ id: "999999" }), expect: gate(ADMIN, 404) },
  {
    route: "admin.outbox_.$id.eml.ts",
    handler: "loader",
    label: "id written as 0x-hex",
    url: () => `/admin/outbox/${hex(outboxId)}.eml`,
    params: () => ({ id: hex(outboxId) }),
    expect: gate(ADMIN, 404),
  },

  // ---- admin: settings
  { route: "admin.settings.tsx", handler: "loader", url: () => "/admin/settings", expect: gate(ADMIN, "ok") },
  { route: "admin.settings.tsx", handler: "action", url: () => "/admin/settings", form: () => settingsForm(), expect: gate(ADMIN, "ok") },
  { route: "admin.settings.tsx", handler: "action", label: "empty form", url: () => "/admin/settings", form: () => ({}), expect: gate(ADMIN, "fail") },

  // ---- public resources
  { route: "api.postal-code.$code.ts", handler: "loader", url: () => "/api/postal-code/0300001", params: () => ({ code: "0300001" }), expect: everyone("ok") },
  { route: "healthz.ts", handler: "loader", url: () => "/healthz", expect: everyone("ok") },
  { route: "schedule.tsx", handler: "loader", url: () => "/schedule", expect: everyone("ok") },
  { route: "schedule[.]ics.ts", handler: "loader", url: () => "/schedule.ics", expect: everyone("ok") },

  // ---- calendar
  { route: "calendar._index.tsx", handler: "loader", url: () => "/calendar", expect: gate(SIGNED_IN, "ok") },
  { route: "calendar._index.tsx", handler: "action", intent: "regenerate-token", url: () => "/calendar", form: () => ({ intent: "regenerate-token" }), expect: gate(SIGNED_IN, "ok") },
  { route: "calendar._index.tsx", handler: "action", intent: "nonsense", url: () => "/calendar", form: () => ({ intent: "nonsense" }), expect: gate(SIGNED_IN, "fail") },
  {
    route: "calendar.events.ts",
    handler: "loader",
    url: () => `/calendar/events?start=${today}T00:00:00%2B09:00&end=${addDays(today, 60)}T00:00:00%2B09:00`,
    expect: gate(SIGNED_IN, "ok"),
  },
  { route: "calendar.move.ts", handler: "loader", url: () => "/calendar/move", expect: everyone(405) },
  {
    route: "calendar.move.ts",
    handler: "action",
    url: () => "/calendar/move",
    prepare: () => newSession(),
    form: (t) => ({ visitId: String(t.id), startsAt: `${t.date}T13:00`, endsAt: `${t.date}T14:00` }),
    expect: gate(STAFF, "ok"),
  },
  {
    route: "calendar.move.ts",
    handler: "action",
    label: "visit 999999",
    url: () => "/calendar/move",
    form: () => ({ visitId: "999999", startsAt: `${freeDay()}T13:00`, endsAt: `${freeDay()}T14:00` }),
    expect: gate(STAFF, 404),
  },
  {
    route: "calendar.move.ts",
    handler: "action",
    label: "visit id written as 0x-hex",
    url: () => "/calendar/move",
    prepare: () => newSession(),
    form: (t) => ({ visitId: hex(t.id as number), startsAt: `${t.date}T13:00`, endsAt: `${t.date}T14:00` }),
    expect: gate(STAFF, 404),
  },
  { route: "calendar.new.tsx", handler: "loader", url: () => "/calendar/new", expect: gate(STAFF, "ok") },
  {
    route: "calendar.new.tsx",
    handler: "action",
    url: () => "/calendar/new",
    form: () => ({ kind: "roaming", mode: "support", venueId: String(venueId), date: freeDay(), startTime: "10:00", endTime: "11:00", repeatWeeks: "1" }),
    expect: gate(STAFF, "ok"),
  },
  {
    route: "feeds.user.$token.ts",
    handler: "loader",
    label: "the user's own feed token",
    prepare: () => ({ token: ensureCalendarToken(people.outreach.id) }),
    url: (t) => `/feeds/user/${t.token}.ics`,
    params: (t) => ({ token: `${t.token}.ics` }),
    expect: everyone("ok"),
  },
  { route: "feeds.user.$token.ts", handler: "loader", label: "a token of nobody", url: () => `/feeds/user/${BOGUS_FEED_TOKEN}.ics`, params: () => ({ token: `${BOGUS_FEED_TOKEN}.ics` }), expect: everyone(404) },
  {
    route: "feeds.user.$token.ts",
    handler: "loader",
    label: "a deactivated user's token",
    url: () => `/feeds/user/${inactiveUsersToken}.ics`,
    params: () => ({ token: `${inactiveUsersToken}.ics` }),
    expect: everyone(404),
  },
  {
    route: "feeds.user.$token.ts",
    handler: "loader",
    label: "an organisation's status token",
    url: () => `/feeds/user/${screening.token}.ics`,
    params: () => ({ token: `${screening.token}.ics` }),
    expect: everyone(404),
  },

  // ---- city
  { route: "city._index.tsx", handler: "loader", url: () => "/city", expect: gate(CITY, "ok") },
  { route: "city.schedule.tsx", handler: "loader", url: () => "/city/schedule", expect: gate(CITY, "ok") },
  {
    route: "city.schedule.tsx",
    handler: "action",
    url: () => "/city/schedule",
    prepare: () => newSession(),
    form: (t) => ({ month: (t.date as string).slice(0, 7), comment: "", shown: String(t.id), agree: String(t.id) }),
    expect: gate(CITY, "ok"),
  },
  {
    route: "city.schedule.tsx",
    handler: "action",
    label: "return a session with a comment",
    url: () => "/city/schedule",
    prepare: () => newSession(),
    form: (t) => ({ month: (t.date as string).slice(0, 7), comment: "会場を見直してください。", shown: String(t.id) }),
    expect: gate(CITY, "ok"),
  },
  {
    route: "city.schedule.tsx",
    handler: "action",
    label: "return without a comment",
    url: () => "/city/schedule",
    prepare: () => newSession(),
    form: (t) => ({ month: (t.date as string).slice(0, 7), comment: "", shown: String(t.id) }),
    expect: gate(CITY, "fail"),
  },
  { route: "city.visits.$id.tsx", handler: "loader", url: () => `/city/visits/${awaiting.visitId}`, params: () => ({ id: String(awaiting.visitId) }), expect: gate(CITY, "ok") },
  { route: "city.visits.$id.tsx", handler: "loader", label: "visit 999999", url: () => "/city/visits/999999", params: () => ({ id: "999999" }), expect: gate(CITY, 404) },
  { route: "city.visits.$id.tsx", handler: "loader", label: "a roaming session's id", url: () => `/city/visits/${roamingId}`, params: () => ({ id: String(roamingId) }), expect: gate(CITY, 404) },
  {
    route: "city.visits.$id.tsx",
    handler: "loader",
    label: "id written as 0x-hex",
    url: () => `/city/visits/${hex(awaiting.visitId)}`,
    params: () => ({ id: hex(awaiting.visitId) }),
    expect: gate(CITY, 404),
  },
  ...(
    [
      ["approve", {}],
      ["request_changes", { comment: "人数を確認してください。" }],
      ["decline", { declineReason: "日程が合わないため。" }],
    ] as const
  ).map(
    ([intent, extra]): Row => ({
      route: "city.visits.$id.tsx",
      handler: "action",
      intent,
      prepare: () => newGroup("awaiting_city"),
      url: (t) => `/city/visits/${t.visitId}`,
      params: (t) => ({ id: String(t.visitId) }),
      form: () => ({ intent, ...extra }),
      expect: gate(CITY, "ok"),
    }),
  ),
  {
    route: "city.visits.$id.tsx",
    handler: "action",
    intent: "nonsense",
    prepare: () => newGroup("awaiting_city"),
    url: (t) => `/city/visits/${t.visitId}`,
    params: (t) => ({ id: String(t.visitId) }),
    form: () => ({ intent: "nonsense" }),
    expect: gate(CITY, "fail"),
  },
  {
    route: "city.visits.$id.tsx",
    handler: "action",
    intent: "show_contact",
    url: () => `/city/visits/${awaiting.visitId}`,
    params: () => ({ id: String(awaiting.visitId) }),
    form: () => ({ intent: "show_contact" }),
    expect: gate(CITY, "ok"),
  },
  { route: "city.visits.$id.tsx", handler: "action", intent: "show_contact", label: "visit 999999", url: () => "/city/visits/999999", params: () => ({ id: "999999" }), form: () => ({ intent: "show_contact" }), expect: gate(CITY, 404) },
  {
    route: "city.visits.$id.tsx",
    handler: "action",
    intent: "show_contact",
    label: "a roaming session's id",
    url: () => `/city/visits/${roamingId}`,
    params: () => ({ id: String(roamingId) }),
    form: () => ({ intent: "show_contact" }),
    expect: gate(CITY, 404),
  },
  { route: "city.visits.$id.tsx", handler: "action", intent: "approve", label: "visit 999999", url: () => "/city/visits/999999", params: () => ({ id: "999999" }), form: () => ({ intent: "approve" }), expect: gate(CITY, 404) },
  {
    route: "city.visits.$id.tsx",
    handler: "action",
    intent: "approve",
    label: "id written as 0x-hex",
    prepare: () => newGroup("awaiting_city"),
    url: (t) => `/city/visits/${hex(t.visitId as number)}`,
    params: (t) => ({ id: hex(t.visitId as number) }),
    form: () => ({ intent: "approve" }),
    expect: gate(CITY, 404),
  },

  // ---- sign-in and sign-out
  {
    route: "login.tsx",
    handler: "loader",
    url: () => "/login",
    expect: { anon: "ok", token: "ok", outreach: redirectTo(/^\/staff$/), manager: redirectTo(/^\/staff$/), city: redirectTo(/^\/city$/), admin: redirectTo(/^\/admin$/) },
  },
  {
    route: "login.tsx",
    handler: "action",
    // An empty password is refused before any account is looked at (a wrong one counts a failure on the account, a write by design).
    label: "password left empty",
    url: () => "/login",
    form: () => ({ email: "outreach@matrix.jp", password: "" }),
    failWhen: (body) => typeof (body as { message?: unknown })?.message === "string",
    expect: everyone("fail"),
  },
  { route: "login.tsx", handler: "action", url: () => "/login", form: () => ({ email: "outreach@matrix.jp", password: PASSWORD }), expect: everyone(redirectTo(/^\/staff$/)) },
  ...(["loader", "action"] as const).map(
    (handler): Row => ({
      route: "logout.tsx",
      handler,
      // A session of its own: signing out must not end the session the other rows use.
      prepare: async (who) => (who === "anon" || who === "token" ? {} : { cookie: (await signIn(`${who}@matrix.jp`)).cookie }),
      url: () => "/logout",
      form: handler === "action" ? () => ({}) : undefined,
      mayNotWrite: true,
      expect: everyone(redirectTo(/^\/login$/)),
    }),
  ),

  // ---- own account (issue 15 item 6): every signed-in user changes their own password, nobody else's
  { route: "account.tsx", handler: "loader", url: () => "/account", expect: gate(SIGNED_IN, "ok") },
  {
    route: "account.tsx",
    handler: "action",
    // A fresh account each call: the change must not touch the password the other rows sign in with.
    prepare: async (who) => {
      if (who === "anon" || who === "token") return {};
      const email = `${unique("account")}-${who}@matrix.jp`;
      insertUser(who, email, "自分 変更", await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 }));
      return { cookie: (await signIn(email)).cookie };
    },
    url: () => "/account",
    form: () => ({ currentPassword: PASSWORD, newPassword: "matrix-new-password-2026", confirmPassword: "matrix-new-password-2026" }),
    expect: gate(SIGNED_IN, "ok"),
  },
  {
    route: "account.tsx",
    handler: "action",
    label: "current password wrong",
    url: () => "/account",
    form: () => ({ currentPassword: "not-the-password-0000", newPassword: "matrix-new-password-2026", confirmPassword: "matrix-new-password-2026" }),
    expect: gate(SIGNED_IN, 400),
  },

  // ---- reports and progress (issue 13): the city reads only what was submitted and acknowledges; the manager submits
  { route: "reports._index.tsx", handler: "loader", url: () => "/reports", expect: gate(SIGNED_IN, "ok") },
  { route: "reports._index.tsx", handler: "loader", label: "program 999999", url: () => "/reports?program=999999", expect: gate(SIGNED_IN, 404) },
  { route: "reports._index.tsx", handler: "loader", label: "program written as 0x-hex", url: () => `/reports?program=${hex(f.programId)}`, expect: gate(SIGNED_IN, 404) },
  ...(["daily", "monthly"] as const).flatMap((kind): Row[] => {
    const route = kind === "daily" ? "reports.daily.$date.tsx" : "reports.monthly.$month.tsx";
    const key = () => (kind === "daily" ? reportDay : reportDay.slice(0, 7));
    const other = kind === "daily" ? "monthly" : "daily";
    const otherKey = () => (kind === "daily" ? reportDay.slice(0, 7) : reportDay);
    const params = (k = key()) => ({ [kind === "daily" ? "date" : "month"]: k });
    const path = () => `/reports/${kind}/${key()}`;
    const base = { route, url: path, params: () => params() };
    return [
      { ...base, handler: "loader", expect: gate(SIGNED_IN, "ok") },
      { ...base, handler: "loader", label: "a period without a report", params: () => params(kind === "daily" ? "2000-01-05" : "2000-01"), expect: gate(SIGNED_IN, 404) },
      { ...base, handler: "loader", label: "not a date", params: () => params(kind === "daily" ? "2026-02-30" : "2026-13"), expect: gate(SIGNED_IN, 404) },
      { ...base, handler: "loader", label: "program 999999", url: () => `${path()}?program=999999`, expect: gate(SIGNED_IN, 404) },
      { ...base, handler: "loader", label: "version 99", url: () => `${path()}?version=99`, expect: gate(SIGNED_IN, 404) },
      { ...base, handler: "action", intent: "save-draft", form: (_t, who) => ({ intent: "save-draft", remarks: `${who}の下書き` }), expect: gate(STAFF, "ok") },
      { ...base, handler: "action", intent: "submit", form: () => ({ intent: "submit", remarks: unique("報告の備考") }), expect: gate(LEADS, "ok") },
      { ...base, handler: "action", intent: "submit", label: "remarks holding an individual number", form: () => ({ intent: "submit", remarks: "番号 1234 5678 9018" }), expect: gate(LEADS, "fail") },
      {
        ...base,
        handler: "action",
        intent: "acknowledge",
        prepare: () => ({ reportId: submitVersion(kind, key()) }),
        form: (t) => ({ intent: "acknowledge", reportId: String(t.reportId) }),
        expect: gate(CITY, "ok"),
      },
      {
        ...base,
        handler: "action",
        intent: "acknowledge",
        label: "a version of another report",
        prepare: () => ({ reportId: submitVersion(other, otherKey()) }),
        form: (t) => ({ intent: "acknowledge", reportId: String(t.reportId) }),
        expect: gate(CITY, 404),
      },
      {
        ...base,
        handler: "action",
        intent: "acknowledge",
        label: "id written as 0x-hex",
        prepare: () => ({ reportId: submitVersion(kind, key()) }),
        form: (t) => ({ intent: "acknowledge", reportId: hex(t.reportId as number) }),
        expect: gate(CITY, 404),
      },
      { ...base, handler: "action", intent: "acknowledge", label: "report 999999", form: () => ({ intent: "acknowledge", reportId: "999999" }), expect: gate(CITY, 404) },
      { ...base, handler: "action", intent: "nonsense", form: () => ({ intent: "nonsense" }), expect: gate(SIGNED_IN, "fail") },
      ...(["xlsx", "csv"] as const).flatMap((ext): Row[] => [
        {
          route: kind === "daily" ? `reports.daily.$date[.]${ext}.ts` : `reports.monthly.$month[.]${ext}.ts`,
          handler: "loader",
          // The city downloads only submitted versions: make sure there is one.
          prepare: () => (submitVersion(kind, key()), {}),
          url: () => `${path()}.${ext}`,
          params: () => params(),
          expect: gate(SIGNED_IN, "ok"),
        },
        {
          route: kind === "daily" ? `reports.daily.$date[.]${ext}.ts` : `reports.monthly.$month[.]${ext}.ts`,
          handler: "loader",
          label: "a period without a report",
          url: () => `/reports/${kind}/2000-01.${ext}`,
          params: () => params(kind === "daily" ? "2000-01-05" : "2000-01"),
          expect: gate(SIGNED_IN, 404),
        },
      ]),
    ];
  }),
  { route: "reports.completion.tsx", handler: "loader", url: () => "/reports/completion", expect: gate(SIGNED_IN, "ok") },
  { route: "reports.completion.tsx", handler: "action", intent: "save-draft", url: () => "/reports/completion", form: (_t, who) => ({ intent: "save-draft", remarks: `${who}の下書き` }), expect: gate(STAFF, "ok") },
  // Sessions are still to come: the completion report cannot be submitted yet.
  { route: "reports.completion.tsx", handler: "action", intent: "submit", url: () => "/reports/completion", form: () => ({ intent: "submit", remarks: "" }), expect: gate(LEADS, "fail") },
  {
    route: "reports.completion.tsx",
    handler: "action",
    intent: "acknowledge",
    label: "a version of another report",
    url: () => "/reports/completion",
    prepare: () => ({ reportId: submitVersion("daily", reportDay) }),
    form: (t) => ({ intent: "acknowledge", reportId: String(t.reportId) }),
    expect: gate(CITY, 404),
  },
  { route: "reports.completion.tsx", handler: "action", intent: "nonsense", url: () => "/reports/completion", form: () => ({ intent: "nonsense" }), expect: gate(SIGNED_IN, "fail") },
  ...(["xlsx", "csv"] as const).map(
    (ext): Row => ({
      route: `reports.completion[.]${ext}.ts`,
      handler: "loader",
      url: () => `/reports/completion.${ext}`,
      // Nothing submitted yet: the city has nothing to download.
      expect: { ...gate(SIGNED_IN, "ok"), city: 404 },
    }),
  ),
  { route: "progress.tsx", handler: "loader", url: () => "/progress", expect: gate(SIGNED_IN, "ok") },
  { route: "progress.tsx", handler: "loader", label: "program 999999", url: () => "/progress?program=999999", expect: gate(SIGNED_IN, 404) },

  // ---- the public request form and the status link
  { route: "request._index.tsx", handler: "loader", url: () => "/request", expect: everyone("ok") },
  {
    route: "request._index.tsx",
    handler: "action",
    url: () => "/request",
    form: () => requestForm(`${unique("req")}@matrix.example.jp`),
    // Accepted: POST → 303 to the receipt page of the new request.
    expect: everyone(redirectTo(/^\/request\/done\/[A-Za-z0-9_-]{32}$/)),
  },
  {
    route: "request._index.tsx",
    handler: "action",
    label: "another submission's idempotency key, empty form",
    url: () => "/request",
    prepare: () => db().select({ key: visitRequests.idempotencyKey, token: visitRequests.statusToken }).from(visitRequests).where(eq(visitRequests.id, screening.requestId)).get()!,
    form: (t) => ({ idempotencyKey: t.key as string }),
    mustNotLeak: (t) => t.token as string,
    expect: everyone(400),
  },
  // The receipt after a submission (/request/done/:token): the status link's holder only.
  {
    route: "request.done.$token.tsx",
    handler: "loader",
    url: (_t, who) => `/request/done/${who === "token" ? screening.token : BOGUS_TOKEN}`,
    params: (_t, who) => ({ token: who === "token" ? screening.token : BOGUS_TOKEN }),
    expect: tokenOnly("ok"),
  },
  {
    route: "request.done.$token.tsx",
    handler: "loader",
    label: "a status token with a character added",
    prepare: () => newGroup("screening"),
    url: (t) => `/request/done/${t.token as string}A`,
    params: (t) => ({ token: `${t.token as string}A` }),
    expect: everyone(404),
  },
  {
    route: "request.done.$token.tsx",
    handler: "loader",
    label: "a user's calendar feed token",
    url: () => `/request/done/${ensureCalendarToken(people.manager.id)}`,
    params: () => ({ token: ensureCalendarToken(people.manager.id) }),
    expect: everyone(404),
  },
  {
    route: "request.status.$token.tsx",
    handler: "loader",
    url: (_t, who) => `/request/status/${who === "token" ? screening.token : BOGUS_TOKEN}`,
    params: (_t, who) => ({ token: who === "token" ? screening.token : BOGUS_TOKEN }),
    expect: tokenOnly("ok"),
  },
  {
    route: "request.status.$token.tsx",
    handler: "action",
    prepare: () => newGroup("screening"),
    url: (t, who) => `/request/status/${who === "token" ? t.token : BOGUS_TOKEN}`,
    params: (t, who) => ({ token: who === "token" ? (t.token as string) : BOGUS_TOKEN }),
    form: () => ({ reason: "都合が悪くなりました。" }),
    expect: tokenOnly("ok"),
  },
  ...(
    [
      ["its first 22 characters", (t: string) => t.slice(0, 22)],
      ["in capitals", (t: string) => t.toUpperCase()],
      ["with a character added", (t: string) => `${t}A`],
    ] as const
  ).flatMap(([label, alter]): Row[] => [
    {
      route: "request.status.$token.tsx",
      handler: "loader",
      label: `a status token, ${label}`,
      prepare: () => newGroup("screening"),
      url: (t) => `/request/status/${alter(t.token as string)}`,
      params: (t) => ({ token: alter(t.token as string) }),
      expect: everyone(404),
    },
    {
      route: "request.status.$token.tsx",
      handler: "action",
      label: `a status token, ${label}`,
      prepare: () => newGroup("screening"),
      url: (t) => `/request/status/${alter(t.token as string)}`,
      params: (t) => ({ token: alter(t.token as string) }),
      form: () => ({ reason: "" }),
      expect: everyone(404),
    },
  ]),
  {
    route: "request.status.$token.tsx",
    handler: "loader",
    label: "a user's calendar feed token",
    url: () => `/request/status/${ensureCalendarToken(people.manager.id)}`,
    params: () => ({ token: ensureCalendarToken(people.manager.id) }),
    expect: everyone(404),
  },
  {
    route: "request.status.$token_.ics.ts",
    handler: "loader",
    url: (_t, who) => `/request/status/${who === "token" ? approved.token : BOGUS_TOKEN}.ics`,
    params: (_t, who) => ({ token: who === "token" ? approved.token : BOGUS_TOKEN }),
    expect: tokenOnly("ok"),
  },
  {
    route: "request.status.$token_.ics.ts",
    handler: "loader",
    label: "the token of a request not yet confirmed",
    url: () => `/request/status/${screening.token}.ics`,
    params: () => ({ token: screening.token }),
    expect: everyone(404),
  },
  {
    route: "request.status.$token_.ics.ts",
    handler: "loader",
    label: "a confirmed request's token, its first 22 characters",
    url: () => `/request/status/${approved.token.slice(0, 22)}.ics`,
    params: () => ({ token: approved.token.slice(0, 22) }),
    expect: everyone(404),
  },

  // ---- staff: today, districts
  { route: "staff._index.tsx", handler: "loader", url: () => "/staff", expect: gate(STAFF, "ok") },
  {
    route: "staff._index.tsx",
    handler: "action",
    intent: "finishTask",
    url: () => "/staff",
    prepare: () => ({ taskId: newTask(orgA) }),
    form: (t) => ({ intent: "finishTask", taskId: String(t.taskId) }),
    expect: gate(STAFF, "ok"),
  },
  { route: "staff._index.tsx", handler: "action", intent: "nonsense", url: () => "/staff", form: () => ({ intent: "nonsense" }), expect: gate(STAFF, "fail") },
  { route: "staff._index.tsx", handler: "action", intent: "finishTask", label: "task 999999", url: () => "/staff", form: () => ({ intent: "finishTask", taskId: "999999" }), expect: gate(STAFF, 404) },
  {
    route: "staff._index.tsx",
    handler: "action",
    intent: "finishTask",
    label: "task id written as 0x-hex",
    url: () => "/staff",
    prepare: () => ({ taskId: newTask(orgA) }),
    form: (t) => ({ intent: "finishTask", taskId: hex(t.taskId as number) }),
    expect: gate(STAFF, 404),
  },
  { route: "staff.districts._index.tsx", handler: "loader", url: () => "/staff/districts", expect: gate(STAFF, "ok") },
  { route: "staff.districts.import.tsx", handler: "loader", url: () => "/staff/districts/import", expect: gate(LEADS, "ok") },
  {
    route: "staff.districts.import.tsx",
    handler: "action",
    url: () => "/staff/districts/import",
    form: () => ({ file: csvFile(`地区,人口,交付枚数\n${unique("マトリクス地区")},1000,400\n`) }),
    expect: gate(LEADS, "ok"),
  },

  // ---- staff: organisations
  { route: "staff.organisations._index.tsx", handler: "loader", url: () => "/staff/organisations", expect: gate(STAFF, "ok") },
  {
    route: "staff.organisations._index.tsx",
    handler: "action",
    intent: "saveFilter",
    url: () => "/staff/organisations",
    form: () => ({ intent: "saveFilter", filterName: unique("私の団体"), query: "?owner=me" }),
    expect: gate(STAFF, "ok"),
  },
  {
    route: "staff.organisations._index.tsx",
    handler: "action",
    intent: "deleteFilter",
    url: () => "/staff/organisations",
    prepare: (who) => ({ filterId: db().insert(savedFilters).values({ userId: userOf(who).id, name: unique("条件"), query: "" }).returning({ id: savedFilters.id }).get().id }),
    form: (t) => ({ intent: "deleteFilter", filterId: String(t.filterId) }),
    expect: gate(STAFF, "ok"),
  },
  {
    route: "staff.organisations._index.tsx",
    handler: "action",
    intent: "deleteFilter",
    label: "another user's saved filter",
    url: () => "/staff/organisations",
    form: () => ({ intent: "deleteFilter", filterId: String(otherUsersFilter) }),
    expect: gate(STAFF, 404),
  },
  { route: "staff.organisations._index.tsx", handler: "action", intent: "nonsense", url: () => "/staff/organisations", form: () => ({ intent: "nonsense" }), expect: gate(STAFF, "fail") },
  { route: "staff.organisations.export.tsx", handler: "loader", url: () => "/staff/organisations/export", expect: gate(LEADS, "ok") },
  { route: "staff.organisations.new.tsx", handler: "loader", url: () => "/staff/organisations/new", expect: gate(STAFF, "ok") },
  {
    route: "staff.organisations.new.tsx",
    handler: "action",
    url: () => "/staff/organisations/new",
    form: () => ({ name: unique("新規団体"), kind: "company" }),
    expect: gate(STAFF, redirectTo(/^\/staff\/organisations\/\d+$/)),
  },
  { route: "staff.organisations.$id.tsx", handler: "loader", url: () => org(orgA), params: () => ({ id: String(orgA) }), expect: gate(STAFF, "ok") },
  { route: "staff.organisations.$id.tsx", handler: "loader", label: "organisation 999999", url: () => org(999999), params: () => ({ id: "999999" }), expect: gate(STAFF, 404) },
  { route: "staff.organisations.$id.tsx", handler: "loader", label: "id written as 0x-hex", url: () => org(hex(orgA)), params: () => ({ id: hex(orgA) }), expect: gate(STAFF, 404) },
  ...(
    [
      ["log", () => ({ kind: "call", summary: "電話で説明した。" })],
      ["update", () => ({ name: unique("改名団体"), kind: "company" })],
      ["nextAction", () => ({ nextActionOn: addDays(today, 7), nextActionNote: "再訪問" })],
      ["addTask", () => ({ title: "資料を送る", dueOn: "" })],
      ["finishTask", (t: Target) => ({ taskId: String(t.taskId) })],
      ["addContact", () => ({ name: "新しい 担当者", role: "会長" })],
      ["linkContact", (t: Target) => ({ contactId: String(t.otherContact), role: "副会長" })],
      ["unlinkContact", (t: Target) => ({ contactId: String(t.ownContact) })],
      ["moveStage", () => ({ to: "consulting", reason: "" })],
      ["applyProposal", (t: Target) => ({ proposalId: String(t.proposalId) })],
      ["dismissProposal", (t: Target) => ({ proposalId: String(t.proposalId) })],
    ] as const
  ).flatMap(([intent, values]): Row[] => [
    {
      route: "staff.organisations.$id.tsx",
      handler: "action",
      intent,
      prepare: () => {
        const id = newOrg();
        return { id, taskId: newTask(id), ownContact: newContact(id), otherContact: newContact(orgB), proposalId: newProposal(id) };
      },
      url: (t) => org(t.id as number),
      params: (t) => ({ id: String(t.id) }),
      form: (t) => ({ intent, ...values(t) }),
      expect: gate(STAFF, "ok"),
    },
    {
      route: "staff.organisations.$id.tsx",
      handler: "action",
      intent,
      label: "organisation 999999",
      prepare: () => ({ taskId: newTask(orgA), ownContact: newContact(orgA), otherContact: newContact(orgB), proposalId: newProposal(orgA) }),
      url: () => org(999999),
      params: () => ({ id: "999999" }),
      form: (t) => ({ intent, ...values(t) }),
      expect: gate(STAFF, 404),
    },
  ]),
  {
    route: "staff.organisations.$id.tsx",
    handler: "action",
    intent: "log",
    label: "organisation id written as 0x-hex",
    url: () => org(hex(orgA)),
    params: () => ({ id: hex(orgA) }),
    form: orgAction("log", { kind: "note", summary: "16進数のid" }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.organisations.$id.tsx",
    handler: "action",
    intent: "finishTask",
    label: "organisation B's task posted on A's page",
    url: () => org(orgA),
    params: () => ({ id: String(orgA) }),
    form: () => ({ intent: "finishTask", taskId: String(taskOfB) }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.organisations.$id.tsx",
    handler: "action",
    intent: "unlinkContact",
    label: "a contact of organisation B only, unlinked on A's page",
    url: () => org(orgA),
    params: () => ({ id: String(orgA) }),
    form: () => ({ intent: "unlinkContact", contactId: String(contactOfB) }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.organisations.$id.tsx",
    handler: "action",
    intent: "linkContact",
    label: "contact 999999",
    url: () => org(orgA),
    params: () => ({ id: String(orgA) }),
    form: () => ({ intent: "linkContact", contactId: "999999", role: "" }),
    expect: gate(STAFF, 404),
  },
  ...(["applyProposal", "dismissProposal"] as const).flatMap((intent): Row[] => [
    {
      route: "staff.organisations.$id.tsx",
      handler: "action",
      intent,
      label: "organisation B's proposal posted on A's page",
      prepare: () => ({ proposalId: newProposal(orgB) }),
      url: () => org(orgA),
      params: () => ({ id: String(orgA) }),
      form: (t) => ({ intent, proposalId: String(t.proposalId) }),
      expect: gate(STAFF, 404),
    },
    {
      route: "staff.organisations.$id.tsx",
      handler: "action",
      intent,
      label: "proposal 999999",
      url: () => org(orgA),
      params: () => ({ id: String(orgA) }),
      form: () => ({ intent, proposalId: "999999" }),
      expect: gate(STAFF, 404),
    },
    {
      route: "staff.organisations.$id.tsx",
      handler: "action",
      intent,
      label: "a proposal already decided",
      prepare: () => {
        const id = newOrg();
        const proposalId = newProposal(id);
        db().update(crmProposals).set({ state: "dismissed" }).where(eq(crmProposals.id, proposalId)).run();
        return { id, proposalId };
      },
      url: (t) => org(t.id as number),
      params: (t) => ({ id: String(t.id) }),
      form: (t) => ({ intent, proposalId: String(t.proposalId) }),
      expect: gate(STAFF, 409),
    },
  ]),
  { route: "staff.organisations.$id.tsx", handler: "action", intent: "nonsense", url: () => org(orgA), params: () => ({ id: String(orgA) }), form: orgAction("nonsense"), expect: gate(STAFF, 400) },

  { route: "staff.organisations.$id_.merge.tsx", handler: "loader", url: () => `${org(orgA)}/merge`, params: () => ({ id: String(orgA) }), expect: gate(LEADS, "ok") },
  {
    route: "staff.organisations.$id_.merge.tsx",
    handler: "loader",
    label: "preview with organisation B",
    url: () => `${org(orgA)}/merge?with=${orgB}`,
    params: () => ({ id: String(orgA) }),
    expect: gate(LEADS, "ok"),
  },
  { route: "staff.organisations.$id_.merge.tsx", handler: "loader", label: "organisation 999999", url: () => `${org(999999)}/merge`, params: () => ({ id: "999999" }), expect: gate(LEADS, 404) },
  {
    route: "staff.organisations.$id_.merge.tsx",
    handler: "loader",
    label: "with=999999",
    url: () => `${org(orgA)}/merge?with=999999`,
    params: () => ({ id: String(orgA) }),
    expect: gate(LEADS, 404),
  },
  {
    route: "staff.organisations.$id_.merge.tsx",
    handler: "action",
    prepare: () => ({ survivor: newOrg(), loser: newOrg() }),
    url: (t) => `${org(t.survivor as number)}/merge`,
    params: (t) => ({ id: String(t.survivor) }),
    form: (t) => ({ loserId: String(t.loser), confirm: "yes" }),
    expect: gate(LEADS, redirectTo(/^\/staff\/organisations\/\d+$/)),
  },
  {
    route: "staff.organisations.$id_.merge.tsx",
    handler: "action",
    label: "loser 999999",
    url: () => `${org(orgA)}/merge`,
    params: () => ({ id: String(orgA) }),
    form: () => ({ loserId: "999999", confirm: "yes" }),
    expect: gate(LEADS, 404),
  },
  {
    route: "staff.organisations.$id_.merge.tsx",
    handler: "action",
    label: "survivor 999999",
    prepare: () => ({ loser: newOrg() }),
    url: () => `${org(999999)}/merge`,
    params: () => ({ id: "999999" }),
    form: (t) => ({ loserId: String(t.loser), confirm: "yes" }),
    expect: gate(LEADS, 404),
  },

  { route: "staff.organisations.import.tsx", handler: "loader", url: () => "/staff/organisations/import", expect: gate(LEADS, "ok") },
  {
    route: "staff.organisations.import.tsx",
    handler: "loader",
    label: "the user's own job",
    prepare: async (who) => ({ job: await ownJob(who) }),
    url: (t) => `/staff/organisations/import?job=${t.job}`,
    expect: gate(LEADS, "ok"),
  },
  { route: "staff.organisations.import.tsx", handler: "loader", label: "another user's job", url: () => `/staff/organisations/import?job=${otherUsersJob}`, expect: gate(LEADS, 404) },
  { route: "staff.organisations.import.tsx", handler: "loader", label: "job 999999", url: () => "/staff/organisations/import?job=999999", expect: gate(LEADS, 404) },
  {
    route: "staff.organisations.import.tsx",
    handler: "action",
    intent: "upload",
    url: () => "/staff/organisations/import",
    form: () => ({ intent: "upload", file: csvFile(`団体名,種類\n${unique("取込団体")},company\n`) }),
    expect: gate(LEADS, redirectTo(/^\/staff\/organisations\/import\?job=\d+$/)),
  },
  {
    route: "staff.organisations.import.tsx",
    handler: "action",
    intent: "start",
    prepare: async (who) => ({ job: await ownJob(who) }),
    url: () => "/staff/organisations/import",
    form: (t) => ({ intent: "start", job: String(t.job) }),
    settle: importsFinished,
    expect: gate(LEADS, redirectTo(/^\/staff\/organisations\/import\?job=\d+$/)),
  },
  {
    route: "staff.organisations.import.tsx",
    handler: "action",
    intent: "start",
    label: "another user's job",
    url: () => "/staff/organisations/import",
    form: () => ({ intent: "start", job: String(otherUsersJob) }),
    settle: importsFinished,
    expect: gate(LEADS, 404),
  },
  { route: "staff.organisations.import.tsx", handler: "action", intent: "nonsense", url: () => "/staff/organisations/import", form: () => ({ intent: "nonsense" }), expect: gate(LEADS, 400) },

  { route: "staff.pipeline.tsx", handler: "loader", url: () => "/staff/pipeline", expect: gate(STAFF, "ok") },
  {
    route: "staff.pipeline.tsx",
    handler: "action",
    url: () => "/staff/pipeline",
    prepare: () => ({ id: newOrg() }),
    form: (t) => ({ organisationId: String(t.id), to: "consulting", reason: "" }),
    expect: gate(STAFF, "ok"),
  },
  { route: "staff.pipeline.tsx", handler: "action", label: "organisation 999999", url: () => "/staff/pipeline", form: () => ({ organisationId: "999999", to: "consulting", reason: "" }), expect: gate(STAFF, 404) },
  {
    route: "staff.pipeline.tsx",
    handler: "action",
    label: "organisation id written as 0x-hex",
    url: () => "/staff/pipeline",
    prepare: () => ({ id: newOrg() }),
    form: (t) => ({ organisationId: hex(t.id as number), to: "consulting", reason: "" }),
    expect: gate(STAFF, 404),
  },

  // ---- staff: venues
  { route: "staff.venues._index.tsx", handler: "loader", url: () => "/staff/venues", expect: gate(STAFF, "ok") },
  { route: "staff.venues.$id.tsx", handler: "loader", url: () => `/staff/venues/${venueId}`, params: () => ({ id: String(venueId) }), expect: gate(STAFF, "ok") },
  { route: "staff.venues.$id.tsx", handler: "loader", label: "new", url: () => "/staff/venues/new", params: () => ({ id: "new" }), expect: gate(STAFF, "ok") },
  { route: "staff.venues.$id.tsx", handler: "loader", label: "venue 999999", url: () => "/staff/venues/999999", params: () => ({ id: "999999" }), expect: gate(STAFF, 404) },
  { route: "staff.venues.$id.tsx", handler: "loader", label: "id written as 0x-hex", url: () => `/staff/venues/${hex(venueId)}`, params: () => ({ id: hex(venueId) }), expect: gate(STAFF, 404) },
  {
    route: "staff.venues.$id.tsx",
    handler: "action",
    intent: "save",
    prepare: () => ({ id: newVenue() }),
    url: (t) => `/staff/venues/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: () => ({ intent: "save", name: unique("改名スーパー"), kind: "supermarket", address: "あおば市中央2-2" }),
    expect: gate(STAFF, redirectTo(/^\/staff\/venues\/\d+\?saved=saved$/)),
  },
  {
    route: "staff.venues.$id.tsx",
    handler: "action",
    intent: "save",
    label: "new",
    url: () => "/staff/venues/new",
    params: () => ({ id: "new" }),
    form: () => ({ intent: "save", name: unique("新しいスーパー"), kind: "supermarket", address: "あおば市中央3-3" }),
    expect: gate(STAFF, redirectTo(/^\/staff\/venues\/\d+\?saved=created$/)),
  },
  ...(["deactivate", "activate"] as const).map(
    (intent): Row => ({
      route: "staff.venues.$id.tsx",
      handler: "action",
      intent,
      prepare: () => {
        const id = newVenue();
        if (intent === "activate") db().update(venues).set({ active: false }).where(eq(venues.id, id)).run();
        return { id };
      },
      url: (t) => `/staff/venues/${t.id}`,
      params: (t) => ({ id: String(t.id) }),
      form: () => ({ intent }),
      expect: gate(STAFF, redirectTo(new RegExp(`^/staff/venues/\\d+\\?saved=${intent}$`))),
    }),
  ),
  ...(["save", "deactivate"] as const).map(
    (intent): Row => ({
      route: "staff.venues.$id.tsx",
      handler: "action",
      intent,
      label: "venue 999999",
      url: () => "/staff/venues/999999",
      params: () => ({ id: "999999" }),
      form: () => ({ intent, name: "どこにもない会場", kind: "supermarket", address: "あおば市" }),
      expect: gate(STAFF, 404),
    }),
  ),
  {
    route: "staff.venues.$id.tsx",
    handler: "action",
    intent: "deactivate",
    label: "id written as 0x-hex",
    prepare: () => ({ id: newVenue() }),
    url: (t) => `/staff/venues/${hex(t.id as number)}`,
    params: (t) => ({ id: hex(t.id as number) }),
    form: () => ({ intent: "deactivate" }),
    expect: gate(STAFF, 404),
  },

  // ---- staff: group visits
  { route: "staff.visits._index.tsx", handler: "loader", url: () => "/staff/visits", expect: gate(STAFF, "ok") },
  { route: "staff.visits.$id.tsx", handler: "loader", url: () => `/staff/visits/${screening.visitId}`, params: () => ({ id: String(screening.visitId) }), expect: gate(STAFF, "ok") },
  { route: "staff.visits.$id.tsx", handler: "loader", label: "visit 999999", url: () => "/staff/visits/999999", params: () => ({ id: "999999" }), expect: gate(STAFF, 404) },
  // The session page serves every kind (issue 12).
  { route: "staff.visits.$id.tsx", handler: "loader", label: "a roaming session", url: () => `/staff/visits/${roamingId}`, params: () => ({ id: String(roamingId) }), expect: gate(STAFF, "ok") },
  { route: "staff.visits.$id.tsx", handler: "loader", label: "a base session", url: () => `/staff/visits/${baseId}`, params: () => ({ id: String(baseId) }), expect: gate(STAFF, "ok") },
  {
    route: "staff.visits.$id.tsx",
    handler: "loader",
    label: "id written as 0x-hex",
    url: () => `/staff/visits/${hex(screening.visitId)}`,
    params: () => ({ id: hex(screening.visitId) }),
    expect: gate(STAFF, 404),
  },
  ...(
    [
      ["schedule", "screening", (t: Target) => placement(t)],
      ["schedule_submit", "screening", (t: Target) => placement(t)],
      ["start_screening", "requested", () => ({})],
      ["submit_for_approval", "screening", () => ({})],
      ["cancel", "screening", () => ({ comment: "団体の都合により取り消します。" })],
    ] as const
  ).map(
    ([intent, status, values]): Row => ({
      route: "staff.visits.$id.tsx",
      handler: "action",
      intent,
      prepare: () => ({ ...newGroup(status), newDate: freeDay() }),
      url: (t) => `/staff/visits/${t.visitId}`,
      params: (t) => ({ id: String(t.visitId) }),
      form: (t) => ({ intent, ...values(t) }),
      expect: gate(STAFF, "ok"),
    }),
  ),
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "complete",
    // The bare 実施済にする is gone: even on its day, a visit completes only by entering its results (/results).
    label: "the bare complete, without results",
    prepare: () => newGroup("approved", today),
    url: (t) => `/staff/visits/${t.visitId}`,
    params: (t) => ({ id: String(t.visitId) }),
    form: () => ({ intent: "complete" }),
    expect: gate(STAFF, "fail"),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "approve",
    label: "the city's decision, posted on the staff page",
    prepare: () => newGroup("awaiting_city"),
    url: (t) => `/staff/visits/${t.visitId}`,
    params: (t) => ({ id: String(t.visitId) }),
    form: () => ({ intent: "approve" }),
    expect: gate(STAFF, "fail"),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "nonsense",
    prepare: () => newGroup("screening"),
    url: (t) => `/staff/visits/${t.visitId}`,
    params: (t) => ({ id: String(t.visitId) }),
    form: () => ({ intent: "nonsense" }),
    expect: gate(STAFF, "fail"),
  },
  ...(["cancel", "schedule"] as const).map(
    (intent): Row => ({
      route: "staff.visits.$id.tsx",
      handler: "action",
      intent,
      label: "visit 999999",
      prepare: () => ({ newDate: freeDay() }),
      url: () => "/staff/visits/999999",
      params: () => ({ id: "999999" }),
      form: (t) => ({ intent, comment: "取り消します。", ...placement(t) }),
      expect: gate(STAFF, 404),
    }),
  ),
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "cancel",
    label: "id written as 0x-hex",
    prepare: () => newGroup("screening"),
    url: (t) => `/staff/visits/${hex(t.visitId as number)}`,
    params: (t) => ({ id: hex(t.visitId as number) }),
    form: () => ({ intent: "cancel", comment: "取り消します。" }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "cancel",
    label: "a roaming session, with a reason",
    prepare: () => newSession(),
    url: (t) => `/staff/visits/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: () => ({ intent: "cancel", comment: "荒天のため取り消します。" }),
    expect: gate(STAFF, "ok"),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "schedule",
    label: "the group-visit form posted for a roaming session",
    prepare: () => ({ id: roamingId, newDate: freeDay() }),
    url: (t) => `/staff/visits/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: (t) => ({ intent: "schedule", ...placement(t) }),
    expect: gate(STAFF, "fail"),
  },
  // ---- the day's roster and kit on the session page (issue 12)
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "roster_add",
    prepare: () => ({ id: rosterSessionId, memberId: newStaffMember() }),
    url: (t) => `/staff/visits/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: (t) => ({ intent: "roster_add", staffMemberId: String(t.memberId), role: "staff" }),
    expect: gate(STAFF, "ok"),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "roster_add",
    label: "a contractor as the city's identity checker",
    prepare: () => ({ id: rosterSessionId, memberId: newStaffMember() }),
    url: (t) => `/staff/visits/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: (t) => ({ intent: "roster_add", staffMemberId: String(t.memberId), role: "id_checker" }),
    expect: gate(STAFF, "fail"),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "roster_add",
    label: "visit 999999",
    prepare: () => ({ memberId: newStaffMember() }),
    url: () => "/staff/visits/999999",
    params: () => ({ id: "999999" }),
    form: (t) => ({ intent: "roster_add", staffMemberId: String(t.memberId), role: "staff" }),
    expect: gate(STAFF, 404),
  },

  // ---- on-the-day logs (issue 12): a session's incidents, the incident report, inquiries, PR
  { route: "staff.visits.$id_.incidents.tsx", handler: "loader", url: () => `/staff/visits/${approved.visitId}/incidents`, params: () => ({ id: String(approved.visitId) }), expect: gate(STAFF, "ok") },
  { route: "staff.visits.$id_.incidents.tsx", handler: "loader", label: "a roaming session", url: () => `/staff/visits/${roamingId}/incidents`, params: () => ({ id: String(roamingId) }), expect: gate(STAFF, "ok") },
  { route: "staff.visits.$id_.incidents.tsx", handler: "loader", label: "visit 999999", url: () => "/staff/visits/999999/incidents", params: () => ({ id: "999999" }), expect: gate(STAFF, 404) },
  { route: "staff.visits.$id_.incidents.tsx", handler: "loader", label: "id written as 0x-hex", url: () => `/staff/visits/${hex(approved.visitId)}/incidents`, params: () => ({ id: hex(approved.visitId) }), expect: gate(STAFF, 404) },
  {
    route: "staff.visits.$id_.incidents.tsx",
    handler: "action",
    intent: "create",
    url: () => `/staff/visits/${approved.visitId}/incidents`,
    params: () => ({ id: String(approved.visitId) }),
    form: () => ({ intent: "create", kind: "complaint", severity: "minor", occurredAt: `${addDays(today, -1)}T10:30`, what: "案内表示が小さいとの声" }),
    expect: gate(STAFF, redirectTo(/^\/staff\/visits\/\d+\/incidents\?done=created&notified=0#incident-\d+$/)),
  },
  {
    route: "staff.visits.$id_.incidents.tsx",
    handler: "action",
    intent: "create",
    label: "empty form",
    url: () => `/staff/visits/${approved.visitId}/incidents`,
    params: () => ({ id: String(approved.visitId) }),
    form: () => ({ intent: "create" }),
    expect: gate(STAFF, "fail"),
  },
  {
    route: "staff.visits.$id_.incidents.tsx",
    handler: "action",
    intent: "create",
    label: "visit 999999",
    url: () => "/staff/visits/999999/incidents",
    params: () => ({ id: "999999" }),
    form: () => ({ intent: "create", kind: "complaint", severity: "minor", occurredAt: `${addDays(today, -1)}T10:30`, what: "どこにもない回" }),
    expect: gate(STAFF, 404),
  },
  ...(["update", "close"] as const).flatMap((intent): Row[] => [
    {
      route: "staff.visits.$id_.incidents.tsx",
      handler: "action",
      intent,
      prepare: () => ({ incidentId: newIncident(approved.visitId) }),
      url: () => `/staff/visits/${approved.visitId}/incidents`,
      params: () => ({ id: String(approved.visitId) }),
      form: (t) => ({ intent, incidentId: String(t.incidentId), actionTaken: "会場責任者に説明し了承を得た。" }),
      expect: gate(STAFF, redirectTo(new RegExp(`^/staff/visits/\\d+/incidents\\?done=${intent === "update" ? "updated" : "closed"}#incident-\\d+$`))),
    },
    {
      route: "staff.visits.$id_.incidents.tsx",
      handler: "action",
      intent,
      label: "another session's incident",
      prepare: () => ({ incidentId: newIncident(roamingId) }),
      url: () => `/staff/visits/${approved.visitId}/incidents`,
      params: () => ({ id: String(approved.visitId) }),
      form: (t) => ({ intent, incidentId: String(t.incidentId), actionTaken: "よその回の記録" }),
      expect: gate(STAFF, 404),
    },
    {
      route: "staff.visits.$id_.incidents.tsx",
      handler: "action",
      intent,
      label: "incident 999999",
      url: () => `/staff/visits/${approved.visitId}/incidents`,
      params: () => ({ id: String(approved.visitId) }),
      form: () => ({ intent, incidentId: "999999", actionTaken: "存在しない記録" }),
      expect: gate(STAFF, 404),
    },
  ]),
  {
    route: "staff.visits.$id_.incidents.tsx",
    handler: "action",
    intent: "close",
    label: "no action taken on record",
    prepare: () => ({ incidentId: newIncident(approved.visitId) }),
    url: () => `/staff/visits/${approved.visitId}/incidents`,
    params: () => ({ id: String(approved.visitId) }),
    form: (t) => ({ intent: "close", incidentId: String(t.incidentId), actionTaken: "" }),
    expect: gate(STAFF, "fail"),
  },
  {
    route: "staff.visits.$id_.incidents.tsx",
    handler: "action",
    intent: "nonsense",
    url: () => `/staff/visits/${approved.visitId}/incidents`,
    params: () => ({ id: String(approved.visitId) }),
    form: () => ({ intent: "nonsense" }),
    expect: gate(STAFF, "fail"),
  },
  // The city opens incident reports (事故報告書) too.
  {
    route: "incidents.$id.tsx",
    handler: "loader",
    prepare: () => ({ incidentId: newIncident(approved.visitId) }),
    url: (t) => `/incidents/${t.incidentId}`,
    params: (t) => ({ id: String(t.incidentId) }),
    expect: gate(SIGNED_IN, "ok"),
  },
  { route: "incidents.$id.tsx", handler: "loader", label: "incident 999999", url: () => "/incidents/999999", params: () => ({ id: "999999" }), expect: gate(SIGNED_IN, 404) },
  {
    route: "incidents.$id.tsx",
    handler: "loader",
    label: "id written as 0x-hex",
    prepare: () => ({ incidentId: newIncident(approved.visitId) }),
    url: (t) => `/incidents/${hex(t.incidentId as number)}`,
    params: (t) => ({ id: hex(t.incidentId as number) }),
    expect: gate(SIGNED_IN, 404),
  },

  { route: "staff.inquiries.tsx", handler: "loader", url: () => "/staff/inquiries", expect: gate(STAFF, "ok") },
  { route: "staff.inquiries.tsx", handler: "loader", label: "editing a row, every month", prepare: () => ({ id: newInquiry(false) }), url: (t) => `/staff/inquiries?month=&edit=${t.id}`, expect: gate(STAFF, "ok") },
  {
    route: "staff.inquiries.tsx",
    handler: "action",
    intent: "add",
    url: () => "/staff/inquiries",
    form: () => ({ intent: "add", receivedOn: today, channel: "phone", topic: "how_to_apply", summary: "必要書類について", count: "1" }),
    expect: gate(STAFF, redirectTo(new RegExp(`^/staff/inquiries\\?added=\\d+&ch=phone&on=${today}$`))),
  },
  { route: "staff.inquiries.tsx", handler: "action", intent: "add", label: "empty form", url: () => "/staff/inquiries", form: () => ({ intent: "add" }), expect: gate(STAFF, "fail") },
  {
    route: "staff.inquiries.tsx",
    handler: "action",
    intent: "update",
    prepare: () => ({ id: newInquiry(false) }),
    url: () => "/staff/inquiries?month=",
    form: (t) => ({ intent: "update", id: String(t.id), receivedOn: today, channel: "counter", topic: "pickup", count: "2" }),
    expect: gate(STAFF, redirectTo(/^\/staff\/inquiries\?month=&saved=update$/)),
  },
  {
    route: "staff.inquiries.tsx",
    handler: "action",
    intent: "delete",
    prepare: () => ({ id: newInquiry(false) }),
    url: () => "/staff/inquiries",
    form: (t) => ({ intent: "delete", id: String(t.id) }),
    expect: gate(STAFF, redirectTo(/^\/staff\/inquiries\?saved=delete$/)),
  },
  ...(["update", "delete"] as const).flatMap((intent): Row[] => [
    {
      route: "staff.inquiries.tsx",
      handler: "action",
      intent,
      label: "a row written by the results form",
      prepare: () => ({ id: newInquiry(true) }),
      url: () => "/staff/inquiries",
      form: (t) => ({ intent, id: String(t.id), receivedOn: today, channel: "site", topic: "other", count: "9" }),
      expect: gate(STAFF, "fail"),
    },
    {
      route: "staff.inquiries.tsx",
      handler: "action",
      intent,
      label: "inquiry 999999",
      url: () => "/staff/inquiries",
      form: () => ({ intent, id: "999999", receivedOn: today, channel: "site", topic: "other" }),
      expect: gate(STAFF, 404),
    },
  ]),
  { route: "staff.inquiries.tsx", handler: "action", intent: "nonsense", url: () => "/staff/inquiries", form: () => ({ intent: "nonsense" }), expect: gate(STAFF, "fail") },

  { route: "staff.pr._index.tsx", handler: "loader", url: () => "/staff/pr", expect: gate(STAFF, "ok") },
  {
    route: "staff.pr._index.tsx",
    handler: "action",
    intent: "save",
    url: () => "/staff/pr",
    form: () => ({ intent: "save", medium: "flyer", title: unique("案内チラシ"), status: "done", doneOn: today, reach: "3000", reachUnit: "部" }),
    // Done without the city's approval on record: saved, with the warning.
    expect: gate(STAFF, redirectTo(/^\/staff\/pr\?saved=created&warn=no_approval#pr-\d+$/)),
  },
  { route: "staff.pr._index.tsx", handler: "action", intent: "save", label: "empty form", url: () => "/staff/pr", form: () => ({ intent: "save" }), expect: gate(STAFF, "fail") },
  {
    route: "staff.pr._index.tsx",
    handler: "action",
    intent: "done",
    prepare: () => ({ id: newPr() }),
    url: () => "/staff/pr",
    form: (t) => ({ intent: "done", id: String(t.id) }),
    expect: gate(STAFF, redirectTo(/^\/staff\/pr\?saved=done&warn=no_approval#pr-\d+$/)),
  },
  { route: "staff.pr._index.tsx", handler: "action", intent: "done", label: "PR item 999999", url: () => "/staff/pr", form: () => ({ intent: "done", id: "999999" }), expect: gate(STAFF, 404) },
  { route: "staff.pr._index.tsx", handler: "action", intent: "nonsense", url: () => "/staff/pr", form: () => ({ intent: "nonsense" }), expect: gate(STAFF, "fail") },
  { route: "staff.pr.$id.tsx", handler: "loader", prepare: () => ({ id: newPr() }), url: (t) => `/staff/pr/${t.id}`, params: (t) => ({ id: String(t.id) }), expect: gate(STAFF, "ok") },
  { route: "staff.pr.$id.tsx", handler: "loader", label: "PR item 999999", url: () => "/staff/pr/999999", params: () => ({ id: "999999" }), expect: gate(STAFF, 404) },
  {
    route: "staff.pr.$id.tsx",
    handler: "action",
    prepare: () => ({ id: newPr() }),
    url: (t) => `/staff/pr/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: () => ({ intent: "save", medium: "web", title: unique("ホームページ掲載"), status: "planned", plannedOn: today, cityApprovedOn: today, cityApprovalRef: "市民課 第1号" }),
    expect: gate(STAFF, redirectTo(/^\/staff\/pr\?saved=updated#pr-\d+$/)),
  },
  {
    route: "staff.pr.$id.tsx",
    handler: "action",
    label: "empty form",
    prepare: () => ({ id: newPr() }),
    url: (t) => `/staff/pr/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: () => ({}),
    expect: gate(STAFF, "fail"),
  },
  { route: "staff.pr.$id.tsx", handler: "action", label: "PR item 999999", url: () => "/staff/pr/999999", params: () => ({ id: "999999" }), form: () => ({ medium: "web", title: "x", status: "planned" }), expect: gate(STAFF, 404) },
  // ---- staff: site photos of a session (staff only; the city does not see them)
  { route: "staff.visits.$id_.photos.tsx", handler: "loader", url: () => `/staff/visits/${approved.visitId}/photos`, params: () => ({ id: String(approved.visitId) }), expect: gate(STAFF, "ok") },
  { route: "staff.visits.$id_.photos.tsx", handler: "loader", label: "visit 999999", url: () => "/staff/visits/999999/photos", params: () => ({ id: "999999" }), expect: gate(STAFF, 404) },
  {
    route: "staff.visits.$id_.photos.tsx",
    handler: "loader",
    label: "id written as 0x-hex",
    url: () => `/staff/visits/${hex(approved.visitId)}/photos`,
    params: () => ({ id: hex(approved.visitId) }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.visits.$id_.photos.tsx",
    handler: "action",
    intent: "upload",
    prepare: async () => ({ file: await photoFile() }),
    url: () => `/staff/visits/${approved.visitId}/photos`,
    params: () => ({ id: String(approved.visitId) }),
    form: (t) => ({ intent: "upload", caption: "会場の案内表示", photo: t.file as File }),
    expect: gate(STAFF, redirectTo(/\/photos\?saved=\d+/)),
  },
  {
    route: "staff.visits.$id_.photos.tsx",
    handler: "action",
    intent: "upload",
    label: "a cancelled visit",
    prepare: async () => ({ ...newGroup("cancelled"), file: await photoFile() }),
    url: (t) => `/staff/visits/${t.visitId}/photos`,
    params: (t) => ({ id: String(t.visitId) }),
    form: (t) => ({ intent: "upload", photo: t.file as File }),
    expect: gate(STAFF, 400),
  },
  {
    route: "staff.visits.$id_.photos.tsx",
    handler: "action",
    intent: "upload",
    label: "visit 999999",
    prepare: async () => ({ file: await photoFile() }),
    url: () => "/staff/visits/999999/photos",
    params: () => ({ id: "999999" }),
    form: (t) => ({ intent: "upload", photo: t.file as File }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.visits.$id_.photos.tsx",
    handler: "action",
    intent: "delete",
    prepare: async () => ({ photoId: await newPhoto(approved.visitId) }),
    url: () => `/staff/visits/${approved.visitId}/photos`,
    params: () => ({ id: String(approved.visitId) }),
    form: (t) => ({ intent: "delete", photoId: String(t.photoId) }),
    expect: gate(STAFF, redirectTo(/\/photos\?deleted=1$/)),
  },
  {
    route: "staff.visits.$id_.photos.tsx",
    handler: "action",
    intent: "delete",
    label: "a photo of another visit",
    prepare: async () => ({ photoId: await newPhoto(approved.visitId) }),
    url: () => `/staff/visits/${awaiting.visitId}/photos`,
    params: () => ({ id: String(awaiting.visitId) }),
    form: (t) => ({ intent: "delete", photoId: String(t.photoId) }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.visits.$id_.photos.tsx",
    handler: "action",
    intent: "delete",
    label: "photo 999999",
    url: () => `/staff/visits/${approved.visitId}/photos`,
    params: () => ({ id: String(approved.visitId) }),
    form: () => ({ intent: "delete", photoId: "999999" }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.visits.$id_.photos.tsx",
    handler: "action",
    intent: "nonsense",
    url: () => `/staff/visits/${approved.visitId}/photos`,
    params: () => ({ id: String(approved.visitId) }),
    form: () => ({ intent: "nonsense" }),
    expect: gate(STAFF, 400),
  },
  {
    route: "staff.visits.$id_.photos_.$photoId.ts",
    handler: "loader",
    prepare: async () => ({ photoId: await newPhoto(approved.visitId) }),
    url: (t) => `/staff/visits/${approved.visitId}/photos/${t.photoId}?size=thumb`,
    params: (t) => ({ id: String(approved.visitId), photoId: String(t.photoId) }),
    expect: gate(SIGNED_IN, "ok"),
  },
  {
    route: "staff.visits.$id_.photos_.$photoId.ts",
    handler: "loader",
    label: "a photo under another visit's id",
    prepare: async () => ({ photoId: await newPhoto(approved.visitId) }),
    url: (t) => `/staff/visits/${awaiting.visitId}/photos/${t.photoId}`,
    params: (t) => ({ id: String(awaiting.visitId), photoId: String(t.photoId) }),
    expect: gate(SIGNED_IN, 404),
  },
  {
    route: "staff.visits.$id_.photos_.$photoId.ts",
    handler: "loader",
    label: "photo 999999",
    url: () => `/staff/visits/${approved.visitId}/photos/999999`,
    params: () => ({ id: String(approved.visitId), photoId: "999999" }),
    expect: gate(SIGNED_IN, 404),
  },
  {
    route: "staff.visits.$id_.photos_.$photoId.ts",
    handler: "loader",
    label: "photo id written as 0x-hex",
    prepare: async () => ({ photoId: await newPhoto(approved.visitId) }),
    url: (t) => `/staff/visits/${approved.visitId}/photos/${hex(t.photoId as number)}`,
    params: (t) => ({ id: String(approved.visitId), photoId: hex(t.photoId as number) }),
    expect: gate(SIGNED_IN, 404),
  },
  // ---- staff: the day's results (a phone on site)
  ...(
    [
      ["an approved visit of today", () => newGroup("approved", today)],
      ["one not yet approved (shows why not)", () => newGroup("screening")],
    ] as const
  ).map(
    ([label, prepare]): Row => ({
      route: "staff.visits.$id_.results.tsx",
      handler: "loader",
      label,
      prepare,
      url: (t) => `/staff/visits/${t.visitId}/results`,
      params: (t) => ({ id: String(t.visitId) }),
      expect: gate(STAFF, "ok"),
    }),
  ),
  { route: "staff.visits.$id_.results.tsx", handler: "loader", label: "visit 999999", url: () => "/staff/visits/999999/results", params: () => ({ id: "999999" }), expect: gate(STAFF, 404) },
  {
    route: "staff.visits.$id_.results.tsx",
    handler: "loader",
    label: "id written as 0x-hex",
    url: () => `/staff/visits/${hex(approved.visitId)}/results`,
    params: () => ({ id: hex(approved.visitId) }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.visits.$id_.results.tsx",
    handler: "action",
    label: "first entry on the day: completes the visit",
    prepare: () => newGroup("approved", today),
    url: (t) => `/staff/visits/${t.visitId}/results`,
    params: (t) => ({ id: String(t.visitId) }),
    form: () => ({ version: "0", acceptCount: "12", supportOnlineCount: "2", "inquiries.how_to_apply": "1" }),
    expect: gate(STAFF, redirectTo(/^\/staff\/visits\/\d+\/results\?saved=first$/)),
  },
  {
    route: "staff.visits.$id_.results.tsx",
    handler: "action",
    label: "a roaming session on its day",
    // Agreed by the city for today (inserted: planning refuses today, and each caller needs its own).
    prepare: () => ({
      visitId: db()
        .insert(visits)
        .values({ programId: f.programId, kind: "roaming", mode: "support", status: "agreed", title: unique("巡回 テスト"), venueId, vehicleId: f.vehicleId, date: today, startsAt: `${today}T10:00`, endsAt: `${today}T11:00` })
        .returning({ id: visits.id })
        .get().id,
    }),
    url: (t) => `/staff/visits/${t.visitId}/results`,
    params: (t) => ({ id: String(t.visitId) }),
    form: () => ({ version: "0", supportOnlineCount: "7", supportMailCount: "2" }),
    expect: gate(STAFF, redirectTo(/^\/staff\/visits\/\d+\/results\?saved=first$/)),
  },
  ...(
    [
      ["invalid counts", () => newGroup("approved", today), { acceptCount: "-3" }],
      ["a visit whose day has not come", () => newGroup("approved"), { acceptCount: "12" }],
      ["a cancelled visit", () => newGroup("cancelled", today), { acceptCount: "12" }],
    ] as const
  ).map(
    ([label, prepare, values]): Row => ({
      route: "staff.visits.$id_.results.tsx",
      handler: "action",
      label,
      prepare,
      url: (t) => `/staff/visits/${t.visitId}/results`,
      params: (t) => ({ id: String(t.visitId) }),
      form: () => ({ version: "0", ...values }),
      expect: gate(STAFF, "fail"),
    }),
  ),
  {
    route: "staff.visits.$id_.results.tsx",
    handler: "action",
    label: "visit 999999",
    url: () => "/staff/visits/999999/results",
    params: () => ({ id: "999999" }),
    form: () => ({ version: "0", acceptCount: "12" }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.visits.$id_.results.tsx",
    handler: "action",
    label: "id written as 0x-hex",
    prepare: () => newGroup("approved", today),
    url: (t) => `/staff/visits/${hex(t.visitId as number)}/results`,
    params: (t) => ({ id: hex(t.visitId as number) }),
    form: () => ({ version: "0", acceptCount: "12" }),
    expect: gate(STAFF, 404),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "roster_remove",
    prepare: () => ({ id: rosterSessionId, entryId: newRosterEntry() }),
    url: (t) => `/staff/visits/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: (t) => ({ intent: "roster_remove", entryId: String(t.entryId) }),
    expect: gate(STAFF, "ok"),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "roster_remove",
    label: "an entry of another session",
    prepare: () => ({ id: roamingId, entryId: newRosterEntry() }),
    url: (t) => `/staff/visits/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: (t) => ({ intent: "roster_remove", entryId: String(t.entryId) }),
    expect: gate(STAFF, "fail"),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "kit",
    // Unticked before each call, so each allowed tick writes.
    prepare: () => {
      db().delete(kitChecks).where(eq(kitChecks.visitId, rosterSessionId)).run();
      return { id: rosterSessionId };
    },
    url: (t) => `/staff/visits/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: () => ({ intent: "kit", itemKey: "camera", checked: "1" }),
    expect: gate(STAFF, "ok"),
  },
  {
    route: "staff.visits.$id.tsx",
    handler: "action",
    intent: "kit",
    label: "an item not in the settings",
    prepare: () => ({ id: rosterSessionId }),
    url: (t) => `/staff/visits/${t.id}`,
    params: (t) => ({ id: String(t.id) }),
    form: () => ({ intent: "kit", itemKey: "umbrella", checked: "1" }),
    expect: gate(STAFF, "fail"),
  },

  // ---- staff: 従事者名簿 (issue 12)
  { route: "staff.team.tsx", handler: "loader", url: () => "/staff/team", expect: gate(LEADS, "ok") },
  {
    route: "staff.team.tsx",
    handler: "action",
    intent: "create",
    url: () => "/staff/team",
    form: () => ({ intent: "create", name: unique("名簿 追加"), nameKana: "めいぼ ついか", affiliation: "contractor", userId: "", phone: "090-1234-5678" }),
    expect: gate(LEADS, "ok"),
  },
  {
    route: "staff.team.tsx",
    handler: "action",
    intent: "create",
    label: "another user's account as a contractor of the city",
    prepare: () => ({ userId: newUser() }),
    url: () => "/staff/team",
    form: (t) => ({ intent: "create", name: unique("名簿 誤り"), affiliation: "city", userId: String(t.userId) }),
    expect: gate(LEADS, "fail"),
  },
  {
    route: "staff.team.tsx",
    handler: "action",
    intent: "update",
    prepare: () => ({ memberId: newStaffMember() }),
    url: () => "/staff/team",
    form: (t) => ({ intent: "update", memberId: String(t.memberId), name: unique("名簿 変更"), affiliation: "city", phone: "" }),
    expect: gate(LEADS, "ok"),
  },
  ...(["update", "deactivate", "activate"] as const).map(
    (intent): Row => ({
      route: "staff.team.tsx",
      handler: "action",
      intent,
      label: "member 999999",
      url: () => "/staff/team",
      form: () => ({ intent, memberId: "999999", name: "どこにもいない人", affiliation: "contractor" }),
      expect: gate(LEADS, "fail"),
    }),
  ),
  {
    route: "staff.team.tsx",
    handler: "action",
    intent: "deactivate",
    prepare: () => ({ memberId: newStaffMember() }),
    url: () => "/staff/team",
    form: (t) => ({ intent: "deactivate", memberId: String(t.memberId) }),
    expect: gate(LEADS, "ok"),
  },
  {
    route: "staff.team.tsx",
    handler: "action",
    intent: "activate",
    prepare: () => ({ memberId: newStaffMember({ active: false }) }),
    url: () => "/staff/team",
    form: (t) => ({ intent: "activate", memberId: String(t.memberId) }),
    expect: gate(LEADS, "ok"),
  },
  { route: "staff.team.tsx", handler: "action", intent: "nonsense", url: () => "/staff/team", form: () => ({ intent: "nonsense" }), expect: gate(LEADS, "fail") },
];

function placement(t: Target): Record<string, string> {
  return { date: t.newDate as string, startTime: "13:00", endTime: "14:30", venueText: "公民館 大広間", expectedApplicants: "25", mode: "accept" };
}

/** A CSV import job in preview, owned by `who` (or by outreach for callers who never pass the gate). */
async function ownJob(who: Who): Promise<number> {
  const r = await createImportJob(new TextEncoder().encode(`団体名,種類\n${unique("取込予定団体")},company\n`), "mine.csv", userOf(who).id);
  if (!r.ok) throw new Error(r.message);
  return r.jobId;
}

async function importsFinished() {
  for (let i = 0; i < 200; i++) {
    const running = db().select({ id: importJobs.id }).from(importJobs).where(eq(importJobs.status, "running")).all();
    if (running.length === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("the CSV import did not finish");
}

// ---------------------------------------------------------------------------
// Calling a route as Remix would, and reading the answer

type Outcome = { status: number; location: string | null; body: unknown };

async function call(row: Row, who: Who, t: Target, fn: (args: never) => unknown): Promise<Outcome> {
  const url = new URL(row.url ? row.url(t, who) : "/", "http://localhost");
  const headers = new Headers({ "x-demado-client-ip": `192.0.2.${WHO.indexOf(who) + 1}` });
  const cookie = t.cookie ?? (who === "anon" || who === "token" ? undefined : cookies[who]);
  if (cookie) headers.set("Cookie", cookie);
  let body: FormData | undefined;
  if (row.handler === "action") {
    body = new FormData();
    for (const [k, v] of Object.entries(row.form ? row.form(t, who) : {})) body.append(k, v);
  }
  const request = new Request(url, { method: row.handler === "action" ? "POST" : "GET", headers, body });
  let result: unknown;
  try {
    result = await fn({ request, params: row.params ? row.params(t, who) : {}, context: {} } as never);
  } catch (thrown) {
    // Remix answers a thrown Response or data(…) like a returned one (redirect(), 404 pages).
    const isData = !!thrown && typeof thrown === "object" && (thrown as { type?: string }).type === "DataWithResponseInit";
    if (thrown instanceof Response || isData) result = thrown;
    else throw thrown;
  }
  if (result instanceof Response) {
    const text = await result.text();
    let parsed: unknown = text;
    if ((result.headers.get("Content-Type") ?? "").includes("json")) parsed = JSON.parse(text);
    return { status: result.status, location: result.headers.get("Location"), body: parsed };
  }
  // data(…, { status }) from @remix-run/node
  if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    const d = result as { data: unknown; init: ResponseInit | null };
    return { status: d.init?.status ?? 200, location: null, body: d.data };
  }
  return { status: 200, location: null, body: result };
}

function reportsFailure(body: unknown): boolean {
  if (!body || typeof body !== "object") return false;
  const b = body as { ok?: unknown; error?: unknown; errors?: unknown; formError?: unknown };
  return b.ok === false || typeof b.error === "string" || typeof b.formError === "string" || (!!b.errors && typeof b.errors === "object" && Object.keys(b.errors).length > 0);
}

function describeOutcome(o: Outcome, row: Row): string {
  if (o.status >= 300 && o.status < 400) return o.location?.startsWith("/login?redirectTo=") ? "login" : `redirect ${o.location}`;
  if (o.status >= 200 && o.status < 300) return reportsFailure(o.body) || row.failWhen?.(o.body) ? "fail" : "ok";
  return String(o.status);
}

function matches(o: Outcome, e: Expect, row: Row): boolean {
  const seen = describeOutcome(o, row);
  if (typeof e === "object") return o.status >= 300 && o.status < 400 && e.redirect.test(o.location ?? "");
  return seen === String(e);
}

const show = (e: Expect) => (typeof e === "object" ? `redirect ${e.redirect}` : String(e));

/** Expectations that refuse: the call must leave the database as it was. */
function refuses(e: Expect): boolean {
  return e === "fail" || e === "login" || typeof e === "number";
}

/**
 * Writes are counted by temporary triggers on every table (on the app's own
 * connection; a rolled-back write rolls its count back too). Not counted:
 * what a refused call may legitimately record — sign-in attempts, rate-limit
 * counters, the audit rows of a refusal and a session's last-seen stamp.
 */
function installWriteCounter() {
  const client = getDb().$client;
  client.exec("create temp table matrix_writes (tbl text not null)");
  const tables = client.prepare(`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`).all() as { name: string; sql: string }[];
  // A virtual table (the organisation search index) takes no trigger, nor do its shadow tables; the table it
  // indexes is counted.
  const virtual = tables.filter((t) => /^create virtual table/i.test(t.sql)).map((t) => t.name);
  for (const { name } of tables) {
    if (name === "login_attempts" || name === "rate_limits") continue;
    if (virtual.some((v) => name === v || name.startsWith(`${v}_`))) continue;
    for (const op of ["insert", "update", "delete"] as const) {
      let when = "";
      if (name === "audit_log" && op === "insert") when = "when new.action not in ('auth.forbidden', 'auth.login_failed')";
      if (name === "sessions" && op === "update") when = "when old.revoked_at is not new.revoked_at";
      client.exec(`create temp trigger "matrix_${name}_${op}" after ${op} on main."${name}" ${when} begin insert into matrix_writes values ('${name}'); end`);
    }
  }
}

/** The number of counted writes so far. */
function writeCount(): number {
  return (getDb().$client.prepare("select count(*) as n from matrix_writes").get() as { n: number }).n;
}

/** The tables written since `since`. */
function tablesWritten(since: number): string {
  const rows = getDb().$client.prepare("select distinct tbl from matrix_writes where rowid > ?").all(since) as { tbl: string }[];
  return rows.map((r) => r.tbl).join(", ");
}

function rowName(row: Row): string {
  return [row.handler, row.intent ? `intent=${row.intent}` : null, row.label ? `(${row.label})` : null].filter(Boolean).join(" ");
}

// ---------------------------------------------------------------------------

const ROUTES_DIR = path.resolve(__dirname, "../../app/routes");
const routeFiles = () => fs.readdirSync(ROUTES_DIR).filter((f) => /\.(ts|tsx)$/.test(f)).sort();
const loadRoute = (file: string) => import(/* @vite-ignore */ path.join(ROUTES_DIR, file)) as Promise<Record<string, unknown>>;

beforeAll(async () => {
  ctx = useFreshDatabase();
  delete process.env.SMTP_URL;
  // A real argon2id hash with small costs: login() verifies it for real, in milliseconds
  // instead of the second the production parameters take (the matrix signs in a dozen times).
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  for (const role of SIGNED_IN) insertUser(role, `${role}@matrix.jp`, `${role} 利用者`, hash);
  const otherId = insertUser("outreach", "other@matrix.jp", "別の 担当者", hash);
  for (const role of SIGNED_IN) {
    const s = await signIn(`${role}@matrix.jp`);
    people[role] = s.user;
    cookies[role] = s.cookie;
  }

  const program = db()
    .insert(programs)
    .values({ name: "マトリクス業務", fiscalYear: Number(today.slice(0, 4)), startsOn: addDays(today, -100), endsOn: addDays(today, 400), active: true })
    .returning({ id: programs.id })
    .get();
  const car = db().insert(vehicles).values({ name: "ラッピングカー1号" }).returning({ id: vehicles.id }).get();
  db().insert(districts).values({ name: "中央地区", population: 10000, cardsIssued: 5000 }).run();
  venueId = newVenue();
  f = { programId: program.id, vehicleId: car.id, venueId, staff: people.outreach, manager: people.manager, admin: people.admin, city: people.city };

  orgA = newOrg();
  orgB = newOrg();
  taskOfB = newTask(orgB);
  contactOfB = newContact(orgB);
  screening = newGroup("screening");
  db().update(visitRequests).set({ idempotencyKey: newIdempotencyKey() }).where(eq(visitRequests.id, screening.requestId)).run();
  approved = newGroup("approved");
  awaiting = newGroup("awaiting_city");
  roamingId = newSession().id;
  baseId = newBaseSession();
  rosterSessionId = newSession().id;
  reportDay = `${previousMonth(today.slice(0, 7))}-05`;
  // An agreed session of last month, completed by entering its results (the day's report needs one).
  const done = db()
    .insert(visits)
    .values({ programId: program.id, kind: "roaming", mode: "support", status: "agreed", title: "報告用の巡回", venueId, date: reportDay, startsAt: `${reportDay}T10:00`, endsAt: `${reportDay}T13:00` })
    .returning({ id: visits.id })
    .get().id;
  const entered = recordResults({ visitId: done, supportOnlineCount: 10, supportMailCount: 2 }, people.outreach);
  if (!entered.ok) throw new Error(entered.message);

  const job = await createImportJob(new TextEncoder().encode("団体名,種類\n他人の取込,company\n"), "theirs.csv", otherId);
  if (!job.ok) throw new Error(job.message);
  otherUsersJob = job.jobId;
  otherUsersFilter = db().insert(savedFilters).values({ userId: otherId, name: "他人の条件", query: "" }).returning({ id: savedFilters.id }).get().id;

  const inactive = newUser();
  inactiveUsersToken = ensureCalendarToken(inactive);
  db().update(users).set({ active: false }).where(eq(users.id, inactive)).run();

  db().insert(postalCodeCache).values({ postalCode: "0300001", address: "青森県青森市中央", fetchedAt: new Date().toISOString() }).run();
  // Two emails that exhausted their retries: one to retry, one to acknowledge.
  outboxId = writeTransaction((tx) => enqueueEmail(tx, { to: "someone@example.jp", subject: "テスト", template: "test", html: "<p>テスト</p>", text: "テスト" }), db());
  deadOutboxId = writeTransaction((tx) => enqueueEmail(tx, { to: "other@example.jp", subject: "テスト2", template: "test", html: "<p>テスト</p>", text: "テスト" }), db());
  db().update(emailOutbox).set({ state: "dead" }).where(inArray(emailOutbox.id, [outboxId, deadOutboxId])).run();
  fs.mkdirSync(path.dirname(emlPath(outboxId)), { recursive: true });
  fs.writeFileSync(emlPath(outboxId), "Subject: test\r\n\r\ntest\r\n");
  installWriteCounter();
}, 60_000);

afterAll(() => ctx.cleanup());

describe("the access matrix covers every route", () => {
  it("has a row for every route file, and every row names an existing file", () => {
    const files = routeFiles();
    const named = new Set(ROWS.map((r) => r.route));
    expect(files.filter((f) => !named.has(f)), "route files without a row in the matrix").toEqual([]);
    expect([...named].filter((r) => !files.includes(r)), "rows naming a route file that does not exist").toEqual([]);
  });

  it("has rows for exactly the handlers each route module exports", async () => {
    const problems: string[] = [];
    for (const file of routeFiles()) {
      const mod = await loadRoute(file);
      const exported = (["loader", "action"] as const).filter((h) => typeof mod[h] === "function");
      const inRows = new Set(ROWS.filter((r) => r.route === file).map((r) => r.handler));
      for (const h of exported) if (!inRows.has(h)) problems.push(`${file}: exports ${h} but has no ${h} row`);
      for (const h of inRows) {
        if (h === "none" ? exported.length > 0 : !exported.includes(h)) problems.push(`${file}: has a ${h} row but exports ${exported.join(", ") || "nothing"}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("has a row for every action intent written in a route's source", () => {
    const problems: string[] = [];
    for (const file of routeFiles()) {
      const source = fs.readFileSync(path.join(ROUTES_DIR, file), "utf8");
      const action = source.slice(source.indexOf("export async function action"));
      if (!source.includes("export async function action")) continue;
      const body = action.slice(0, action.indexOf("\n}\n") + 2);
      const found = new Set<string>();
      const patterns = [
        /case\s+"([\w-]+)"/g,
        /intent\s*[!=]==\s*"([\w-]+)"/g,
        /"intent"\)\s*[!=]==\s*"([\w-]+)"/g,
        /"intent"\)\s*\?\?\s*"([\w-]+)"/g,
      ];
      for (const re of patterns) for (const m of body.matchAll(re)) found.add(m[1]);
      for (const m of body.matchAll(/\[((?:\s*"[\w-]+",?)+)\]\.includes\(intent\)/g)) for (const s of m[1].matchAll(/"([\w-]+)"/g)) found.add(s[1]);
      const covered = new Set(ROWS.filter((r) => r.route === file && r.handler === "action").map((r) => r.intent));
      for (const intent of found) if (!covered.has(intent)) problems.push(`${file}: intent "${intent}" has no row`);
    }
    expect(problems).toEqual([]);
  });
});

describe("every route × caller answers as the matrix says, and a refusal changes nothing", () => {
  for (const row of ROWS.filter((r) => r.handler !== "none")) {
    it(`${row.route} ${rowName(row)}`, async () => {
      const mod = await loadRoute(row.route);
      const fn = mod[row.handler] as (args: never) => unknown;
      const problems: string[] = [];
      for (const who of WHO) {
        const expected = row.expect[who];
        const t = (await row.prepare?.(who)) ?? {};
        const before = writeCount();
        let outcome: Outcome;
        try {
          outcome = await call(row, who, t, fn);
        } catch (error) {
          problems.push(`${who}: threw ${(error as Error)?.stack?.split("\n").slice(0, 2).join(" ") ?? error} (expected ${show(expected)})`);
          continue;
        }
        await row.settle?.();
        const after = writeCount();
        if (!matches(outcome, expected, row)) {
          const detail = typeof outcome.body === "string" ? outcome.body.slice(0, 120) : JSON.stringify(outcome.body)?.slice(0, 160);
          problems.push(`${who}: got ${describeOutcome(outcome, row)} (expected ${show(expected)}) ${detail ?? ""}`);
        }
        if (refuses(expected) && after !== before) problems.push(`${who}: refused but wrote to ${tablesWritten(before)}`);
        if (row.handler === "action" && !refuses(expected) && !row.mayNotWrite && matches(outcome, expected, row) && after === before) {
          problems.push(`${who}: allowed but nothing was written`);
        }
        if (row.mustNotLeak) {
          const secret = row.mustNotLeak(t);
          if (JSON.stringify(outcome.body ?? "").includes(secret)) problems.push(`${who}: the answer holds someone else's secret`);
        }
      }
      expect(problems, problems.join("\n")).toEqual([]);
    });
  }
});
