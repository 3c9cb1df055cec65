/** Organisations of the CRM: list (filters, priority), page data, edits, contacts, activities, tasks. */
import crypto from "node:crypto";
import { rolesWith } from "../permissions";
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import {
  activities,
  auditLog,
  contacts,
  districts,
  organisationContacts,
  organisations,
  ORGANISATION_KINDS,
  savedFilters,
  tasks,
  users,
  visitRequests,
  visits,
  type OrganisationKind,
  type Stage,
} from "../../db/schema";
import { audit } from "../audit.server";
import { getDb, writeTransaction, type Db, type Tx } from "../db.server";
import { todayInTokyo } from "../lib/dates";
import { digitsOnly, normalisePostalCode, normaliseText, organisationSearchKey, toHiragana } from "../lib/normalise";
import { optionalRecordId } from "../lib/records.server";
import { fieldErrors, freeText, INDIVIDUAL_NUMBER_MESSAGE, noIndividualNumber, optionalEmail } from "../lib/validation";
import { getSettings } from "../settings.server";
import { logActivity } from "./activities.server";
import { ACTIVITY_LOG_KINDS } from "./labels";
import { PAGE_SIZE, type OrganisationFilters } from "./filters";
import { priorityScore, PRIORITY_BANDS, type PriorityResult } from "./priority";
import { refreshPriorities, VISIT_STATS_SQL } from "./priority.server";

export type OrganisationRow = {
  id: number;
  name: string;
  nameKana: string | null;
  kind: OrganisationKind;
  districtId: number | null;
  districtName: string | null;
  stage: Stage;
  stageChangedAt: string;
  ownerId: number | null;
  ownerName: string | null;
  headCount: number | null;
  expectedApplicants: number | null;
  nextActionOn: string | null;
  nextActionNote: string | null;
  lastActivityAt: string | null;
  openTasks: number;
  priority: number;
};

function toKatakana(s: string): string {
  return s.replace(/[\u3041-\u3096]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0x60));
}

function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Characters, not UTF-16 units: the trigram index counts characters. */
const charCount = (s: string) => [...s].length;

/**
 * The ids that may match a search, as an `o.id in (…)` clause: a superset that
 * the LIKE terms of whereFor then narrow to the same rows as before the index.
 * Terms of 3+ characters go through the trigram index (organisations_fts);
 * shorter ones through its term list, where every indexed value ends in two
 * padding characters, so any one or two characters begin some trigram.
 */
function searchCandidates(terms: { column: "name" | "search_key" | "name_kana"; text: string }[]) {
  const parts: string[] = [];
  const params: string[] = [];
  const long = terms.filter((t) => charCount(t.text) >= 3);
  if (long.length) {
    parts.push("select rowid from organisations_fts where organisations_fts match ?");
    params.push(long.map((t) => `${t.column} : "${t.text.replace(/"/g, '""')}"`).join(" OR "));
  }
  // The index folds case: its terms are in lower case. Any column will do (the LIKE terms pick the right
  // one), and the term list reads faster without a column to filter on.
  const short = new Set(terms.filter((x) => charCount(x.text) < 3).map((t) => t.text.toLowerCase()));
  for (const prefix of short) {
    parts.push("select doc from organisations_fts_terms where term >= ? and term < ?");
    params.push(prefix, `${prefix}\u{10FFFF}`);
  }
  return { sql: `o.id in (${parts.join(" union ")})`, params };
}

/**
 * Build the WHERE clause of the list. Search: the normalised key (width-,
 * legal-form- and space-insensitive), the reading in hiragana or katakana,
 * or the raw name; found through the search index (searchCandidates).
 */
