/**
 * Hostile inputs by the thousand (fast-check): the public request form, the
 * sign-in action, the calendar feed's parameters and the public schedule.
 * Whatever arrives, the answer is never a 5xx, and a write is all or nothing.
 *
 * A failing property prints fast-check's seed and path; replay it with
 *   FC_SEED=<seed> FC_PATH=<path> npx vitest run tests/integration/hostile-inputs.test.ts
 * FC_RUNS=<n> sets every property's run count (for a long soak, e.g. FC_RUNS=20000).
 * Run counts are tuned to keep this file near 40 s on a busy 2-core machine.
 */
import crypto from "node:crypto";
import argon2 from "argon2";
import fc from "fast-check";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, login } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { addDays, todayInTokyo } from "../../app/lib/dates";
import { REQUEST_FIELDS } from "../../app/requests/schema";
import { loader as feedLoader } from "../../app/routes/calendar.events";
import { action as loginAction } from "../../app/routes/login";
import { action as requestAction } from "../../app/routes/request._index";
import { loader as scheduleLoader } from "../../app/routes/schedule";
import { loader as scheduleIcsLoader } from "../../app/routes/schedule[.]ics";
import { getSettings } from "../../app/settings.server";
import {
  activities,
  contacts,
  districts,
  emailOutbox,
  organisationContacts,
  organisations,
  programs,
  sessions,
  users,
  vehicles,
  venues,
  visitRequests,
  visits,
  type VisitKind,
  type VisitStatus,
} from "../../db/schema";
import { useFreshDatabase } from "../support/db";

const ORIGIN = "http://localhost";
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
const PATH = process.env.FC_PATH || undefined;
const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : undefined;

/** fc.assert with the replay knobs above; on failure fast-check reports seed, path and the shrunk counterexample. */
function assertProperty<T>(property: fc.IAsyncPropertyWithHooks<T>, numRuns: number, examples: T[] = []) {
  return fc.assert(property, { numRuns: RUNS ?? numRuns, seed: SEED, path: PATH, examples });
}

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;
const today = todayInTokyo();
const PASSWORD = "correct-horse-2026";
const SIGNIN_EMAIL = "signin@t.jp";
const FULL_COST_EMAIL = "full@t.jp";
let ctx: ReturnType<typeof useFreshDatabase>;

// ---------------------------------------------------------------------------
// Calling a route the way Remix does, and reading the answer the way Remix would send it.

type Outcome = { status: number; headers: Headers; body: unknown };

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The status Remix would send. A thrown non-Response becomes a 500 there, so it fails here. */
async function outcomeOf(run: () => Promise<unknown>): Promise<Outcome> {
  let value: unknown;
  try {
    value = await run();
  } catch (error) {
    if (error instanceof Response) return { status: error.status, headers: error.headers, body: await bodyOf(error) };
    throw new Error(`threw instead of answering (Remix would send a 500): ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
  if (value instanceof Response) return { status: value.status, headers: value.headers, body: await bodyOf(value) };
  if (value && typeof value === "object" && (value as { type?: unknown }).type === "DataWithResponseInit") {
    const d = value as { data: unknown; init: ResponseInit | null };
    return { status: d.init?.status ?? 200, headers: new Headers(d.init?.headers), body: d.data };
  }
  return { status: 200, headers: new Headers(), body: value };
}

function routeArgs(request: Request) {
  return { request, params: {}, context: {} } as never;
}

/** Row counts of every table but the rate-limit counters (which legitimately move on a refusal). */
function tableCounts(): Record<string, number> {
  const db = getDb();
  const names = db
    .all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' and name <> 'rate_limits'`,
    )
    .map((r) => r.name);
  const out: Record<string, number> = {};
  for (const name of names) out[name] = db.get<{ n: number }>(sql.raw(`select count(*) as n from "${name}"`))!.n;
  return out;
}

function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(after)) if (after[k] !== before[k]) out[k] = after[k] - (before[k] ?? 0);
  return out;
}

// ---------------------------------------------------------------------------
// Hostile strings.

/** A lone surrogate cannot be written in source as a literal safely; built here. */
const LONE_HIGH = String.fromCharCode(0xd800);
const LONE_LOW = String.fromCharCode(0xdfff);

const PAYLOADS = [
  "",
  " ",
  "\u3000",
  "\u0000",
  "a\u0000b",
  "\r\n",
  "\t",
  "\u0007\u001b[31m",
  "\u202e\u200f右から左",
  "\u200b\u200c\u200d\ufeff",
  LONE_HIGH,
  LONE_LOW,
  `x${LONE_LOW}${LONE_HIGH}y`,
  "😀👨‍👩‍👧‍👦🏳️‍🌈",
  "ｱｲｳｴｵ",
  "１２３４５６７",
  "٣٠",
  "०१२",
  "'; DROP TABLE visits;--",
  '" OR 1=1 --',
  "1); DELETE FROM visit_requests; --",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "${7*7}{{7*7}}",
  '=HYPERLINK("http://evil.example","x")',
  "+SUM(1,1)",
  "-1+1",
  "@SUM(A1)",
  "\t=1",
  "\r=1",
  "1e309",
  "-1e309",
  "-0",
  "NaN",
  "Infinity",
  "0x10",
  "0b11",
  "1_000",
  "9007199254740993",
  "99999999999999999999999",
  "20人",
  "約２０名",
  "-5",
  "0",
  "2026-02-30",
  "9999-12-31",
  "0000-00-00",
  "12/30",
  "2026-13-01",
  "+275760-09-13",
  "令和8年12月1日",
  "2026-12-01T00:00:00Z",
  "am",
  "pm",
  "allday",
  "night",
  "company",
  "yes",
  "on",
  "true",
  "1",
  "off",
  "123456789018",
  "1234 - 5678 - 9018",
  "a@b",
  "a@b.c",
  "test@例え.jp",
  '"a b"@example.jp',
  "x".repeat(255) + "@example.jp",
  "%00",
  "%",
  "../../etc/passwd",
  "\\\\server\\share",
  "__proto__",
  "constructor",
];

const fragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 12 }) },
);

const hostileString = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 3, arbitrary: fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join("")) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  {
    weight: 1,
    // Huge: around the caps (2000 chars, 16,000 in all, the 64 KiB body) and far beyond.
    arbitrary: fc
      .tuple(fc.constantFrom("a", "あ", "😀", "\u0000", "0", "=", "%"), fc.constantFrom(1999, 2001, 4001, 16_001, 22_000, 70_000, 200_000))
      .map(([c, n]) => c.repeat(n)),
  },
);

// ---------------------------------------------------------------------------
// Bodies: urlencoded, multipart, hand-made urlencoded with broken escapes, and broken multipart.

type Entry = [string, string];
type Encoding = "urlencoded" | "multipart" | "raw" | "no-content-type" | "text-plain";

/** Each byte as %XX, except some ASCII letters and digits left bare. */
function percentEncode(value: string, bare: boolean): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const ch = String.fromCharCode(byte);
    out += bare && /[A-Za-z0-9]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** Escapes a decoder must survive: truncated, not hex, overlong, CESU surrogates, NUL, a bare plus. */
const BROKEN_ESCAPES = ["%", "%z", "%zz", "%E3%81", "%ED%A0%80", "%ED%BF%BF", "%C0%AE", "%FF%FE", "%00", "+", "%2", "=", "&&", "%F0%9F%98"];

