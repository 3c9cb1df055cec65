/** Minimal program / people / car / organisation fixtures for visit lifecycle tests. */
import crypto from "node:crypto";
import type { SessionUser } from "../../app/auth.server";
import { getDb } from "../../app/db.server";
import { addDays, isNationalHoliday, todayInTokyo, weekday } from "../../app/lib/dates";
import { organisations, programs, users, vehicles, venues, visitRequests, visits, type Role, type VisitStatus } from "../../db/schema";

/**
 * A plain working day: Monday–Friday, not a national holiday, not the
 * municipal closure 12/29–1/3 (written out here, not asked of the app's rules).
 */
export function isPlainWeekday(ymd: string): boolean {
  const md = ymd.slice(5);
  return ![0, 6].includes(weekday(ymd)) && !isNationalHoliday(ymd) && !(md >= "12-29" || md <= "01-03");
}

/** The first plain working day at least `min` days ahead. */
export function plainWeekdayAhead(min: number, skip: (ymd: string) => boolean = () => false): string {
  let d = addDays(todayInTokyo(), min);
  while (!isPlainWeekday(d) || skip(d)) d = addDays(d, 1);
  return d;
}

export type Fixture = {
  programId: number;
  vehicleId: number;
  staff: SessionUser;
  manager: SessionUser;
  admin: SessionUser;
  city: SessionUser;
  venueId: number;
};

function user(role: Role, email: string, name: string): SessionUser {
  const row = getDb().insert(users).values({ email, name, role, passwordHash: "x" }).returning({ id: users.id }).get();
  return { id: row.id, email, name, role, sessionId: `test-${row.id}` };
}

export function seedBasics(): Fixture {
  const db = getDb();
  const today = todayInTokyo();
  const program = db
    .insert(programs)
    .values({ name: "テスト業務", fiscalYear: 2000 + Math.floor(Math.random() * 900), startsOn: addDays(today, -100), endsOn: addDays(today, 300) })
    .returning({ id: programs.id })
    .get();
  const car = db.insert(vehicles).values({ name: "ラッピングカー1号" }).returning({ id: vehicles.id }).get();
  const venue = db.insert(venues).values({ name: "あおばスーパー本店", kind: "supermarket" }).returning({ id: venues.id }).get();
  return {
    programId: program.id,
    vehicleId: car.id,
    venueId: venue.id,
    staff: user("outreach", "staff@t.jp", "営業 一郎"),
    manager: user("manager", "manager@t.jp", "総括 花子"),
    admin: user("admin", "admin@t.jp", "管理 次郎"),
    city: user("city", "city@t.jp", "市役所 三郎"),
  };
}

let seq = 0;

/** A group visit with its request and organisation, in the given state and times. */
export function groupVisit(
  f: Fixture,
  opts: { status?: VisitStatus; date?: string | null; from?: string; to?: string; email?: string; name?: string; hold?: boolean } = {},
): { visitId: number; requestId: number; organisationId: number; token: string } {
  const db = getDb();
  seq += 1;
  const name = opts.name ?? `テスト町内会${seq}`;
  const org = db
    .insert(organisations)
    .values({ name, searchKey: name, kind: "neighbourhood", stage: "applied", ownerId: f.staff.id })
    .returning({ id: organisations.id })
    .get();
  const token = crypto.randomBytes(18).toString("base64url");
  const date = opts.date === undefined ? addDays(todayInTokyo(), 30) : opts.date;
  const req = db
    .insert(visitRequests)
    .values({
      programId: f.programId,
      receiptNo: `G-T-${String(seq).padStart(4, "0")}-${crypto.randomBytes(3).toString("hex")}`,
      statusToken: token,
      organisationId: org.id,
      organisationName: name,
      organisationKind: "neighbourhood",
      postalCode: "0300001",
      address: "あおば市中央1丁目1-1",
      contactName: "連絡 太郎",
      phone: "0172-00-0000",
      email: opts.email ?? `org${seq}@example.jp`,
      expectedApplicants: 20,
      preferredDate1: date ?? addDays(todayInTokyo(), 30),
      preferredSlot1: "am",
      venueText: `${name} 集会所`,
      parking: "yes",
    })
    .returning({ id: visitRequests.id })
    .get();
  const startsAt = date ? `${date}T${opts.from ?? "10:00"}` : null;
  const endsAt = date ? `${date}T${opts.to ?? "12:00"}` : null;
  const v = db
    .insert(visits)
    .values({
      programId: f.programId,
      kind: "group",
      mode: "accept",
      status: opts.status ?? "screening",
      title: `${name} 出張申請受付`,
      requestId: req.id,
      organisationId: org.id,
      vehicleId: f.vehicleId,
      date,
      startsAt,
      endsAt,
      expectedApplicants: 20,
      ownerId: f.staff.id,
    })
    .returning({ id: visits.id })
    .get();
  return { visitId: v.id, requestId: req.id, organisationId: org.id, token };
}
