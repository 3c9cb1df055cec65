/**
 * 従事者名簿 and 当日の体制: the people who may work sessions (kept by the
 * manager, with or without a sign-in account) and who works which session.
 *
 * Rules (refusals come back as { ok: false, message } in Japanese):
 *   - only open sessions (the lifecycle's isOpen) change their roster, and only
 *     once their date and times are set;
 *   - a person is on a session once, and a session has one 現地管理者;
 *   - 本人確認（市職員）is taken by city-affiliated people only (./roster.ts);
 *   - a person is never on two open sessions whose times overlap — checked when
 *     they are added and when a session with a roster is moved (placeVisit);
 *   - inactive people are kept (past rosters name them) but cannot be added.
 * Every change writes an audit entry in the same transaction.
 */
import { and, asc, eq, gt, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { ROSTER_ROLES, STAFF_AFFILIATIONS, type RosterRole, type StaffAffiliation, type VisitMode, type VisitStatus } from "../../db/enums";
import { rosterEntries, staffMembers, users, visits } from "../../db/schema";
import { audit } from "../audit.server";
import type { SessionUser } from "../auth.server";
import { getDb, type Db, type Tx } from "../db.server";
import { formatTimeRange } from "../lib/dates";
import { VISIT_STATUS_LABELS } from "../lib/labels";
import { digitsOnly } from "../lib/normalise";
import { fieldErrors, freeText } from "../lib/validation";
import { can } from "../permissions";
import { NOT_FOUND, refusable, type Refusal } from "./common.server";
import { isOpen, statesWhere } from "./lifecycle";
import { lacksCityOfficial, ROSTER_ROLE_LABELS, rosterRoleRefusal, STAFF_AFFILIATION_LABELS } from "./roster";

/** Who acts: a signed-in user (the demo seed passes a plain { id, role }). */
export type RosterActor = Pick<SessionUser, "id" | "role">;
type FormRefusal = Refusal & { errors?: Record<string, string> };

const OPEN_STATES = statesWhere("open");
const ROSTER_ONLY = "従事者名簿の管理は総括責任者・管理者が行います。";
const MANAGE_ONLY = "当日の体制の変更は受託者の担当者が行います。";
const MEMBER_NOT_FOUND = "従事者名簿にその人が見つかりません。画面を再読み込みしてから選び直してください。";

// ---------------------------------------------------------------------------
// 従事者名簿 (the staff list)

const optional = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const staffMemberSchema = z.object({
  name: freeText(60, { required: "氏名を入力してください。" }),
  nameKana: z.preprocess(
    optional,
    freeText(60)
      .refine((v) => /^[\p{Script=Hiragana}\p{Script=Katakana}ー・\s]*$/u.test(v), { error: "ふりがなは、ひらがなかカタカナで入力してください。" })
      .optional(),
  ),
  affiliation: z.enum(STAFF_AFFILIATIONS, { error: "所属を「受託者」か「市職員」から選んでください。" }),
  userId: z.preprocess(
    optional,
    z
      .string()
      .regex(/^[1-9]\d{0,15}$/, { error: "サインインアカウントを一覧から選び直してください。" })
      .transform(Number)
      .optional(),
  ),
  phone: z.preprocess(
    optional,
    z
      .string()
      .transform((v) => v.normalize("NFKC").replace(/[ー−‐―]/g, "-").trim())
      .refine((v) => v.length <= 20 && /^[\d-]+$/.test(v) && /^0\d{9,10}$/.test(digitsOnly(v)), {
        error: "電話番号は市外局番から、10桁または11桁の数字で入力してください（例: 017-123-4567）。",
      })
      .optional(),
  ),
});

export type StaffMemberInput = {
  name: string;
  nameKana?: string | null;
  affiliation: StaffAffiliation | string;
  /** Sign-in account to link (a form sends the id as text; "" = none). */
  userId?: number | string | null;
  phone?: string | null;
};

function parseMember(input: StaffMemberInput) {
  return staffMemberSchema.safeParse({
    name: input.name ?? "",
    nameKana: input.nameKana ?? undefined,
    affiliation: input.affiliation,
    userId: input.userId == null ? undefined : String(input.userId),
    phone: input.phone ?? undefined,
  });
}

/** The linked account must exist, be active, belong to nobody else on the list, and match the affiliation. */
function checkLinkedUser(tx: Tx, userId: number | undefined, affiliation: StaffAffiliation, memberId: number | null): FormRefusal | null {
  if (userId == null) return null;
  const user = tx.select({ id: users.id, role: users.role, active: users.active }).from(users).where(eq(users.id, userId)).get();
  if (!user || !user.active) return { ok: false, message: "そのサインインアカウントは使えません（無効か存在しません）。一覧から選び直してください。", field: "userId", errors: { userId: "有効なアカウントを選んでください。" } };
  const wanted: StaffAffiliation = user.role === "city" ? "city" : "contractor";
  if (wanted !== affiliation) {
    const message = `選んだアカウントは${STAFF_AFFILIATION_LABELS[wanted]}のアカウントです。所属を「${STAFF_AFFILIATION_LABELS[wanted]}」にするか、別のアカウントを選んでください。`;
    return { ok: false, message, field: "affiliation", errors: { affiliation: message } };
  }
  const taken = tx
    .select({ id: staffMembers.id, name: staffMembers.name })
    .from(staffMembers)
    .where(and(eq(staffMembers.userId, userId), memberId == null ? undefined : ne(staffMembers.id, memberId)))
    .get();
  if (taken) {
    const message = `そのアカウントはすでに「${taken.name}」さんに結び付いています。一人に一つのアカウントです。`;
    return { ok: false, message, field: "userId", errors: { userId: message } };
  }
  return null;
}

/** Add a person to the staff list. `now` is the clock (the demo seed replays past days). */
export function createStaffMember(input: StaffMemberInput & { now?: Date }, actor: RosterActor, db: Db = getDb()): { ok: true; id: number } | FormRefusal {
  if (!can(actor.role, "staff.roster")) return { ok: false, message: ROSTER_ONLY };
  const parsed = parseMember(input);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return { ok: false, message: "入力内容を確認してください。", errors };
  }
  const m = parsed.data;
  const at = (input.now ?? new Date()).toISOString();
  return refusable<{ ok: true; id: number } | FormRefusal>((tx) => {
    const linked = checkLinkedUser(tx, m.userId, m.affiliation, null);
    if (linked) return linked;
    const row = tx
      .insert(staffMembers)
      .values({ name: m.name, nameKana: m.nameKana || null, affiliation: m.affiliation, userId: m.userId ?? null, phone: m.phone || null, createdAt: at })
      .returning({ id: staffMembers.id })
      .get();
    audit({ userId: actor.id, action: "staff_member.create", entity: "staff_member", entityId: row.id, detail: { name: m.name, affiliation: m.affiliation, userId: m.userId ?? null }, at }, tx);
    return { ok: true, id: row.id };
  }, db);
}