/**
 * A POST as a browser or a script would send it. For "raw", broken escapes are
 * stuck onto the values (except the `protect`ed ones, whose meaning the
 * property relies on) and also sent as pairs of their own.
 */
function buildRequest(
  url: string,
  entries: Entry[],
  encoding: Encoding,
  extraHeaders: Record<string, string>,
  broken: string[] = [],
  protect: readonly string[] = [],
): Request {
  const headers: Record<string, string> = { origin: ORIGIN, ...extraHeaders };
  if (encoding === "multipart") {
    const form = new FormData();
    for (const [k, v] of entries) form.append(k, v);
    return new Request(url, { method: "POST", headers, body: form });
  }
  let body: string;
  if (encoding === "raw") {
    const pairs = entries.map(([k, v], i) => {
      const tail = protect.includes(k) ? "" : broken[i % Math.max(1, broken.length)] ?? "";
      return `${percentEncode(k, true)}=${percentEncode(v, i % 2 === 0)}${tail}`;
    });
    body = [...pairs, ...broken.map((b) => `${b}=${b}`)].join("&");
  } else {
    body = new URLSearchParams(entries).toString();
  }
  if (encoding === "urlencoded" || encoding === "raw") headers["content-type"] = "application/x-www-form-urlencoded";
  if (encoding === "text-plain") headers["content-type"] = "text/plain;charset=UTF-8";
  // Bytes rather than a string, so that no Content-Type is added for us.
  return new Request(url, { method: "POST", headers, body: encoding === "no-content-type" ? new TextEncoder().encode(body) : body });
}

/** Multipart bodies that do not parse: no boundary, the wrong one, cut short, or not multipart at all. */
const brokenMultipart = fc.constantFrom(
  { type: "multipart/form-data", body: "organisationName=x&consent=on" },
  { type: "multipart/form-data; boundary=abc", body: "garbage" },
  { type: "multipart/form-data; boundary=abc", body: '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.jp\r\n--xyz--\r\n' },
  { type: "multipart/form-data; boundary=abc", body: '--abc\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.jp' },
  { type: "multipart/form-data; boundary=abc", body: "--abc\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--abc--\r\n" },
  { type: "multipart/form-data; boundary=", body: "--\r\n\r\n" },
  { type: "multipart/form-data; boundary=abc", body: "\u0000".repeat(1000) },
);

function brokenMultipartRequest(url: string, b: { type: string; body: string }, headers: Record<string, string>) {
  return new Request(url, { method: "POST", headers: { origin: ORIGIN, "content-type": b.type, ...headers }, body: b.body });
}

let clientSeq = 0;
/** A client address nobody else uses in this file (a header value only: no traffic). */
function nextClientIp() {
  clientSeq += 1;
  return `10.${(clientSeq >> 16) & 255}.${(clientSeq >> 8) & 255}.${clientSeq & 255}`;
}

// ---------------------------------------------------------------------------
// Fixtures: a program, a car, districts and venues, people, and visits of every kind for the calendar.

let programId: number;
let cityDistrictId: number;
let otherDistrictId: number;
let staffCookie: string;
let cityCookie: string;

/** Seeded visits with their Tokyo wall-clock times, the expectations of the feed and schedule. */
type Seeded = {
  id: number;
  kind: VisitKind;
  status: VisitStatus;
  startsAt: string | null;
  endsAt: string | null;
  date: string | null;
  districtId: number | null;
  title: string;
};
const seeded: Seeded[] = [];

/** Instant (ms) of a Tokyo wall-clock YYYY-MM-DDTHH:mm. */
function tokyoInstant(local: string) {
  return Date.parse(`${local}:00+09:00`);
}

beforeAll(async () => {
  ctx = useFreshDatabase();
  process.env.APP_URL = ORIGIN;
  const db = getDb();
  const year = Number(today.slice(0, 4));
  programId = db
    .insert(programs)
    .values({ name: "テスト業務", fiscalYear: year, startsOn: addDays(today, -60), endsOn: addDays(today, 200), active: true })
    .returning({ id: programs.id })
    .get().id;
  const car = db.insert(vehicles).values({ name: "ラッピングカー1号" }).returning({ id: vehicles.id }).get().id;
  cityDistrictId = db.insert(districts).values({ name: "中央地区" }).returning({ id: districts.id }).get().id;
  otherDistrictId = db.insert(districts).values({ name: "浪岡地区" }).returning({ id: districts.id }).get().id;
  const shop = db
    .insert(venues)
    .values({ name: "あおばスーパー本店", kind: "supermarket", districtId: cityDistrictId, address: "あおば市新町1-1" })
    .returning({ id: venues.id })
    .get().id;
  const hall = db
    .insert(venues)
    .values({ name: "浪岡交流センター", kind: "community_hall", districtId: otherDistrictId, address: "あおば市浪岡2-2" })
    .returning({ id: venues.id })
    .get().id;
  const org = db
    .insert(organisations)
    .values({ name: "非公開の会社", searchKey: "非公開の会社", kind: "company" })
    .returning({ id: organisations.id })
    .get().id;
  const orgSite = db
    .insert(venues)
    .values({ name: "非公開の会社 本社", kind: "organisation_site", organisationId: org, districtId: cityDistrictId })
    .returning({ id: venues.id })
    .get().id;

  // argon2 is slow on purpose (about 0.1 s a check, 0.5 s on a busy machine), so hashes are made once.
  // Most accounts carry a real argon2id hash with low cost parameters, which the app verifies the same
  // way (the parameters travel in the hash); one account has the production hash from hashPassword.
  const cheapHash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const fullHash = await hashPassword(PASSWORD);
  for (const [email, role, passwordHash] of [
    [SIGNIN_EMAIL, "outreach", cheapHash],
    [FULL_COST_EMAIL, "manager", fullHash],
    ["staff@t.jp", "outreach", cheapHash],
    ["city@t.jp", "city", cheapHash],
  ] as const) {
    db.insert(users).values({ email, name: email, role, passwordHash }).run();
  }

  const add = (
    kind: VisitKind,
    status: VisitStatus,
    day: number | null,
    from: string,
    to: string,
    venueId: number | null,
    districtId: number | null,
    title: string,
  ) => {
    const date = day === null ? null : addDays(today, day);
    const startsAt = date ? `${date}T${from}` : null;
    const endsAt = date ? `${date}T${to}` : null;
    const id = db
      .insert(visits)
      .values({
        programId,
        kind,
        mode: "accept",
        status,
        title,
        organisationId: kind === "group" ? org : null,
        venueId,
        vehicleId: kind === "base" ? null : car,
        date,
        startsAt,
        endsAt,
      })
      .returning({ id: visits.id })
      .get().id;
    seeded.push({ id, kind, status, startsAt, endsAt, date, districtId, title });
  };
  add("roaming", "agreed", 3, "10:00", "12:00", shop, cityDistrictId, "巡回 スーパー");
  add("base", "agreed", 4, "09:30", "16:00", hall, otherDistrictId, "拠点 交流センター");
  add("roaming", "agreed", 35, "13:00", "15:30", hall, otherDistrictId, "巡回 交流センター");
  add("roaming", "agreed", 70, "10:00", "11:00", shop, cityDistrictId, "巡回 スーパー 後");
  add("roaming", "agreed", -5, "10:00", "12:00", shop, cityDistrictId, "巡回 過去");
  add("roaming", "planned", 10, "10:00", "12:00", shop, cityDistrictId, "巡回 計画中");
  add("roaming", "cancelled", 11, "10:00", "12:00", shop, cityDistrictId, "巡回 中止");
  add("roaming", "agreed", 12, "10:00", "12:00", orgSite, cityDistrictId, "巡回 団体の敷地");
  add("group", "approved", 5, "13:00", "15:00", orgSite, cityDistrictId, "非公開の会社 出張申請");
  add("group", "declined", 6, "09:00", "10:00", orgSite, cityDistrictId, "非公開の会社 見送り");
  add("group", "requested", null, "", "", null, null, "非公開の会社 日程未定");
  add("base", "agreed", 0, "23:00", "23:59", hall, otherDistrictId, "拠点 夜");
  add("base", "agreed", 1, "00:00", "00:30", hall, otherDistrictId, "拠点 深夜");

  const signIn = async (email: string) => {
    const r = await login({ email, password: PASSWORD, ip: "127.0.0.10" });
    if (!r.ok) throw new Error(r.message);
    return r.setCookie.split(";")[0];
  };
  staffCookie = await signIn("staff@t.jp");
  cityCookie = await signIn("city@t.jp");
}, 60_000);