export function whereFor(f: OrganisationFilters, userId: number, today: string) {
  const where: string[] = ["o.merged_into_id is null"];
  const params: (string | number)[] = [];
  const q = f.q.trim();
  if (q) {
    const raw = q.normalize("NFKC");
    const key = organisationSearchKey(q);
    const kana = toHiragana(q.normalize("NFKC").replace(/[\s\u3000]/g, ""));
    const terms: Parameters<typeof searchCandidates>[0] = [{ column: "name", text: raw }];
    const ors = ["o.name like ? escape '\\'"];
    const orParams = [`%${escapeLike(raw)}%`];
    if (key) {
      terms.push({ column: "search_key", text: key });
      ors.push("o.search_key like ? escape '\\'");
      orParams.push(`%${escapeLike(key)}%`);
    }
    if (kana) {
      terms.push({ column: "name_kana", text: kana }, { column: "name_kana", text: toKatakana(kana) });
      ors.push("o.name_kana like ? escape '\\'", "o.name_kana like ? escape '\\'");
      orParams.push(`%${escapeLike(kana)}%`, `%${escapeLike(toKatakana(kana))}%`);
    }
    const candidates = searchCandidates(terms);
    where.push(candidates.sql, `(${ors.join(" or ")})`);
    params.push(...candidates.params, ...orParams);
  }
  if (f.kind) {
    where.push("o.kind = ?");
    params.push(f.kind);
  }
  if (f.district) {
    where.push("o.district_id = ?");
    params.push(f.district);
  }
  if (f.stage) {
    where.push("o.stage = ?");
    params.push(f.stage);
  }
  if (f.owner === "me") {
    where.push("o.owner_id = ?");
    params.push(userId);
  } else if (f.owner === "none") {
    where.push("o.owner_id is null");
  } else if (f.owner) {
    where.push("o.owner_id = ?");
    params.push(Number(f.owner));
  }
  if (f.openTask) where.push("exists (select 1 from tasks t where t.organisation_id = o.id and t.done_at is null)");
  if (f.noNextAction) where.push("o.next_action_on is null and o.stage not in ('lost', 'visited')");
  void today;
  return { where: where.join(" and "), params };
}

// p: the stored scores (organisation_priorities); "p.score desc, p.organisation_id" is its index's order.
const ORDER: Record<OrganisationFilters["sort"], string> = {
  priority: "p.score desc, p.organisation_id",
  name: "o.search_key, o.id",
  nextAction: "o.next_action_on is null, o.next_action_on, o.id",
  lastActivity: "o.last_activity_at is null, o.last_activity_at desc, o.id",
  stageChanged: "o.stage_changed_at desc, o.id",
};

/**
 * The list's total from the counts the triggers keep (organisation_stage_counts)
 * when the filters are only an owner and a stage; null when it must be counted.
 */
function countFromStageCounts(f: OrganisationFilters, userId: number, db: Db): number | null {
  if (f.q.trim() || f.kind || f.district || f.band || f.openTask || f.noNextAction) return null;
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (f.owner) {
    where.push("owner_id = ?");
    params.push(f.owner === "me" ? userId : f.owner === "none" ? 0 : Number(f.owner));
  }
  if (f.stage) {
    where.push("stage = ?");
    params.push(f.stage);
  }
  const sqlText = `select coalesce(sum(organisations), 0) as n from organisation_stage_counts${where.length ? ` where ${where.join(" and ")}` : ""}`;
  return (db.$client.prepare(sqlText).get(...params) as { n: number }).n;
}

/**
 * One page of the organisation list, sorted in SQL. The priority is the stored
 * score (refreshed first), so the default order reads an index; the other
 * columns are joined for the page's rows only.
 */