/** Change a person's details (name, reading, affiliation, account, phone). */
export function updateStaffMember(id: number, input: StaffMemberInput & { now?: Date }, actor: RosterActor, db: Db = getDb()): { ok: true } | FormRefusal {
  if (!can(actor.role, "staff.roster")) return { ok: false, message: ROSTER_ONLY };
  const parsed = parseMember(input);
  if (!parsed.success) return { ok: false, message: "入力内容を確認してください。", errors: fieldErrors(parsed.error) };
  const m = parsed.data;
  const at = (input.now ?? new Date()).toISOString();
  return refusable<{ ok: true } | FormRefusal>((tx) => {
    const before = tx.select().from(staffMembers).where(eq(staffMembers.id, id)).get();
    if (!before) return { ok: false, message: MEMBER_NOT_FOUND };
    const linked = checkLinkedUser(tx, m.userId, m.affiliation, id);
    if (linked) return linked;
    if (before.affiliation === "city" && m.affiliation !== "city") {
      // An identity checker who stops being city-affiliated would leave a 受付方式 session without one.
      const checking = openRosterOf(tx, id).filter((r) => r.role === "id_checker");
      if (checking.length > 0) {
        const message = `${before.name}さんは「${checking[0].title}」などで本人確認（市職員）を担当しています。先にその体制から外してから所属を変えてください。`;
        return { ok: false, message, field: "affiliation", errors: { affiliation: message } };
      }
    }
    tx.update(staffMembers)
      .set({ name: m.name, nameKana: m.nameKana || null, affiliation: m.affiliation, userId: m.userId ?? null, phone: m.phone || null })
      .where(eq(staffMembers.id, id))
      .run();
    audit(
      {
        userId: actor.id,
        action: "staff_member.update",
        entity: "staff_member",
        entityId: id,
        detail: { before: { name: before.name, affiliation: before.affiliation, userId: before.userId }, after: { name: m.name, affiliation: m.affiliation, userId: m.userId ?? null } },
        at,
      },
      tx,
    );
    return { ok: true };
  }, db);
}