afterAll(() => ctx.cleanup());

// ---------------------------------------------------------------------------
// 1. The public request form.

const isYmd = (s: unknown): s is string =>
  typeof s === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** A date the form accepts: far enough ahead, inside the program, not in the year-end closure (12/29–1/3). */
function requestableDate(offset: number) {
  let d = addDays(today, offset);
  while (d.slice(5) >= "12-29" || d.slice(5) <= "01-03") d = addDays(d, 1);
  return d;
}

/** The fields a browser sends for a valid request (values in the shapes people type them). */
function validForm(n: number, orgPick: number): Entry[] {
  const orgs = [
    ["株式会社あおば製作所", "017-123-4567"],
    ["（株）あおば製作所", "０１７１２３４５６７"],
    ["新町町内会", "017-765-4321"],
    ["社会福祉法人 さくら会", "0177-11-2233"],
  ];
  const [name, phone] = orgs[orgPick % orgs.length];
  return [
    ["organisationName", name],
    ["organisationKind", "company"],
    ["postalCode", "０３０－０８０１"],
    ["address", "あおば市新町1-2-3"],
    ["contactName", "山田 花子"],
    ["phone", phone],
    ["email", `u${n}@aoba.example.jp`],
    ["expectedApplicants", "２０"],
    ["preferredDate1", requestableDate(20)],
    ["preferredSlot1", "am"],
    ["preferredDate2", requestableDate(27)],
    ["preferredSlot2", "allday"],
    ["venueText", "本社2階 会議室"],
    ["parking", "yes"],
    ["message", "車いすの方が3名います。"],
    ["consent", "on"],
  ];
}

const fieldName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...REQUEST_FIELDS) },
  { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "idempotencyKey", "", "organisationName[]", "email ", "ＥＭＡＩＬ", "status", "id") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 10 }) },
);

type Mutation = { field: string; op: "delete" | "set" | "before" | "after"; value: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  field: fieldName,
  op: fc.constantFrom("delete", "set", "set", "before", "after"),
  value: hostileString,
});

function applyMutations(entries: Entry[], mutations: Mutation[]): Entry[] {
  let out = entries.slice();
  for (const m of mutations) {
    if (m.op === "delete") out = out.filter(([k]) => k !== m.field);
    else if (m.op === "set") {
      const i = out.findIndex(([k]) => k === m.field);
      if (i >= 0) out[i] = [m.field, m.value];
      else out.push([m.field, m.value]);
    } else if (m.op === "before") out.unshift([m.field, m.value]);
    else out.push([m.field, m.value]);
  }
  return out;
}

type Post = { encoding: Encoding; mutations: Mutation[]; broken: string[]; brokenMultipart: { type: string; body: string } | null };

const post: fc.Arbitrary<Post> = fc.record({
  encoding: fc.constantFrom<Encoding>("urlencoded", "urlencoded", "multipart", "multipart", "raw", "no-content-type", "text-plain"),
  // Often none or one or two mutations, so that plenty of posts are stored and the "stored whole" side is exercised.
  mutations: fc.oneof(
    { weight: 1, arbitrary: fc.constant<Mutation[]>([]) },
    { weight: 2, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 2 }) },
    { weight: 3, arbitrary: fc.array(mutation, { maxLength: 5 }) },
  ),
  broken: fc.array(fc.constantFrom(...BROKEN_ESCAPES), { maxLength: 4 }),
  // Now and then a multipart body that does not parse at all.
  brokenMultipart: fc.oneof({ weight: 11, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: brokenMultipart }),
});

type Second = "none" | "identical" | "same-key-other-content" | "same-key-only" | "fresh";
type FormRun = { orgPick: number; honeypot: string | null; first: Post; second: Second; secondPost: Post };

const formRun: fc.Arbitrary<FormRun> = fc.record({
  orgPick: fc.nat(3),
  // The hidden honeypot (website): absent, blank (a person), or filled (a bot).
  honeypot: fc.oneof(
    { weight: 6, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom("", " ", "\u3000\t") },
    { weight: 1, arbitrary: hostileString.map((s) => `http://spam.example/${s}`) },
  ),
  first: post,
  second: fc.constantFrom<Second>("none", "none", "identical", "identical", "same-key-other-content", "same-key-only", "fresh"),
  secondPost: post,
});

type Answer = { ok: true; receiptNo: string; statusToken: string } | { ok: false; errors: Record<string, string>; formError?: string };

async function postRequestForm(entries: Entry[], p: Post, ip: string): Promise<Outcome> {
  const url = `${ORIGIN}/request?index`;
  const headers = { "x-demado-client-ip": ip, "user-agent": "fast-check" };
  const request = p.brokenMultipart
    ? brokenMultipartRequest(url, p.brokenMultipart, headers)
    : buildRequest(url, entries, p.encoding, headers, p.broken, ["idempotencyKey", "website"]);
  return outcomeOf(() => requestAction(routeArgs(request)));
}