export function listOrganisations(f: OrganisationFilters, userId: number, db: Db = getDb()) {
  const settings = getSettings(db);
  const today = todayInTokyo();
  refreshPriorities(db, settings.priorityWeights, today);
  const { where, params } = whereFor(f, userId, today);
  const bandWhere = f.band ? " and p.score >= ? and p.score < ?" : "";
  const bandParams = f.band ? [PRIORITY_BANDS[f.band].min, PRIORITY_BANDS[f.band].max] : [];
  const client = db.$client;
  const total =
    countFromStageCounts(f, userId, db) ??
    (
      client
        .prepare(`select count(*) as n from organisations o${f.band ? " join organisation_priorities p on p.organisation_id = o.id" : ""} where ${where}${bandWhere}`)
        .get(...params, ...bandParams) as { n: number }
    ).n;
  // With a search, exact and prefix matches of the name key come first.
  const key = f.q.trim() ? organisationSearchKey(f.q) : "";
  const relevance = key ? "case when o.search_key = ? then 0 when o.search_key like ? escape '\\' then 1 else 2 end, " : "";
  const relevanceParams = key ? [key, `${escapeLike(key)}%`] : [];
  // By priority without a search: walk the score index and stop at the page's last row (CROSS JOIN keeps
  // SQLite from sorting every filtered row instead). A search sorts its matches.
  const walkScores = f.sort === "priority" && !key;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(f.page, pageCount);
  const rows = client
    .prepare(
      `select o.id, o.name, o.name_kana as nameKana, o.kind, o.district_id as districtId, d.name as districtName,
              o.stage, o.stage_changed_at as stageChangedAt, o.owner_id as ownerId, u.name as ownerName,
              o.head_count as headCount, o.expected_applicants as expectedApplicants,
              o.next_action_on as nextActionOn, o.next_action_note as nextActionNote, o.last_activity_at as lastActivityAt,
              (select count(*) from tasks t where t.organisation_id = o.id and t.done_at is null) as openTasks,
              page.score as priority
       from (select o.id, p.score from ${walkScores ? "organisation_priorities p cross join organisations o" : "organisations o join organisation_priorities p"} on p.organisation_id = o.id
             where ${where}${bandWhere}
             order by ${relevance}${ORDER[f.sort]}
             limit ? offset ?) page
       join organisations o on o.id = page.id
       left join districts d on d.id = o.district_id
       left join users u on u.id = o.owner_id
       order by ${relevance}${ORDER[f.sort].replace("p.score", "page.score").replace("p.organisation_id", "page.id")}`,
    )
    .all(...params, ...bandParams, ...relevanceParams, PAGE_SIZE, (page - 1) * PAGE_SIZE, ...relevanceParams) as OrganisationRow[];
  return { rows, total, page, pageCount };
}

/** The inputs of priorityScore for some organisations (for breakdowns beside the list or on the page). */
export function priorityFor(ids: number[], db: Db | Tx = getDb()): Map<number, PriorityResult> {
  const out = new Map<number, PriorityResult>();
  if (ids.length === 0) return out;
  const settings = getSettings(db);
  const today = todayInTokyo();
  const rows = (db as Db).$client
    .prepare(
      `select o.id, o.kind, o.head_count as headCount, o.expected_applicants as expectedApplicants,
              d.population, d.cards_issued as cardsIssued, vs.last_visit_on as lastVisitOn,
              coalesce(vs.past_apps, 0) as pastApps, coalesce(vs.past_expected, 0) as pastExpected
       from organisations o left join districts d on d.id = o.district_id left join (${VISIT_STATS_SQL}) vs on vs.oid = o.id
       where o.id in (${ids.map(() => "?").join(",")})`,
    )
    .all(...ids) as {
    id: number;
    kind: OrganisationKind;
    headCount: number | null;
    expectedApplicants: number | null;
    population: number | null;
    cardsIssued: number | null;
    lastVisitOn: string | null;
    pastApps: number;
    pastExpected: number;
  }[];
  for (const r of rows) {
    out.set(
      r.id,
      priorityScore(
        {
          kind: r.kind,
          headCount: r.headCount,
          expectedApplicants: r.expectedApplicants,
          districtPopulation: r.population,
          districtCardsIssued: r.cardsIssued,
          lastVisitOn: r.lastVisitOn,
          pastApplications: r.pastApps,
          pastExpected: r.pastExpected,
          today,
        },
        settings.priorityWeights,
      ),
    );
  }
  return out;
}

export function listDistrictOptions(db: Db = getDb()) {
  return db.select({ id: districts.id, name: districts.name }).from(districts).orderBy(districts.id).all();
}

export function listStaffOptions(db: Db = getDb()) {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, rolesWith("crm.edit"))))
    .orderBy(users.id)
    .all();
}

// ---------------------------------------------------------------------------
// The organisation page