/**
 * Deactivate (名簿から外す) or reactivate a person. Past and planned rosters
 * keep them; the answer says how many open sessions still name them.
 */
export function setStaffMemberActive(id: number, active: boolean, actor: RosterActor, opts: { now?: Date } = {}, db: Db = getDb()): { ok: true; name: string; openSessions: number } | Refusal {
  if (!can(actor.role, "staff.roster")) return { ok: false, message: ROSTER_ONLY };
  const at = (opts.now ?? new Date()).toISOString();
  return refusable<{ ok: true; name: string; openSessions: number } | Refusal>((tx) => {
    const m = tx.select().from(staffMembers).where(eq(staffMembers.id, id)).get();
    if (!m) return { ok: false, message: MEMBER_NOT_FOUND };
    tx.update(staffMembers).set({ active }).where(eq(staffMembers.id, id)).run();
    audit({ userId: actor.id, action: active ? "staff_member.activate" : "staff_member.deactivate", entity: "staff_member", entityId: id, detail: { name: m.name }, at }, tx);
    return { ok: true, name: m.name, openSessions: openRosterOf(tx, id).length };
  }, db);
}

/** The staff list (active first, by reading), with the linked account's name and open session count. */
export function listStaffMembers(opts: { includeInactive?: boolean } = {}, db: Db | Tx = getDb()) {
  const openCount = sql<number>`(select count(*) from ${rosterEntries} re join ${visits} v on v.id = re.visit_id
    where re.staff_member_id = ${staffMembers.id} and v.status in (${sql.join(
      OPEN_STATES.map((s) => sql`${s}`),
      sql`, `,
    )}))`;
  return db
    .select({
      id: staffMembers.id,
      name: staffMembers.name,
      nameKana: staffMembers.nameKana,
      affiliation: staffMembers.affiliation,
      phone: staffMembers.phone,
      active: staffMembers.active,
      userId: staffMembers.userId,
      userName: users.name,
      userEmail: users.email,
      userRole: users.role,
      openSessions: openCount,
    })
    .from(staffMembers)
    .leftJoin(users, eq(users.id, staffMembers.userId))
    .where(opts.includeInactive ? undefined : eq(staffMembers.active, true))
    .orderBy(sql`${staffMembers.active} desc`, sql`coalesce(${staffMembers.nameKana}, ${staffMembers.name})`, asc(staffMembers.id))
    .all();
}

/** Active sign-in accounts a person on the list may be linked to (not yet linked to anyone else). */
export function linkableUsers(db: Db | Tx = getDb()) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .leftJoin(staffMembers, eq(staffMembers.userId, users.id))
    .where(and(eq(users.active, true), isNull(staffMembers.id)))
    .orderBy(asc(users.name))
    .all();
}

/** Open sessions a person is on (for messages). */
function openRosterOf(tx: Db | Tx, staffMemberId: number) {
  return tx
    .select({ visitId: visits.id, title: visits.title, role: rosterEntries.role })
    .from(rosterEntries)
    .innerJoin(visits, eq(visits.id, rosterEntries.visitId))
    .where(and(eq(rosterEntries.staffMemberId, staffMemberId), inArray(visits.status, OPEN_STATES)))
    .orderBy(asc(visits.startsAt))
    .all();
}