/** The form's rules, written out: what any stored request must look like. */
function expectStoredRequestSane(req: typeof visitRequests.$inferSelect) {
  const s = getSettings();
  expect(req.organisationName.trim().length).toBeGreaterThan(0);
  expect(req.organisationName.length).toBeLessThanOrEqual(100);
  expect(["company", "neighbourhood", "welfare", "school", "medical", "other"]).toContain(req.organisationKind);
  expect(req.postalCode).toMatch(/^\d{3}-\d{4}$/);
  expect(req.phone.replace(/-/g, "")).toMatch(/^0\d{9,10}$/);
  expect(req.email).toMatch(/^[^@\s]+@[^@\s]+\.[^@\s]+$/);
  expect(req.email.length).toBeLessThanOrEqual(254);
  expect(Number.isInteger(req.expectedApplicants)).toBe(true);
  expect(req.expectedApplicants).toBeGreaterThanOrEqual(s.minApplicants);
  expect(req.expectedApplicants).toBeLessThanOrEqual(s.maxApplicants);
  const dates = [req.preferredDate1, req.preferredDate2, req.preferredDate3];
  const slots = [req.preferredSlot1, req.preferredSlot2, req.preferredSlot3];
  expect(isYmd(req.preferredDate1)).toBe(true);
  dates.forEach((d, i) => {
    if (d === null) {
      expect(slots[i]).toBeNull();
      return;
    }
    expect(isYmd(d)).toBe(true);
    expect(d >= addDays(today, s.minNoticeDays)).toBe(true);
    expect(d <= addDays(today, 200)).toBe(true);
    expect(d.slice(5) >= "12-29" || d.slice(5) <= "01-03").toBe(false);
    expect(["am", "pm", "allday"]).toContain(slots[i]);
    expect(dates.filter((x) => x === d)).toHaveLength(1);
  });
  expect(["yes", "no", "ask"]).toContain(req.parking);
  expect(req.venueText.trim().length).toBeGreaterThan(0);
  expect((req.message ?? "").length).toBeLessThanOrEqual(2000);
}

/** One complete record set behind a receipt: the request, its group visit, its organisation, its receipt email and timeline. */
function expectCompleteRecordSet(receiptNo: string, statusToken: string, orgCreated: boolean) {
  const db = getDb();
  const reqs = db.select().from(visitRequests).where(eq(visitRequests.receiptNo, receiptNo)).all();
  expect(reqs, `one request for ${receiptNo}`).toHaveLength(1);
  const req = reqs[0];
  expect(req.statusToken).toBe(statusToken);
  expect(req.programId).toBe(programId);
  expectStoredRequestSane(req);
  expect(req.organisationId).not.toBeNull();
  const org = db.select().from(organisations).where(eq(organisations.id, req.organisationId!)).get();
  expect(org, "the organisation the request links to").toBeDefined();
  const vs = db.select().from(visits).where(eq(visits.requestId, req.id)).all();
  expect(vs, "one group visit").toHaveLength(1);
  expect(vs[0]).toMatchObject({
    kind: "group",
    status: "requested",
    organisationId: req.organisationId,
    expectedApplicants: req.expectedApplicants,
    programId,
  });
  const mails = db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.relatedEntity, "visit"), eq(emailOutbox.relatedId, vs[0].id)))
    .all();
  expect(mails, "one receipt email").toHaveLength(1);
  expect(mails[0].template).toBe("receipt");
  expect(mails[0].toAddress).toBe(req.email);
  expect(mails[0].text).toContain(receiptNo);
  expect(mails[0].text).toContain(`${ORIGIN}/request/status/${statusToken}`);
  const timeline = db.select({ id: activities.id }).from(activities).where(eq(activities.requestId, req.id)).all();
  expect(timeline.length, "a timeline entry").toBeGreaterThan(0);
  if (orgCreated) {
    // A new organisation carries its sender as a contact.
    const linked = db
      .select({ email: contacts.email, name: contacts.name })
      .from(organisationContacts)
      .innerJoin(contacts, eq(contacts.id, organisationContacts.contactId))
      .where(eq(organisationContacts.organisationId, req.organisationId!))
      .all();
    expect(linked.some((c) => c.email === req.email)).toBe(true);
  }
}