export function getOrganisationPage(id: number, viewer: { id: number }, ip: string | null, db: Db = getDb()) {
  const org = db
    .select({
      o: organisations,
      districtName: districts.name,
      ownerName: users.name,
    })
    .from(organisations)
    .leftJoin(districts, eq(districts.id, organisations.districtId))
    .leftJoin(users, eq(users.id, organisations.ownerId))
    .where(eq(organisations.id, id))
    .get();
  if (!org) return null;
  const people = db
    .select({
      id: contacts.id,
      name: contacts.name,
      nameKana: contacts.nameKana,
      phone: contacts.phone,
      email: contacts.email,
      notes: contacts.notes,
      role: organisationContacts.role,
      isPrimary: organisationContacts.isPrimary,
    })
    .from(organisationContacts)
    .innerJoin(contacts, eq(contacts.id, organisationContacts.contactId))
    .where(eq(organisationContacts.organisationId, id))
    .orderBy(desc(organisationContacts.isPrimary), contacts.id)
    .all();
  // Other organisations each contact belongs to (one person, several organisations).
  const otherLinks = people.length
    ? db
        .select({ contactId: organisationContacts.contactId, organisationId: organisations.id, name: organisations.name })
        .from(organisationContacts)
        .innerJoin(organisations, eq(organisations.id, organisationContacts.organisationId))
        .where(and(inArray(organisationContacts.contactId, people.map((p) => p.id)), sql`${organisationContacts.organisationId} <> ${id}`))
        .all()
    : [];
  const timeline = db
    .select({
      id: activities.id,
      kind: activities.kind,
      summary: activities.summary,
      body: activities.body,
      fromStage: activities.fromStage,
      toStage: activities.toStage,
      visitId: activities.visitId,
      occurredAt: activities.occurredAt,
      userName: users.name,
    })
    .from(activities)
    .leftJoin(users, eq(users.id, activities.userId))
    .where(eq(activities.organisationId, id))
    .orderBy(desc(activities.occurredAt), desc(activities.id))
    .limit(200)
    .all();
  const openTasks = db
    .select({ id: tasks.id, title: tasks.title, dueOn: tasks.dueOn, assigneeName: users.name })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.assigneeId))
    .where(and(eq(tasks.organisationId, id), isNull(tasks.doneAt)))
    .orderBy(sql`${tasks.dueOn} is null`, tasks.dueOn)
    .all();
  const visitRows = db
    .select({
      id: visits.id,
      title: visits.title,
      status: visits.status,
      date: visits.date,
      startsAt: visits.startsAt,
      endsAt: visits.endsAt,
      expectedApplicants: visits.expectedApplicants,
      receiptNo: visitRequests.receiptNo,
      requestedAt: visitRequests.createdAt,
    })
    .from(visits)
    .leftJoin(visitRequests, eq(visitRequests.id, visits.requestId))
    .where(eq(visits.organisationId, id))
    .orderBy(desc(visits.createdAt))
    .all();
  const duplicateOf = org.o.possibleDuplicateOfId
    ? db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, org.o.possibleDuplicateOfId)).get()
    : undefined;
  const mergedInto = org.o.mergedIntoId
    ? db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, org.o.mergedIntoId)).get()
    : undefined;
  // Contacts' personal data was shown: keep a trace (who looked at whom).
  audit({ userId: viewer.id, action: "crm.organisation_view", entity: "organisation", entityId: id, detail: { contacts: people.length }, ip }, db);
  return {
    organisation: { ...org.o, districtName: org.districtName, ownerName: org.ownerName },
    contacts: people.map((p) => ({ ...p, otherOrganisations: otherLinks.filter((l) => l.contactId === p.id) })),
    timeline,
    openTasks,
    visits: visitRows,
    priority: priorityFor([id], db).get(id) ?? null,
    duplicateOf: duplicateOf ?? null,
    mergedInto: mergedInto ?? null,
  };
}

// ---------------------------------------------------------------------------
// Edits

const optionalInt = (label: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "").normalize("NFKC").replace(/[,，\s人名]/g, "");
      if (!s) return null;
      const n = Number(s);
      if (!Number.isInteger(n) || n < 0 || n > 1_000_000) {
        ctx.addIssue({ code: "custom", message: `${label}は0以上の整数で入力してください。` });
        return z.NEVER;
      }
      return n;
    });