// ---------------------------------------------------------------------------
// 当日の体制 (a session's roster)

export type RosterClash = { name: string; visitId: number; title: string; startsAt: string; endsAt: string | null };

/**
 * People of `staffMemberIds` (default: everyone on the visit's roster) who are
 * on another open session overlapping [startsAt, endsAt).
 */
export function rosterClashes(tx: Db | Tx, input: { visitId: number; startsAt: string; endsAt: string; staffMemberIds?: number[] }): RosterClash[] {
  const ids =
    input.staffMemberIds ??
    tx
      .select({ id: rosterEntries.staffMemberId })
      .from(rosterEntries)
      .where(eq(rosterEntries.visitId, input.visitId))
      .all()
      .map((r) => r.id);
  if (ids.length === 0) return [];
  return tx
    .select({ name: staffMembers.name, visitId: visits.id, title: visits.title, startsAt: visits.startsAt, endsAt: visits.endsAt })
    .from(rosterEntries)
    .innerJoin(visits, eq(visits.id, rosterEntries.visitId))
    .innerJoin(staffMembers, eq(staffMembers.id, rosterEntries.staffMemberId))
    .where(
      and(
        inArray(rosterEntries.staffMemberId, ids),
        ne(visits.id, input.visitId),
        inArray(visits.status, OPEN_STATES),
        // Local wall-clock text compares in time order (docs/decisions/002); touching ends do not overlap.
        lt(visits.startsAt, input.endsAt),
        gt(visits.endsAt, input.startsAt),
      ),
    )
    .orderBy(asc(visits.startsAt))
    .all()
    .map((r) => ({ ...r, startsAt: r.startsAt! }));
}

/** The wording of a clash: who, on which other session, at what time (a refusal when adding or moving; a warning when it stands). */
export function rosterClashMessage(c: RosterClash, when: "add" | "move" | "standing"): string {
  const other = `「${c.title}」（${formatTimeRange(c.startsAt, c.endsAt)}）`;
  switch (when) {
    case "add":
      return `${c.name}さんは同じ時間帯の${other}の体制に入っているため、追加できません。時間の重ならない人を選ぶか、先にその予定から外してください。`;
    case "move":
      return `この時間に変えると、体制に入っている${c.name}さんが${other}と重なります。別の時間にするか、先にどちらかの体制から外してください。`;
    case "standing":
      return `${c.name}さんは時間の重なる${other}の体制にも入っています。どちらかの体制から外してください。`;
  }
}

export type AddToRosterInput = { visitId: number; staffMemberId: number | string; role: RosterRole | string; now?: Date };

/**
 * Put a person on a session's roster with a role. The demo seed calls it with
 * its own db and clock; the session page with the signed-in user.
 */