describe("the public request form under hostile bodies", () => {
  it("never answers 5xx, and either stores one complete record set or nothing at all", async () => {
    let runNo = 0;
    let stored = 0;
    let refused = 0;
    let replays = 0;
    await assertProperty(
      fc.asyncProperty(formRun, async (run) => {
        runNo += 1;
        const ip = nextClientIp();
        const key = `k${runNo}_${crypto.randomBytes(12).toString("base64url")}`;
        let base: Entry[] = [...validForm(runNo, run.orgPick), ["idempotencyKey", key]];
        if (run.honeypot !== null) base = [["website", run.honeypot], ...base];
        const honeypotFilled = run.honeypot !== null && run.honeypot.trim() !== "";

        /** One post, checked: returns the receipt when a real record set stands behind the answer. */
        const check = async (entries: Entry[], p: Post, known: Map<string, string>) => {
          const before = tableCounts();
          const out = await postRequestForm(entries, p, ip);
          const after = tableCounts();
          const changed = delta(before, after);
          expect(out.status, JSON.stringify(out.body).slice(0, 500)).toBeLessThan(500);
          let body = out.body as Answer;
          if (out.status === 303) {
            // Accepted: a 303 to the receipt page (/request/done/:token); the 受付番号 is the stored request's.
            const location = out.headers.get("Location") ?? "";
            const statusToken = /^\/request\/done\/([A-Za-z0-9_-]{32})$/.exec(location)?.[1];
            expect(statusToken, `a success goes to the receipt page, not ${location}`).toBeTruthy();
            const stored = getDb().select({ receiptNo: visitRequests.receiptNo }).from(visitRequests).where(eq(visitRequests.statusToken, statusToken!)).get();
            // A bot's pretend success has no stored request behind it: a receipt number no request has.
            body = { ok: true, statusToken: statusToken!, receiptNo: stored?.receiptNo ?? "G-0000-0000" };
          }
          if (out.status === 303 && body && body.ok === true) {
            expect(body.receiptNo).toMatch(/^G-\d{4}-\d{4,}$/);
            expect(body.statusToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
            if (Object.keys(changed).length === 0) {
              // Nothing written: a bot's pretend receipt, or the resend of a request already stored.
              if (known.has(body.receiptNo)) {
                expect(known.get(body.receiptNo)).toBe(body.statusToken);
                expectCompleteRecordSet(body.receiptNo, body.statusToken, false);
                replays += 1;
                return { receiptNo: body.receiptNo, statusToken: body.statusToken, replay: true };
              }
              expect(honeypotFilled, `a success that wrote nothing must be the honeypot's pretence: ${body.receiptNo}`).toBe(true);
              return null;
            }
            expect(honeypotFilled, "a filled honeypot stores nothing").toBe(false);
            // Exactly one new set: one request, one visit, one receipt email; at most one organisation and one contact.
            expect(changed.visit_requests).toBe(1);
            expect(changed.visits).toBe(1);
            expect(changed.email_outbox).toBe(1);
            expect(changed.activities ?? 0).toBeGreaterThan(0);
            expect(changed.organisations ?? 0).toBeLessThanOrEqual(1);
            expect(changed.contacts ?? 0).toBeLessThanOrEqual(1);
            expectCompleteRecordSet(body.receiptNo, body.statusToken, changed.organisations === 1);
            known.set(body.receiptNo, body.statusToken);
            stored += 1;
            return { receiptNo: body.receiptNo, statusToken: body.statusToken, replay: false };
          }
          // Refused: a 4xx with a Japanese message, and nothing written anywhere.
          expect(out.status).toBeGreaterThanOrEqual(400);
          expect(changed, "a refused request writes nothing").toEqual({});
          const messages = typeof body === "string" ? [body] : body && body.ok === false ? [body.formError ?? "", ...Object.values(body.errors ?? {})] : [];
          // Every message is Japanese (a library's English default slipping through fails here).
          const shown = messages.filter((m) => m !== "");
          expect(shown.length, `a message: ${JSON.stringify(body).slice(0, 300)}`).toBeGreaterThan(0);
          for (const m of shown) expect(m, "a Japanese message").toMatch(JAPANESE);
          refused += 1;
          return null;
        };

        const known = new Map<string, string>();
        const firstEntries = applyMutations(base, run.first.mutations);
        const first = await check(firstEntries, run.first, known);
        if (run.second === "none") return;

        const keyUntouched = !run.first.mutations.some((m) => m.field === "idempotencyKey") && !run.first.brokenMultipart;
        if (run.second === "identical") {
          // A double click: the same body again.
          const again = await check(firstEntries, run.first, known);
          if (first && keyUntouched) expect(again?.receiptNo).toBe(first.receiptNo);
          return;
        }
        if (run.second === "same-key-only") {
          // Someone else's key alone (an empty form) must not bring back that receipt.
          const again = await check([["idempotencyKey", key]], run.secondPost, known);
          if (first) expect(again?.receiptNo).not.toBe(first.receiptNo);
          return;
        }
        if (run.second === "same-key-other-content") {
          const other = applyMutations(
            base.map(([k, v]): Entry => (k === "organisationName" ? [k, `別の団体${runNo}`] : [k, v])),
            run.secondPost.mutations.filter((m) => m.field !== "idempotencyKey" && m.field !== "organisationName"),
          );
          const again = await check(other, { ...run.secondPost, brokenMultipart: null }, known);
          if (first && again) expect(again.receiptNo, "a key bound to other content never shows the earlier receipt").not.toBe(first.receiptNo);
          return;
        }
        const freshKey = `f${runNo}_${crypto.randomBytes(12).toString("base64url")}`;
        await check(
          applyMutations(
            base.map(([k, v]): Entry => (k === "idempotencyKey" ? [k, freshKey] : [k, v])),
            run.secondPost.mutations,
          ),
          run.secondPost,
          known,
        );
      }),
      800,
    );
    // The property must not hold vacuously: plenty of hostile posts were stored whole, and plenty refused.
    expect(stored).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(300);
    expect(replays).toBeGreaterThan(20);
  }, 120_000);
});

// ---------------------------------------------------------------------------
// 2. The sign-in action.

/** The same account written the ways people type it: case, full width, spaces around. */
function emailVariants(address: string) {
  const fullWidth = [...address].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join("");
  return fc.constantFrom(address, address.toUpperCase(), fullWidth, `  ${address}\t`, `${address[0].toUpperCase()}${address.slice(1)}`);
}

const knownEmails = [SIGNIN_EMAIL, FULL_COST_EMAIL, "staff@t.jp", "city@t.jp"];
const unknownEmail = hostileString.filter((s) => !knownEmails.includes(s.normalize("NFKC").trim().toLowerCase()));
const wrongPassword = fc
  .oneof(
    hostileString,
    fc.constantFrom(
      `${PASSWORD} `,
      `${PASSWORD}\u0000`,
      PASSWORD.toUpperCase(),
      PASSWORD.slice(0, -1),
      `${PASSWORD}x`,
      `x${PASSWORD}`,
      PASSWORD.replace("-", "\u2010"),
    ),
  )
  .filter((s) => s !== PASSWORD);

/** Redirect targets: some safe paths (kept as they are), and ways out of the site (all refused). */
const SAFE_TARGETS = ["/calendar", "/staff/organisations?q=%E3%81%82&page=2", "/visits/12#history", "/admin"];
const HOSTILE_TARGETS = [
  "//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/%09/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\nSet-Cookie: x=1",
  "/\u0000",
  "/.//evil.example",
  "/%2F%2Fevil.example",
  "http://evil.example/",
  "https://evil.example/login",
  "HTTP://EVIL.EXAMPLE",
  "javascript:alert(1)",
  " javascript:alert(1)",
  "JaVaScRiPt:alert(document.cookie)",
  "data:text/html,<script>alert(1)</script>",
  "http:evil.example",
  "//evil.example@localhost",
  "http://localhost@evil.example/",
  "/\u3000/evil.example",
  "／／evil.example",
  "%2F%2Fevil.example",
  "..//evil.example",
  "  //evil.example",
  "/" + "a".repeat(100_000),
  "",
];
const redirectTarget = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constantFrom(...SAFE_TARGETS) },
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TARGETS) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...HOSTILE_TARGETS, "/", "//"), hostileString).map(([a, b]) => a + b) },
  { weight: 1, arbitrary: hostileString },
);

type SignInRun = {
  /** right: the account's own address in some spelling; otherwise an unknown address, or none. */
  email: { right: true; value: string } | { right: false; value: string | null };
  password: { right: true } | { right: false; value: string | null };
  redirectTo: string | null;
  redirectInQuery: boolean;
  encoding: Encoding;
  junk: Entry[];
  broken: string[];
  padding: number;
};

function signInRun(email: fc.Arbitrary<SignInRun["email"]>): fc.Arbitrary<SignInRun> {
  return fc.record({
    email,
    password: fc.oneof(
      { weight: 1, arbitrary: fc.constant({ right: true as const }) },
      { weight: 1, arbitrary: fc.option(wrongPassword, { freq: 8 }).map((value) => ({ right: false as const, value })) },
    ),
    redirectTo: redirectTarget,
    redirectInQuery: fc.boolean(),
    // Form encodings only: bodies that are no form at all have their own test below.
    encoding: fc.constantFrom<Encoding>("urlencoded", "multipart", "raw"),
    // Extra and repeated fields after the real ones (the first value of a name counts).
    junk: fc.array(fc.tuple(fc.constantFrom("email", "password", "redirectTo", "x", "__proto__"), hostileString), { maxLength: 3 }),
    broken: fc.array(fc.constantFrom(...BROKEN_ESCAPES), { maxLength: 3 }),
    // Occasionally a large body (no size cap is promised at this layer; it must still not break).
    padding: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(70_000, 1_000_000) }),
  });
}

function sessionCount() {
  return getDb()
    .select({ n: sql<number>`count(*)` })
    .from(sessions)
    .get()!.n;
}

/** Between runs, forget earlier failures so back-off and locks never mask what one post does. */
function resetSignInCounters() {
  const db = getDb();
  db.run(sql`delete from login_attempts`);
  db.update(users).set({ failedLogins: 0, lockedUntil: null }).run();
}