export const organisationSchema = z.object({
  name: freeText(100, { required: "団体名を入力してください。" }),
  nameKana: freeText(100).optional().default(""),
  kind: z.enum(ORGANISATION_KINDS, { error: "団体の種類を選んでください。" }),
  districtId: optionalRecordId("district", "地区を一覧から選び直してください。"),
  postalCode: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (!v?.trim()) return null;
      const p = normalisePostalCode(v);
      if (!p) {
        ctx.addIssue({ code: "custom", message: "郵便番号は7桁の数字で入力してください（例: 038-0012）。" });
        return z.NEVER;
      }
      return p;
    }),
  address: freeText(200).optional().default(""),
  phone: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = normaliseText(v);
      if (!s) return null;
      const d = digitsOnly(s);
      if (d.length < 10 || d.length > 11) {
        ctx.addIssue({ code: "custom", message: "電話番号は市外局番から10〜11桁で入力してください（例: 0172-12-3456）。" });
        return z.NEVER;
      }
      return s;
    }),
  email: optionalEmail(),
  headCount: optionalInt("人数"),
  expectedApplicants: optionalInt("申請見込み人数"),
  ownerId: optionalRecordId("user", "担当者を一覧から選び直してください。"),
  notes: freeText(2000, { multiline: true }).optional().default(""),
});

export type OrganisationInput = z.infer<typeof organisationSchema>;

function organisationValues(v: OrganisationInput) {
  const kana = v.nameKana ? toHiragana(v.nameKana) : null;
  return {
    name: v.name,
    nameKana: kana,
    searchKey: organisationSearchKey(v.name),
    kind: v.kind,
    districtId: v.districtId,
    postalCode: v.postalCode,
    address: v.address || null,
    phone: v.phone,
    phoneKey: v.phone ? digitsOnly(v.phone) : null,
    email: v.email,
    headCount: v.headCount,
    expectedApplicants: v.expectedApplicants,
    ownerId: v.ownerId,
    notes: v.notes || null,
  };
}

export function updateOrganisation(id: number, form: Record<string, unknown>, userId: number) {
  const parsed = organisationSchema.safeParse(form);
  if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error) };
  writeTransaction((tx) => {
    tx.update(organisations)
      .set({ ...organisationValues(parsed.data), updatedAt: new Date().toISOString() })
      .where(eq(organisations.id, id))
      .run();
    audit({ userId, action: "crm.organisation_update", entity: "organisation", entityId: id }, tx);
  });
  return { ok: true as const };
}

export function createOrganisation(form: Record<string, unknown>, userId: number) {
  const parsed = organisationSchema.safeParse(form);
  if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error) };
  const id = writeTransaction((tx) => {
    const row = tx
      .insert(organisations)
      .values({ ...organisationValues(parsed.data), ownerId: parsed.data.ownerId ?? userId })
      .returning({ id: organisations.id })
      .get();
    logActivity(tx, { organisationId: row.id, kind: "note", summary: "団体を登録", userId });
    return row.id;
  });
  return { ok: true as const, id };
}


const activitySchema = z.object({
  kind: z.enum(ACTIVITY_LOG_KINDS, { error: "記録の種類を選んでください。" }),
  summary: freeText(2000, { required: "内容を入力してください。", multiline: true }),
});

/** 電話・メモなどを記録 (two clicks: kind is preselected, one button). */
export function logManualActivity(organisationId: number, form: Record<string, unknown>, userId: number) {
  const parsed = activitySchema.safeParse(form);
  if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error) };
  const { kind, summary } = parsed.data;
  const firstLine = summary.split("\n")[0].slice(0, 80);
  writeTransaction((tx) =>
    logActivity(tx, { organisationId, kind, summary: firstLine, body: summary.length > firstLine.length ? summary : null, userId }),
  );
  return { ok: true as const };
}

const nextActionSchema = z.object({
  nextActionOn: z.union([z.literal(""), z.iso.date({ error: "日付を選んでください（例: 2026-12-01）。" })]),
  nextActionNote: freeText(200),
});

export function setNextAction(organisationId: number, form: Record<string, unknown>, userId: number) {
  const parsed = nextActionSchema.safeParse(form);
  if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error) };
  const on = parsed.data.nextActionOn || null;
  writeTransaction((tx) => {
    tx.update(organisations)
      .set({ nextActionOn: on, nextActionNote: on ? parsed.data.nextActionNote || null : null })
      .where(eq(organisations.id, organisationId))
      .run();
    logActivity(tx, {
      organisationId,
      kind: "note",
      summary: on ? `次回予定を ${on} に設定${parsed.data.nextActionNote ? `（${parsed.data.nextActionNote}）` : ""}` : "次回予定を解除",
      userId,
    });
  });
  return { ok: true as const };
}