export function addToRoster(input: AddToRosterInput, actor: RosterActor, db: Db = getDb()): { ok: true; id: number; message: string } | Refusal {
  if (!can(actor.role, "visits.manage")) return { ok: false, message: MANAGE_ONLY };
  const role = (ROSTER_ROLES as readonly string[]).includes(input.role) ? (input.role as RosterRole) : null;
  if (!role) return { ok: false, message: "役割（現地管理者・従事者・本人確認（市職員））を選んでください。", field: "role" };
  const memberId = Number(input.staffMemberId);
  if (!Number.isSafeInteger(memberId) || memberId <= 0) return { ok: false, message: "体制に入れる人を従事者名簿から選んでください。", field: "staffMemberId" };
  const at = (input.now ?? new Date()).toISOString();
  return refusable<{ ok: true; id: number; message: string } | Refusal>((tx) => {
    const v = tx.select().from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false, message: NOT_FOUND };
    if (!isOpen(v.status)) return { ok: false, message: `「${VISIT_STATUS_LABELS[v.status]}」の予定の体制は変更できません。` };
    if (!v.startsAt || !v.endsAt) return { ok: false, message: "日時が決まってから体制を組んでください（時間の重なりを確かめるため）。" };
    const m = tx.select().from(staffMembers).where(eq(staffMembers.id, memberId)).get();
    if (!m) return { ok: false, message: MEMBER_NOT_FOUND, field: "staffMemberId" };
    if (!m.active) return { ok: false, message: `${m.name}さんは従事者名簿で無効になっています。名簿で有効に戻してから追加してください。`, field: "staffMemberId" };
    const roleRefusal = rosterRoleRefusal(role, m.affiliation);
    if (roleRefusal) return { ok: false, message: `${m.name}さんは${STAFF_AFFILIATION_LABELS[m.affiliation]}です。${roleRefusal}`, field: "role" };
    const here = tx.select({ role: rosterEntries.role }).from(rosterEntries).where(and(eq(rosterEntries.visitId, v.id), eq(rosterEntries.staffMemberId, m.id))).get();
    if (here) return { ok: false, message: `${m.name}さんはすでにこの予定の体制に入っています（${ROSTER_ROLE_LABELS[here.role]}）。役割を変えるときは、いったん外してから追加し直してください。` };
    if (role === "lead") {
      const lead = tx
        .select({ name: staffMembers.name })
        .from(rosterEntries)
        .innerJoin(staffMembers, eq(staffMembers.id, rosterEntries.staffMemberId))
        .where(and(eq(rosterEntries.visitId, v.id), eq(rosterEntries.role, "lead")))
        .get();
      if (lead) return { ok: false, message: `現地管理者はすでに${lead.name}さんです。交代するときは、先に${lead.name}さんを外してください。`, field: "role" };
    }
    const clash = rosterClashes(tx, { visitId: v.id, startsAt: v.startsAt, endsAt: v.endsAt, staffMemberIds: [m.id] })[0];
    if (clash) return { ok: false, message: rosterClashMessage(clash, "add"), field: "staffMemberId" };
    const row = tx.insert(rosterEntries).values({ visitId: v.id, staffMemberId: m.id, role, addedById: actor.id, createdAt: at }).returning({ id: rosterEntries.id }).get();
    audit({ userId: actor.id, action: "roster.add", entity: "visit", entityId: v.id, detail: { staffMemberId: m.id, name: m.name, role }, at }, tx);
    return { ok: true, id: row.id, message: `${m.name}さんを${ROSTER_ROLE_LABELS[role]}として追加しました。` };
  }, db);
}

/** Take a person off a session's roster. */
export function removeFromRoster(input: { visitId: number; entryId: number; now?: Date }, actor: RosterActor, db: Db = getDb()): { ok: true; message: string } | Refusal {
  if (!can(actor.role, "visits.manage")) return { ok: false, message: MANAGE_ONLY };
  const at = (input.now ?? new Date()).toISOString();
  return refusable<{ ok: true; message: string } | Refusal>((tx) => {
    const v = tx.select({ id: visits.id, status: visits.status }).from(visits).where(eq(visits.id, input.visitId)).get();
    if (!v) return { ok: false, message: NOT_FOUND };
    const entry = tx
      .select({ id: rosterEntries.id, role: rosterEntries.role, staffMemberId: rosterEntries.staffMemberId, name: staffMembers.name })
      .from(rosterEntries)
      .innerJoin(staffMembers, eq(staffMembers.id, rosterEntries.staffMemberId))
      .where(and(eq(rosterEntries.id, input.entryId), eq(rosterEntries.visitId, v.id)))
      .get();
    if (!entry) return { ok: false, message: "その人はこの予定の体制に入っていません。画面を再読み込みしてください。" };
    if (!isOpen(v.status)) return { ok: false, message: `「${VISIT_STATUS_LABELS[v.status]}」の予定の体制は変更できません。` };
    tx.delete(rosterEntries).where(eq(rosterEntries.id, entry.id)).run();
    audit({ userId: actor.id, action: "roster.remove", entity: "visit", entityId: v.id, detail: { staffMemberId: entry.staffMemberId, name: entry.name, role: entry.role }, at }, tx);
    return { ok: true, message: `${entry.name}さん（${ROSTER_ROLE_LABELS[entry.role]}）を体制から外しました。` };
  }, db);
}