/** Post one sign-in and check it; true when it signed in. */
async function checkSignIn(run: SignInRun, stats: { signedIn: number; safeKept: number }) {
  resetSignInCounters();
  const entries: Entry[] = [];
  if (run.email.value !== null) entries.push(["email", run.email.value]);
  if (run.password.right) entries.push(["password", PASSWORD]);
  else if (run.password.value !== null) entries.push(["password", run.password.value]);
  // From ?redirectTo= the page copies the target into a hidden field; either way it arrives in the form.
  if (run.redirectTo !== null) entries.push(["redirectTo", run.redirectTo]);
  entries.push(...run.junk);
  if (run.padding) entries.push(["padding", "p".repeat(run.padding)]);
  const query = run.redirectTo !== null && run.redirectInQuery ? `?${new URLSearchParams({ redirectTo: run.redirectTo })}` : "";
  const request = buildRequest(
    `${ORIGIN}/login${query}`,
    entries,
    run.encoding,
    { "x-demado-client-ip": nextClientIp(), "user-agent": "fast-check" },
    run.broken,
    ["email", "password", "redirectTo"],
  );

  const before = sessionCount();
  const out = await outcomeOf(() => loginAction(routeArgs(request)));
  const after = sessionCount();
  expect(out.status, JSON.stringify(out.body).slice(0, 300)).toBeLessThan(500);

  const location = out.headers.get("location");
  const setCookie = out.headers.get("set-cookie") ?? "";
  if (run.email.right && run.password.right) {
    expect(out.status, `the right password signs in: ${JSON.stringify(out.body).slice(0, 200)}`).toBe(302);
    expect(after - before).toBe(1);
    expect(setCookie).toMatch(/demado_session=[^;]+/);
    expect(location).toBeTruthy();
    const target = new URL(location!, `${ORIGIN}/login`);
    expect(target.origin, `Location ${JSON.stringify(location)} stays on the site`).toBe(ORIGIN);
    // Browsers read "//host" and "/\host" as another host, whatever URL() makes of the rest.
    expect(location!.startsWith("//") || location!.startsWith("/\\") || /[\u0000-\u001f]/.test(location!)).toBe(false);
    if (run.redirectTo !== null && SAFE_TARGETS.includes(run.redirectTo)) {
      expect(`${target.pathname}${target.search}${target.hash}`).toBe(run.redirectTo);
      stats.safeKept += 1;
    }
    stats.signedIn += 1;
  } else {
    expect(after, "no session for wrong credentials").toBe(before);
    expect(setCookie).not.toMatch(/demado_session=[^;]{8,}/);
    expect(location).toBeNull();
    expect(out.status === 200 || (out.status >= 400 && out.status < 500)).toBe(true);
    expect((out.body as { message?: string } | null)?.message ?? "").toMatch(JAPANESE);
  }
}

describe("the sign-in action under hostile input", () => {
  it("never answers 5xx, never redirects off the site, signs in exactly on the right password", async () => {
    const stats = { signedIn: 0, safeKept: 0 };
    const email = fc.oneof(
      { weight: 6, arbitrary: emailVariants(SIGNIN_EMAIL).map((value) => ({ right: true as const, value })) },
      // No address, or a blank one: answered before any password check.
      { weight: 1, arbitrary: fc.constantFrom(null, "", " \t\u3000").map((value) => ({ right: false as const, value })) },
    );
    await assertProperty(
      fc.asyncProperty(signInRun(email), (run) => checkSignIn(run, stats)),
      300,
    );
    expect(stats.signedIn).toBeGreaterThan(60);
    expect(stats.safeKept).toBeGreaterThan(5);
  }, 90_000);

  it("with unknown addresses, and with the production argon2 cost, the same holds", async () => {
    // Fewer runs: every one of these pays a full argon2 check (unknown addresses are checked against a dummy hash).
    const stats = { signedIn: 0, safeKept: 0 };
    const email = fc.oneof(
      { weight: 2, arbitrary: unknownEmail.map((value) => ({ right: false as const, value })) },
      { weight: 1, arbitrary: emailVariants(FULL_COST_EMAIL).map((value) => ({ right: true as const, value })) },
    );
    await assertProperty(
      fc.asyncProperty(signInRun(email), (run) => checkSignIn(run, stats)),
      20,
      // Always at least one right password against the production-cost hash, with a hostile target.
      [
        [
          {
            email: { right: true, value: FULL_COST_EMAIL },
            password: { right: true },
            redirectTo: "/\t/evil.example",
            redirectInQuery: true,
            encoding: "urlencoded",
            junk: [],
            broken: [],
            padding: 0,
          },
        ],
      ],
    );
    expect(stats.signedIn).toBeGreaterThan(0);
  }, 90_000);
});

/** Bodies that are no form at all, or a multipart form that does not parse. */
const NOT_A_FORM: { label: string; type: string | null; body: string }[] = [
  { label: "no Content-Type", type: null, body: "email=signin%40t.jp&password=x" },
  { label: "text/plain", type: "text/plain;charset=UTF-8", body: "email=signin@t.jp&password=x" },
  { label: "JSON", type: "application/json", body: '{"email":"signin@t.jp","password":"x"}' },
  { label: "octet-stream", type: "application/octet-stream", body: "\u0000\u0001\u0002" },
  { label: "multipart without boundary", type: "multipart/form-data", body: "email=x" },
  {
    label: "multipart with the wrong boundary",
    type: "multipart/form-data; boundary=abc",
    body: '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.jp\r\n--xyz--\r\n',
  },
  { label: "multipart cut short", type: "multipart/form-data; boundary=abc", body: '--abc\r\nContent-Disposition: form-data; name="email"\r\n\r\na@b.jp' },
  { label: "multipart of NUL bytes", type: "multipart/form-data; boundary=abc", body: "\u0000".repeat(1000) },
];

describe("bodies that are not a form", () => {
  for (const route of ["/login", "/request"] as const) {
    it(`${route} answers each with a 4xx or its form's own message, never a 500, and writes nothing`, async () => {
      const failures: string[] = [];
      for (const b of NOT_A_FORM) {
        resetSignInCounters();
        const before = tableCounts();
        const headers: Record<string, string> = { origin: ORIGIN, "x-demado-client-ip": nextClientIp() };
        if (b.type) headers["content-type"] = b.type;
        const request = new Request(`${ORIGIN}${route}${route === "/request" ? "?index" : ""}`, {
          method: "POST",
          headers,
          body: new TextEncoder().encode(b.body),
        });
        const action = route === "/login" ? loginAction : requestAction;
        try {
          const out = await outcomeOf(() => action(routeArgs(request)));
          if (out.status >= 500) failures.push(`${b.label}: ${out.status}`);
          else if (out.status === 302) failures.push(`${b.label}: signed in or redirected`);
        } catch (error) {
          failures.push(`${b.label}: ${String(error).split("\n")[0]}`);
        }
        const changed = delta(before, tableCounts());
        // A refused sign-in may record the failed attempt (login_attempts, audit_log); nothing else may change.
        delete changed.login_attempts;
        delete changed.audit_log;
        if (Object.keys(changed).length) failures.push(`${b.label}: wrote ${JSON.stringify(changed)}`);
      }
      expect(failures).toEqual([]);
    });
  }
});

// ---------------------------------------------------------------------------
// 3. The calendar feed's parameters, and the public schedule's.

type FeedEventShape = { id: string; start: string; end: string; editable: boolean; extendedProps: { kind: VisitKind; status: VisitStatus; visitId: number } };

function feedArgs(query: string, cookie: string) {
  return routeArgs(new Request(`${ORIGIN}/calendar/events${query}`, { headers: { Cookie: cookie } }));
}