// ---------------------------------------------------------------------------
// Tasks

const taskSchema = z.object({
  title: freeText(200, { required: "タスクの内容を入力してください。" }),
  dueOn: z.union([z.literal(""), z.iso.date({ error: "期限の日付を選んでください。" })]),
  assigneeId: optionalRecordId("user", "担当者を一覧から選び直してください。"),
});

/** A fresh key for the task form's hidden field: the same form posted twice creates one task. */
export function newTaskFormKey(): string {
  return crypto.randomBytes(18).toString("base64url");
}

/**
 * Add a task. `form.formKey` (the task form's hidden field) makes it idempotent:
 * a second post with the same key (a double click, a resent request) creates
 * nothing and answers as the first did. The key is kept in the task's audit
 * entry, looked up and written in the same transaction.
 */
export function createTask(organisationId: number | null, form: Record<string, unknown>, userId: number) {
  const parsed = taskSchema.safeParse(form);
  if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error) };
  const formKey = typeof form.formKey === "string" && form.formKey.length > 0 && form.formKey.length <= 64 ? form.formKey : null;
  writeTransaction((tx) => {
    if (formKey) {
      const earlier = tx
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(and(eq(auditLog.entity, "task"), eq(auditLog.action, "task.create"), sql`json_extract(${auditLog.detail}, '$.formKey') = ${formKey}`))
        .get();
      if (earlier) return;
    }
    const task = tx
      .insert(tasks)
      .values({
        organisationId,
        title: parsed.data.title,
        dueOn: parsed.data.dueOn || null,
        assigneeId: parsed.data.assigneeId ?? userId,
        createdById: userId,
      })
      .returning({ id: tasks.id })
      .get();
    audit({ userId, action: "task.create", entity: "task", entityId: task.id, detail: { organisationId, formKey } }, tx);
    if (organisationId) logActivity(tx, { organisationId, kind: "task", summary: `タスクを追加: ${parsed.data.title}`, userId });
  });
  return { ok: true as const };
}

/**
 * Finish a task (one click from the Today view); recorded on the organisation's timeline.
 * From an organisation's page `scope.organisationId` is that organisation: another one's task is not found.
 */
export function finishTask(
  taskId: number,
  userId: number,
  scope: { organisationId?: number } = {},
): { ok: true; title: string } | { ok: false; notFound: true; message: string } {
  return writeTransaction((tx) => {
    const task = tx.select().from(tasks).where(eq(tasks.id, taskId)).get();
    if (!task || (scope.organisationId !== undefined && task.organisationId !== scope.organisationId)) {
      return { ok: false as const, notFound: true as const, message: "タスクが見つかりません。画面を再読み込みしてください。" };
    }
    if (task.doneAt) return { ok: true as const, title: task.title };
    const now = new Date().toISOString();
    tx.update(tasks).set({ doneAt: now, doneById: userId }).where(eq(tasks.id, taskId)).run();
    if (task.organisationId) logActivity(tx, { organisationId: task.organisationId, kind: "task", summary: `タスク完了: ${task.title}`, userId, occurredAt: now });
    return { ok: true as const, title: task.title };
  });
}

// ---------------------------------------------------------------------------
// Contacts

const contactSchema = z.object({
  name: freeText(60, { required: "氏名を入力してください。" }),
  nameKana: freeText(60).optional().default(""),
  phone: freeText(20).optional().default(""),
  email: optionalEmail("taro@example.jp"),
  role: freeText(40).optional().default(""),
});