/** A session's roster: lead first, then staff, then identity checkers. */
export function sessionRoster(visitId: number, db: Db | Tx = getDb()) {
  const order = sql`case ${rosterEntries.role} when 'lead' then 0 when 'staff' then 1 else 2 end`;
  return db
    .select({
      id: rosterEntries.id,
      role: rosterEntries.role,
      staffMemberId: staffMembers.id,
      name: staffMembers.name,
      nameKana: staffMembers.nameKana,
      affiliation: staffMembers.affiliation,
      phone: staffMembers.phone,
      active: staffMembers.active,
    })
    .from(rosterEntries)
    .innerJoin(staffMembers, eq(staffMembers.id, rosterEntries.staffMemberId))
    .where(eq(rosterEntries.visitId, visitId))
    .orderBy(order, asc(rosterEntries.id))
    .all();
}

/** Leads and identity checkers of several sessions at once (the Today view). */
export function rosterSummaries(visitIds: number[], db: Db | Tx = getDb()): Map<number, { lead: string | null; count: number; roles: RosterRole[] }> {
  const out = new Map<number, { lead: string | null; count: number; roles: RosterRole[] }>();
  if (visitIds.length === 0) return out;
  const rows = db
    .select({ visitId: rosterEntries.visitId, role: rosterEntries.role, name: staffMembers.name })
    .from(rosterEntries)
    .innerJoin(staffMembers, eq(staffMembers.id, rosterEntries.staffMemberId))
    .where(inArray(rosterEntries.visitId, visitIds))
    .all();
  for (const r of rows) {
    const s = out.get(r.visitId) ?? { lead: null, count: 0, roles: [] };
    s.count += 1;
    s.roles.push(r.role);
    if (r.role === "lead") s.lead = r.name;
    out.set(r.visitId, s);
  }
  return out;
}

/** Active people who could still join this session (not on it yet), for the add form. */
export function rosterCandidates(visitId: number, db: Db | Tx = getDb()) {
  return db
    .select({ id: staffMembers.id, name: staffMembers.name, affiliation: staffMembers.affiliation })
    .from(staffMembers)
    .leftJoin(rosterEntries, and(eq(rosterEntries.staffMemberId, staffMembers.id), eq(rosterEntries.visitId, visitId)))
    .where(and(eq(staffMembers.active, true), isNull(rosterEntries.id)))
    .orderBy(sql`coalesce(${staffMembers.nameKana}, ${staffMembers.name})`, asc(staffMembers.id))
    .all();
}

/**
 * Everything the session page shows about the roster: who is on it, who could
 * join, whether it may change now, clashes a move left behind (placeVisit
 * refuses new ones; older data may hold some) and the 受付方式 warning.
 */
export function rosterView(visit: { id: number; status: VisitStatus; mode: VisitMode; startsAt: string | null; endsAt: string | null }, db: Db | Tx = getDb()) {
  const entries = sessionRoster(visit.id, db);
  const open = isOpen(visit.status);
  return {
    entries,
    candidates: open ? rosterCandidates(visit.id, db) : [],
    open,
    /** Roster changes are possible (open, with times to check clashes against). */
    editable: open && !!visit.startsAt && !!visit.endsAt,
    hasTimes: !!visit.startsAt && !!visit.endsAt,
    clashes: open && visit.startsAt && visit.endsAt ? rosterClashes(db, { visitId: visit.id, startsAt: visit.startsAt, endsAt: visit.endsAt }).map((c) => rosterClashMessage(c, "standing")) : [],
    // Only once the times are set: before that no roster can be built, and the warning would only be noise.
    lacksCityOfficial: open && !!visit.startsAt && lacksCityOfficial(visit.mode, entries.map((e) => e.role)),
  };
}

/** The 受付方式 warning for one visit (the city's approval page). */
export function visitLacksCityOfficial(visit: { id: number; status: VisitStatus; mode: VisitMode; startsAt: string | null }, db: Db | Tx = getDb()): boolean {
  return isOpen(visit.status) && !!visit.startsAt && lacksCityOfficial(visit.mode, sessionRoster(visit.id, db).map((e) => e.role));
}