/** Format an instant in a given UTC offset (minutes), ISO 8601 with seconds. */
function isoAt(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${local}Z`;
  const sign = offsetMin < 0 ? "-" : "+";
  const a = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/** A value encoded for a query string (lone surrogates become U+FFFD, as a browser sends them). */
function queryValue(v: string) {
  return new URLSearchParams([["v", v]]).toString().slice(2);
}

/** The ways FullCalendar and people write a bound. */
type BoundStyle = "tokyo" | "utc" | "minus5" | "plus1430" | "local" | "date" | "plus-as-space";

function formatBound(ms: number, style: BoundStyle): string {
  const tokyo = isoAt(ms, 540);
  switch (style) {
    case "tokyo":
      return encodeURIComponent(tokyo);
    case "plus-as-space":
      // "+" left unencoded reads as a space.
      return tokyo;
    case "utc":
      return encodeURIComponent(isoAt(ms, 0));
    case "minus5":
      return encodeURIComponent(isoAt(ms, -300));
    case "plus1430":
      return encodeURIComponent(isoAt(ms, 870));
    case "local":
      return encodeURIComponent(tokyo.slice(0, 16));
    case "date":
      return tokyo.slice(0, 10);
  }
}

const KIND_TOKENS = ["group", "roaming", "base"] as const;

/** A well-formed range within 400 days, minute precision, in any of the bound styles. */
const goodRange = fc
  .record({
    startDay: fc.integer({ min: -20, max: 90 }),
    startMinute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    // Up to 398 days, so that rounding a plain-date bound out to whole days stays within the 400-day cap.
    spanMinutes: fc.oneof(fc.integer({ min: 1, max: 3 * 24 * 60 }), fc.integer({ min: 1, max: 398 * 24 * 60 })),
    startStyle: fc.constantFrom<BoundStyle>("tokyo", "utc", "minus5", "plus1430", "local", "date", "plus-as-space"),
    endStyle: fc.constantFrom<BoundStyle>("tokyo", "utc", "minus5", "plus1430", "local", "date", "plus-as-space"),
    kinds: fc.option(fc.subarray([...KIND_TOKENS], { minLength: 1 }), { freq: 2 }),
    cancelled: fc.constantFrom<string | null>(null, "0", "1"),
  })
  .map((r) => {
    // Plain dates mean Tokyo midnight: round such a bound to its day.
    let start = tokyoInstant(`${addDays(today, r.startDay)}T00:00`) + r.startMinute * 60_000;
    if (r.startStyle === "date") start = tokyoInstant(`${isoAt(start, 540).slice(0, 10)}T00:00`);
    let end = start + r.spanMinutes * 60_000;
    if (r.endStyle === "date") end = tokyoInstant(`${isoAt(end, 540).slice(0, 10)}T00:00`) + 24 * 3600_000;
    return { ...r, start, end };
  });

const garbage = fc.oneof(
  hostileString,
  fc.constantFrom(
    "2026-12-01T00:00:00+0900x",
    "２０２６-１２-０１",
    "2026/12/01",
    "20261201",
    "tomorrow",
    "1e309",
    "-0",
    "NaN",
    "0x10",
    "-002026-12-01",
    "+275760-09-13T00:00:00Z",
    "2026-12-01T25:61:00+09:00",
    "2026-12-01T00:00:00+99:99",
    "2026-12-01T00:00:00.123456789+09:00",
    "2026-12-01T00:00:00[Asia/Tokyo]",
    "9999-12-31T23:59:59+09:00",
    "0000-01-01",
    "2026-02-30",
    "2026-13-45",
  ),
);

/** Inputs that must be refused: missing bounds, empty or reversed ranges, ranges over 400 days, bounds that are no date at all. */
const badRange = fc.oneof(
  fc.record({ start: fc.option(fc.constant("2026-12-01"), { nil: undefined }), end: fc.constant(undefined as string | undefined) }),
  fc.record({ start: fc.constant(undefined as string | undefined), end: fc.option(fc.constant("2026-12-01"), { nil: undefined }) }),
  fc.record({ start: fc.constant(""), end: fc.constant("") }),
  // Reversed or empty (end at or before start), in Tokyo time.
  fc
    .tuple(fc.integer({ min: -400, max: 400 }), fc.integer({ min: 0, max: 1000 }), fc.constantFrom<BoundStyle>("tokyo", "utc", "local", "date"))
    .map(([day, back, style]) => {
      const endMs = tokyoInstant(`${addDays(today, day)}T00:00`);
      const startMs = endMs + back * 24 * 3600_000;
      return { start: formatBound(startMs, style), end: formatBound(endMs, style) };
    }),
  // Longer than 400 days, up to a million days.
  fc
    .tuple(
      fc.integer({ min: -100, max: 100 }),
      fc.oneof(fc.integer({ min: 402, max: 2000 }), fc.constant(1_000_000)),
      fc.constantFrom<BoundStyle>("tokyo", "utc", "local", "date"),
    )
    .map(([day, span, style]) => {
      const startMs = tokyoInstant(`${addDays(today, day)}T00:00`);
      return { start: formatBound(startMs, style), end: formatBound(startMs + span * 24 * 3600_000, style) };
    }),
  // Not a date: nothing that begins with YYYY-MM-DD.
  fc
    .tuple(
      hostileString.filter((s) => !/^\d{4}-\d{2}-\d{2}/.test(s.replace(/ /g, "+"))),
      fc.boolean(),
    )
    .map(([g, first]) => (first ? { start: queryValue(g), end: "2026-12-01" } : { start: "2026-12-01", end: queryValue(g) })),
);

function expectedIds(range: { start: number; end: number; kinds: string[] | null; cancelled: string | null }) {
  return seeded
    .filter((v) => v.startsAt && v.endsAt)
    .filter((v) => tokyoInstant(v.startsAt!) < range.end && tokyoInstant(v.endsAt!) > range.start)
    .filter((v) => !range.kinds || range.kinds.includes(v.kind))
    .filter((v) => range.cancelled !== "0" || !["cancelled", "declined"].includes(v.status))
    .map((v) => v.id)
    .sort((a, b) => a - b);
}

function expectWellFormedEvents(body: unknown, asCity: boolean): FeedEventShape[] {
  expect(Array.isArray(body)).toBe(true);
  const events = body as FeedEventShape[];
  for (const ev of events) {
    const v = seeded.find((s) => s.id === ev.extendedProps.visitId);
    expect(v, `event ${ev.id} is a seeded visit`).toBeDefined();
    expect(ev.start).toBe(`${v!.startsAt}:00+09:00`);
    expect(ev.end).toBe(`${v!.endsAt}:00+09:00`);
    expect(ev.extendedProps.kind).toBe(v!.kind);
    if (asCity) expect(ev.editable, "the city never drags events").toBe(false);
  }
  return events;
}

describe("the calendar feed under hostile parameters", () => {
  it("answers a well-formed range with exactly the visits overlapping it, for staff and city", async () => {
    await assertProperty(
      fc.asyncProperty(goodRange, fc.boolean(), async (r, asCity) => {
        const params = [`start=${formatBound(r.start, r.startStyle)}`, `end=${formatBound(r.end, r.endStyle)}`];
        if (r.kinds) params.push(`kinds=${r.kinds.join(",")}`);
        if (r.cancelled !== null) params.push(`cancelled=${r.cancelled}`);
        const out = await outcomeOf(() => feedLoader(feedArgs(`?${params.join("&")}`, asCity ? cityCookie : staffCookie)));
        expect(out.status, JSON.stringify(out.body)).toBe(200);
        expect(out.headers.get("content-type")).toMatch(/application\/json/);
        const events = expectWellFormedEvents(out.body, asCity);
        for (const ev of events) {
          expect(Date.parse(ev.start)).toBeLessThan(r.end);
          expect(Date.parse(ev.end)).toBeGreaterThan(r.start);
        }
        expect(events.map((e) => e.extendedProps.visitId).sort((a, b) => a - b)).toEqual(expectedIds(r));
      }),
      1000,
    );
  }, 60_000);

  it("refuses missing, reversed, over-long and dateless ranges with 400 and a Japanese message", async () => {
    await assertProperty(
      fc.asyncProperty(badRange, fc.boolean(), async (r, asCity) => {
        const params = [r.start === undefined ? "" : `start=${r.start}`, r.end === undefined ? "" : `end=${r.end}`].filter(Boolean);
        const out = await outcomeOf(() => feedLoader(feedArgs(`?${params.join("&")}`, asCity ? cityCookie : staffCookie)));
        expect(out.status, `${params.join("&").slice(0, 200)} → ${JSON.stringify(out.body).slice(0, 200)}`).toBe(400);
        expect((out.body as { error?: string }).error ?? "").toMatch(JAPANESE);
      }),
      1000,
    );
  }, 60_000);

  it("never answers 5xx to garbage in any parameter, and what it returns is well-formed", async () => {
    const param = fc.oneof(
      garbage,
      goodRange.map((r) => formatBound(r.start, r.startStyle)),
    );
    await assertProperty(
      fc.asyncProperty(
        fc.record({
          start: fc.option(param, { freq: 8 }),
          end: fc.option(param, { freq: 8 }),
          kinds: fc.option(
            fc.oneof(
              hostileString,
              fc.array(fc.constantFrom(...KIND_TOKENS, "counter", "", "GROUP", "ｇｒｏｕｐ"), { maxLength: 5 }).map((a) => a.join(",")),
            ),
            { freq: 2 },
          ),
          cancelled: fc.option(hostileString, { freq: 2 }),
          extra: fc.array(fc.tuple(fc.constantFrom("start", "end", "kinds", "cancelled", "_", "timeZone"), hostileString), { maxLength: 3 }),
        }),
        fc.boolean(),
        async (q, asCity) => {
          const qs = new URLSearchParams();
          if (q.start !== null) qs.append("start", decodeURIComponentSafe(q.start));
          if (q.end !== null) qs.append("end", decodeURIComponentSafe(q.end));
          if (q.kinds !== null) qs.append("kinds", q.kinds);
          if (q.cancelled !== null) qs.append("cancelled", q.cancelled);
          for (const [k, v] of q.extra) qs.append(k, v);
          const out = await outcomeOf(() => feedLoader(feedArgs(`?${qs.toString()}`, asCity ? cityCookie : staffCookie)));
          expect([200, 400], `${qs.toString().slice(0, 300)} → ${out.status}`).toContain(out.status);
          if (out.status === 400) expect((out.body as { error?: string }).error ?? "").toMatch(JAPANESE);
          else {
            const events = expectWellFormedEvents(out.body, asCity);
            const kinds = (q.kinds ?? "").split(",").filter((k) => (KIND_TOKENS as readonly string[]).includes(k));
            if (kinds.length > 0) for (const ev of events) expect(kinds).toContain(ev.extendedProps.kind);
            if (q.cancelled === "0") for (const ev of events) expect(["cancelled", "declined"]).not.toContain(ev.extendedProps.status);
          }
        },
      ),
      1000,
    );
  }, 60_000);
});

function decodeURIComponentSafe(s: string) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

describe("the public schedule under hostile parameters", () => {
  const publicIds = () =>
    seeded
      .filter((v) => (v.kind === "roaming" || v.kind === "base") && v.status === "agreed" && v.date! >= today && !v.title.includes("団体の敷地"))
      .map((v) => v.id)
      .sort((a, b) => a - b);

  it("/schedule lists only upcoming public sessions, filtered as asked, whatever the month, district and page say", async () => {
    const monthParam = fc.oneof(
      hostileString,
      fc.integer({ min: -1, max: 4 }).map((m) => addDays(today, m * 31).slice(0, 7)),
      fc.constantFrom("2026-13", "0000-00", "9999-99", "２０２６-１２", "2026-1", "2026-12-01", "2026-12%00"),
    );
    const districtParam = fc.oneof(
      hostileString,
      fc.constantFrom("1e309", "-1", "0", "0x10", "1.5", "9".repeat(40), "１", " 1 ", "1abc", "NaN", "Infinity", "-0"),
      fc.constant("__city__"),
      fc.constant("__other__"),
    );
    await assertProperty(
      fc.asyncProperty(
        fc.option(monthParam, { freq: 4 }),
        fc.option(districtParam, { freq: 4 }),
        fc.option(hostileString, { freq: 4 }),
        async (month, district, page) => {
          const qs = new URLSearchParams();
          if (month !== null) qs.append("month", month);
          const districtValue = district === "__city__" ? String(cityDistrictId) : district === "__other__" ? String(otherDistrictId) : district;
          if (districtValue !== null) qs.append("district", districtValue);
          if (page !== null) qs.append("page", page);
          const out = await outcomeOf(() => scheduleLoader(routeArgs(new Request(`${ORIGIN}/schedule?${qs.toString()}`))));
          expect(out.status).toBeLessThan(500);
          if (out.status !== 200) {
            // A refusal is allowed (a 4xx); a redirect or a 5xx is not.
            expect(out.status).toBeGreaterThanOrEqual(400);
            return;
          }
          // What Remix would send: the loader's data as JSON.
          const data = JSON.parse(JSON.stringify(out.body)) as {
            month: string;
            page: number;
            pageCount: number;
            sessions: { id: number; date: string; districtId: number | null }[];
          };
          const ids = data.sessions.map((s) => s.id);
          for (const id of ids) expect(publicIds(), `session ${id} is public`).toContain(id);
          expect(data.month).toMatch(/^(\d{4}-\d{2})?$/);
          if (month !== null && /^\d{4}-\d{2}$/.test(month)) for (const s of data.sessions) expect(s.date.startsWith(month)).toBe(true);
          if (district === "__city__") for (const s of data.sessions) expect(s.districtId).toBe(cityDistrictId);
          if (district === "__other__") for (const s of data.sessions) expect(s.districtId).toBe(otherDistrictId);
          if (month === null && district === null) expect(ids.sort((a, b) => a - b)).toEqual(publicIds());
          expect(data.page).toBeGreaterThanOrEqual(1);
          expect(data.page).toBeLessThanOrEqual(data.pageCount);
        },
      ),
      500,
    );
  }, 60_000);

  it("/schedule.ics ignores any query and lists only the public sessions", async () => {
    const expectedUids = publicIds()
      .map((id) => `session-${id}@localhost`)
      .sort();
    await assertProperty(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom("month", "district", "start", "end", "kinds", "x"), hostileString), { maxLength: 4 }),
        async (pairs) => {
          const out = await outcomeOf(() =>
            (scheduleIcsLoader as (args: unknown) => Promise<Response>)(
              routeArgs(new Request(`${ORIGIN}/schedule.ics?${new URLSearchParams(pairs).toString()}`)),
            ),
          );
          expect(out.status).toBe(200);
          expect(out.headers.get("content-type")).toMatch(/text\/calendar/);
          const body = String(out.body);
          const uids = [...body.matchAll(/^UID:(.+)$/gm)].map((m) => m[1].trim()).sort();
          expect(uids).toEqual(expectedUids);
          expect(body).not.toContain("非公開の会社");
        },
      ),
      50,
    );
  }, 60_000);
});