export function addContact(organisationId: number, form: Record<string, unknown>, userId: number) {
  const parsed = contactSchema.safeParse(form);
  if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error) };
  const v = parsed.data;
  writeTransaction((tx) => {
    const hasPrimary = tx
      .select({ n: sql<number>`count(*)` })
      .from(organisationContacts)
      .where(and(eq(organisationContacts.organisationId, organisationId), eq(organisationContacts.isPrimary, true)))
      .get();
    const c = tx
      .insert(contacts)
      .values({ name: v.name, nameKana: v.nameKana || null, phone: v.phone || null, email: v.email })
      .returning({ id: contacts.id })
      .get();
    tx.insert(organisationContacts)
      .values({ organisationId, contactId: c.id, role: v.role || null, isPrimary: !hasPrimary?.n })
      .run();
    logActivity(tx, { organisationId, kind: "note", summary: `担当者を追加: ${v.name}${v.role ? `（${v.role}）` : ""}`, userId });
  });
  return { ok: true as const };
}

/** Link a person already in the CRM (e.g. the chair of two associations). */
export function linkContact(organisationId: number, contactId: number, role: string, userId: number) {
  const r = freeText(40).safeParse(role);
  if (!r.success) return { ok: false as const, errors: { role: r.error.issues[0].message } };
  return writeTransaction((tx) => {
    const c = tx.select({ id: contacts.id, name: contacts.name }).from(contacts).where(eq(contacts.id, contactId)).get();
    if (!c) return { ok: false as const, errors: { contactId: "担当者が見つかりません。" } };
    tx.insert(organisationContacts)
      .values({ organisationId, contactId, role: r.data || null, isPrimary: false })
      .onConflictDoUpdate({ target: [organisationContacts.organisationId, organisationContacts.contactId], set: { role: r.data || null } })
      .run();
    logActivity(tx, { organisationId, kind: "note", summary: `担当者を紐付け: ${c.name}`, userId });
    return { ok: true as const };
  });
}

export function unlinkContact(organisationId: number, contactId: number, userId: number) {
  writeTransaction((tx) => {
    const c = tx.select({ name: contacts.name }).from(contacts).where(eq(contacts.id, contactId)).get();
    tx.delete(organisationContacts)
      .where(and(eq(organisationContacts.organisationId, organisationId), eq(organisationContacts.contactId, contactId)))
      .run();
    if (c) logActivity(tx, { organisationId, kind: "note", summary: `担当者の紐付けを解除: ${c.name}`, userId });
  });
}

export function searchContacts(q: string, excludeOrganisationId: number, db: Db = getDb()) {
  const s = normaliseText(q);
  if (!s) return [];
  return db
    .select({ id: contacts.id, name: contacts.name, phone: contacts.phone, email: contacts.email })
    .from(contacts)
    .where(
      and(
        sql`(${contacts.name} like ${`%${s}%`} or replace(${contacts.name}, ' ', '') like ${`%${s.replace(/ /g, "")}%`} or ${contacts.nameKana} like ${`%${s}%`})`,
        sql`${contacts.id} not in (select contact_id from organisation_contacts where organisation_id = ${excludeOrganisationId})`,
      ),
    )
    .limit(10)
    .all();
}

// ---------------------------------------------------------------------------
// Saved filters

export function listSavedFilters(userId: number, db: Db = getDb()) {
  return db.select().from(savedFilters).where(eq(savedFilters.userId, userId)).orderBy(savedFilters.id).all();
}

export function saveFilter(userId: number, name: string, query: string) {
  const n = freeText(40, { required: "保存する名前を入力してください。" }).safeParse(name);
  if (!n.success) return { ok: false as const, errors: { filterName: n.error.issues[0].message } };
  // The stored query holds the search words staff typed (q=…): the same guard as any typed text.
  const params = new URLSearchParams(query.replace(/^\?/, ""));
  if ([...params.values()].some((v) => !noIndividualNumber(v))) return { ok: false as const, errors: { filterName: INDIVIDUAL_NUMBER_MESSAGE } };
  getDb().insert(savedFilters).values({ userId, name: n.data, query: query.replace(/^\?/, "").slice(0, 1000) }).run();
  return { ok: true as const };
}

/** Delete one of the user's saved filters; false when the user has no such filter. */
export function deleteSavedFilter(userId: number, id: number): boolean {
  const r = getDb()
    .delete(savedFilters)
    .where(and(eq(savedFilters.id, id), eq(savedFilters.userId, userId)))
    .run();
  return r.changes > 0;
}
